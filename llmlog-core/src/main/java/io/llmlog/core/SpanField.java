package io.llmlog.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields of a step document: one non-model-call step of an agent run (a tool execution, a
 * retrieval, an agent or workflow invocation, a span that parents model calls), stored in {@code
 * llm-spans-YYYY.MM.dd} beside the calls of {@code llm-logs-*} and linked to them by {@code
 * trace_id} and {@code parent_id}. The server's index template, its schema check, the query
 * language and the trace view read this one list, as they read {@link LogField} for calls.
 *
 * <p>A step's document id is {@code <trace_id>-<span_id>}, so a step sent twice is stored once.
 */
public enum SpanField {
  /** When the step started. */
  TIMESTAMP("timestamp", FieldType.DATE),
  DURATION_MS("duration_ms", FieldType.FLOAT),
  /** The trace, 32 lowercase hex digits (W3C). */
  TRACE_ID("trace_id", FieldType.KEYWORD),
  /** The step's own span, 16 lowercase hex digits. */
  SPAN_ID("span_id", FieldType.KEYWORD),
  /** The parent span, 16 lowercase hex digits; absent for a trace's root. */
  PARENT_ID("parent_id", FieldType.KEYWORD),
  /** The span's name ({@code execute_tool get_weather}, {@code invoke_agent planner}, ...). */
  NAME("name", FieldType.KEYWORD),
  /** One of {@link #KINDS}. */
  KIND("kind", FieldType.KEYWORD),
  /**
   * {@code gen_ai.operation.name} when the span has one ({@code execute_tool}, {@code
   * invoke_agent}, ...).
   */
  OPERATION("operation", FieldType.KEYWORD),
  /** {@code ok}, {@code error} or {@code unset}, as the span's status says. */
  STATUS("status", FieldType.KEYWORD),
  /**
   * {@code info} or {@code error}, so that {@code level:error} finds failed steps as it finds
   * failed calls.
   */
  LEVEL("level", FieldType.KEYWORD),
  ERROR_TYPE("error.type", FieldType.KEYWORD),
  ERROR_MESSAGE("error.message", FieldType.TEXT),
  SERVICE("service", FieldType.KEYWORD),
  ENVIRONMENT("environment", FieldType.KEYWORD),
  SESSION_ID("session_id", FieldType.KEYWORD),
  USER_ID("user_id", FieldType.KEYWORD),
  AGENT_NAME("agent.name", FieldType.KEYWORD),
  AGENT_ID("agent.id", FieldType.KEYWORD),
  TOOL_NAME("tool.name", FieldType.KEYWORD),
  TOOL_TYPE("tool.type", FieldType.KEYWORD),
  TOOL_CALL_ID("tool.call_id", FieldType.KEYWORD),
  WORKFLOW_NAME("workflow.name", FieldType.KEYWORD),
  /** What the tool was called with; redacted like prompts. */
  TOOL_ARGUMENTS("tool.arguments", FieldType.TEXT),
  /** What the tool returned; redacted like responses. */
  TOOL_RESULT("tool.result", FieldType.TEXT),
  /** What a retrieval searched for; redacted like prompts. */
  RETRIEVAL_QUERY("retrieval.query", FieldType.TEXT),
  /** The ids of the documents a retrieval returned. */
  RETRIEVAL_DOCUMENT_IDS("retrieval.document_ids", FieldType.KEYWORD),
  /** The generic input of an agent, workflow or other step; redacted. */
  INPUT("input", FieldType.TEXT),
  /** The generic output of an agent, workflow or other step; redacted. */
  OUTPUT("output", FieldType.TEXT),
  /**
   * Other attributes; each key is searchable as {@code metadata.key}, bounded by {@code
   * limits.max_metadata_keys}.
   */
  METADATA("metadata", FieldType.KEYWORD),
  /** Where the step came from: {@code otlp} or {@code sdk}. */
  SOURCE("source", FieldType.KEYWORD),
  /** How many steps this stored one stands for when sampling applies. */
  SAMPLE_WEIGHT("sample_weight", FieldType.FLOAT),
  /** The kinds of personal data the pipeline replaced in the step's texts. */
  REDACTED("redacted", FieldType.KEYWORD);

  /**
   * The kinds of step. {@code step} is a parent of model calls with no GenAI operation of its own.
   */
  public static final List<String> KINDS =
      List.of("agent", "tool", "retrieval", "workflow", "step", "other");

  /** The values of {@link #STATUS}. */
  public static final List<String> STATUSES = List.of("ok", "error", "unset");

  /** The values of {@link #SOURCE}. */
  public static final List<String> SOURCES = List.of("otlp", "sdk");

  /** The fields whose text the pipeline redacts by default. */
  public static final List<SpanField> TEXTS =
      List.of(TOOL_ARGUMENTS, TOOL_RESULT, RETRIEVAL_QUERY, INPUT, OUTPUT, ERROR_MESSAGE);

  private static final Set<SpanField> LISTS = Set.of(RETRIEVAL_DOCUMENT_IDS, REDACTED);
  private static final Map<String, SpanField> BY_NAME;

  static {
    Map<String, SpanField> byName = new LinkedHashMap<>();
    for (SpanField field : values()) {
      byName.put(field.jsonName, field);
    }
    BY_NAME = Collections.unmodifiableMap(byName);
  }

  private final String jsonName;
  private final FieldType type;

  SpanField(String jsonName, FieldType type) {
    this.jsonName = jsonName;
    this.type = type;
  }

  /** The field's name in JSON documents and queries; dotted names are objects in JSON. */
  public String jsonName() {
    return jsonName;
  }

  public FieldType type() {
    return type;
  }

  /** True for the fields that hold a list of keywords rather than one. */
  public boolean isList() {
    return LISTS.contains(this);
  }

  /** The field with this JSON name, or null. */
  public static SpanField byJsonName(String name) {
    return BY_NAME.get(name);
  }
}

package io.llmlog.core;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The canonical fields of an LLM call document, one place for their JSON names, types and limits.
 * The codec, the server's index template, ingest validation and the query language all read this
 * list, so a field is added once.
 *
 * <p>Names are the flat names of the brief's index template ({@code latency_ms}, not {@code
 * metrics.latency_ms}); dotted names such as {@code error.type} are objects in JSON.
 */
public enum LogField {
  TIMESTAMP("timestamp", FieldType.DATE),
  REQUEST_ID("request_id", FieldType.KEYWORD),
  TRACE_ID("trace_id", FieldType.KEYWORD),
  PARENT_ID("parent_id", FieldType.KEYWORD),
  /**
   * The call's own span in its trace, when it has one: the parent of the steps and calls it makes.
   */
  SPAN_ID("span_id", FieldType.KEYWORD),
  SESSION_ID("session_id", FieldType.KEYWORD),
  SERVICE("service", FieldType.KEYWORD),
  ENVIRONMENT("environment", FieldType.KEYWORD),
  USER_ID("user_id", FieldType.KEYWORD),
  MODEL("model", FieldType.KEYWORD),
  PROVIDER("provider", FieldType.KEYWORD),
  /**
   * What kind of model call: {@code chat}, {@code text_completion}, {@code embeddings}, {@code
   * generate_content}...
   */
  OPERATION("operation", FieldType.KEYWORD),
  LEVEL("level", FieldType.KEYWORD),
  STOP_REASON("stop_reason", FieldType.KEYWORD),
  PROMPT("prompt", FieldType.TEXT),
  SYSTEM_PROMPT("system_prompt", FieldType.TEXT),
  RESPONSE("response", FieldType.TEXT),
  /**
   * The messages sent to the model, structured; {@code prompt} and {@code system_prompt} are
   * rendered from them.
   */
  INPUT_MESSAGES("input_messages", FieldType.MESSAGES),
  /** The messages the model returned, structured; {@code response} is rendered from them. */
  OUTPUT_MESSAGES("output_messages", FieldType.MESSAGES),
  TEMPERATURE("temperature", FieldType.FLOAT, 0, 2),
  TOP_P("top_p", FieldType.FLOAT, 0, 1),
  MAX_TOKENS("max_tokens", FieldType.INTEGER, 0, Integer.MAX_VALUE),
  INPUT_TOKENS("input_tokens", FieldType.INTEGER, 0, Integer.MAX_VALUE),
  OUTPUT_TOKENS("output_tokens", FieldType.INTEGER, 0, Integer.MAX_VALUE),
  TOTAL_TOKENS("total_tokens", FieldType.INTEGER, 0, Integer.MAX_VALUE),
  CACHED_INPUT_TOKENS("cached_input_tokens", FieldType.INTEGER, 0, Integer.MAX_VALUE),
  REASONING_TOKENS("reasoning_tokens", FieldType.INTEGER, 0, Integer.MAX_VALUE),
  /** Input tokens written to the provider's prompt cache (billed at its cache-write price). */
  CACHE_CREATION_INPUT_TOKENS(
      "cache_creation_input_tokens", FieldType.INTEGER, 0, Integer.MAX_VALUE),
  /** True when the token counts were estimated by llmlog because the provider reported none. */
  USAGE_ESTIMATED("usage_estimated", FieldType.BOOLEAN),
  LATENCY_MS("latency_ms", FieldType.FLOAT, 0, Double.MAX_VALUE),
  TTFT_MS("ttft_ms", FieldType.FLOAT, 0, Double.MAX_VALUE),
  QUEUE_WAIT_MS("queue_wait_ms", FieldType.FLOAT, 0, Double.MAX_VALUE),
  GENERATION_MS("generation_ms", FieldType.FLOAT, 0, Double.MAX_VALUE),
  TOKENS_PER_SECOND("tokens_per_second", FieldType.FLOAT, 0, Double.MAX_VALUE),
  COST_USD("cost_usd", FieldType.DOUBLE, 0, Double.MAX_VALUE),
  ERROR_TYPE("error.type", FieldType.KEYWORD),
  ERROR_MESSAGE("error.message", FieldType.TEXT),
  /** Free-form string attributes; each key is searchable as {@code metadata.key}. */
  METADATA("metadata", FieldType.KEYWORD),
  TAGS("tags", FieldType.KEYWORD),
  /** How many calls this stored one stands for: 1/r when successes are sampled at rate r. */
  SAMPLE_WEIGHT("sample_weight", FieldType.FLOAT, 0, Double.MAX_VALUE),
  /**
   * True on the part of a call that arrived before anything said how the call ended, while sampling
   * has not decided on it: the rest of the call keeps it (false) or retracts it.
   */
  SAMPLE_PENDING("sample_pending", FieldType.BOOLEAN),
  /** The fields the pipeline cut short, so that a cut text is never taken for the whole one. */
  TRUNCATED("truncated", FieldType.KEYWORD),
  /** The kinds of personal data the pipeline replaced ({@code email}, {@code phone}, ...). */
  REDACTED("redacted", FieldType.KEYWORD);

  private static final Map<String, LogField> BY_NAME;

  static {
    Map<String, LogField> byName = new HashMap<>();
    for (LogField field : values()) {
      byName.put(field.jsonName, field);
    }
    BY_NAME = Collections.unmodifiableMap(byName);
  }

  private final String jsonName;
  private final FieldType type;
  private final double min;
  private final double max;

  LogField(String jsonName, FieldType type) {
    this(jsonName, type, Double.NaN, Double.NaN);
  }

  LogField(String jsonName, FieldType type, double min, double max) {
    this.jsonName = jsonName;
    this.type = type;
    this.min = min;
    this.max = max;
  }

  /** The field's name in JSON documents and queries. */
  public String jsonName() {
    return jsonName;
  }

  public FieldType type() {
    return type;
  }

  /** True for integer, float and double fields. */
  public boolean isNumeric() {
    return type == FieldType.INTEGER || type == FieldType.FLOAT || type == FieldType.DOUBLE;
  }

  /** True for the fields that hold a list of keywords rather than one. */
  public boolean isList() {
    return this == TAGS || this == TRUNCATED || this == REDACTED;
  }

  /** The field with this JSON name, or null. */
  public static LogField byJsonName(String name) {
    return BY_NAME.get(name);
  }

  /**
   * Checks a numeric value against this field's range and returns it.
   *
   * @throws InvalidFieldException naming this field when the value is NaN, infinite or out of range
   */
  public double check(double value) {
    if (!isNumeric()) {
      throw new IllegalStateException(jsonName + " is not numeric");
    }
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw new InvalidFieldException(jsonName, "must be a finite number, was " + value);
    }
    if (value < min || value > max) {
      String bounds =
          max == Double.MAX_VALUE || max == Integer.MAX_VALUE
              ? "must be >= " + format(min)
              : "must be between " + format(min) + " and " + format(max);
      throw new InvalidFieldException(jsonName, bounds + ", was " + format(value));
    }
    if (type == FieldType.INTEGER && value != Math.rint(value)) {
      throw new InvalidFieldException(jsonName, "must be a whole number, was " + value);
    }
    return value;
  }

  /** Checks an optional numeric value: null passes. */
  public Double check(Double value) {
    if (value != null) {
      check(value.doubleValue());
    }
    return value;
  }

  /** Checks an optional whole-number value: null passes. */
  public Integer check(Integer value) {
    if (value != null) {
      check(value.doubleValue());
    }
    return value;
  }

  private static String format(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : Double.toString(value);
  }
}

package io.llmlog.client;

import io.llmlog.core.ErrorInfo;
import io.llmlog.core.SpanField;
import io.llmlog.core.Timestamps;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * One step of an agent run that is not a model call — a tool execution, a retrieval, an agent or
 * workflow invocation — from {@link LlmLogger#step}. While it is open, calls logged on its thread,
 * and in tasks handed to an executor wrapped by {@link
 * LlmLogContext#wrap(java.util.concurrent.Executor)}, belong to its trace with the step as their
 * parent; steps opened inside it are its children. Closing it records the step (start, duration,
 * status) and restores the context around it.
 *
 * <pre>{@code
 * try (var step = logger.step("search-docs", StepKind.RETRIEVAL).retrievalQuery(question)) {
 *   List<Doc> docs = index.search(question);
 *   step.retrievalDocumentIds(docs.stream().map(Doc::id).toList());
 * } catch (IOException e) {
 *   ...  // a step closed while failing: call step.error(e) inside the block, or step.fail(e)
 * }
 * }</pre>
 *
 * <p>Use it on the thread that opened it and close it there, once (a second close does nothing);
 * like {@link LlmLogger#log}, nothing here throws. The step is shipped to the server's {@code
 * llm-spans-*} family; the log lines carry calls only.
 */
public final class LlmStep implements AutoCloseable {
  private final LlmLogger logger;
  private final LongSupplier nanoTime;
  private final long startNanos;
  private final Thread owner;
  private final LlmLogContext.Scope scope;
  private final EnumMap<SpanField, Object> fields = new EnumMap<>(SpanField.class);
  private final AtomicBoolean ended = new AtomicBoolean();
  private Map<String, String> metadata;

  LlmStep(
      LlmLogger logger,
      Map<SpanField, Object> opened,
      Instant start,
      LongSupplier nanoTime,
      LlmLogContext.Scope scope) {
    this.logger = logger;
    this.nanoTime = nanoTime;
    this.fields.putAll(opened);
    this.fields.put(SpanField.TIMESTAMP, Timestamps.format(start));
    this.owner = Thread.currentThread();
    this.scope = scope;
    this.startNanos = nanoTime.getAsLong();
  }

  /** The step's trace: 32 lowercase hex digits, the enclosing step's or span's, or a new one. */
  public String traceId() {
    return (String) fields.get(SpanField.TRACE_ID);
  }

  /**
   * The step's own span id, 16 lowercase hex digits: the {@code parent_id} of what happens inside
   * it.
   */
  public String spanId() {
    return (String) fields.get(SpanField.SPAN_ID);
  }

  /** The enclosing step's or span's id, or null for the root of a trace. */
  public String parentId() {
    return (String) fields.get(SpanField.PARENT_ID);
  }

  /** The GenAI operation, such as {@code execute_tool} or {@code invoke_agent}. */
  public LlmStep operation(String operation) {
    return set(SpanField.OPERATION, operation);
  }

  public LlmStep agentName(String name) {
    return set(SpanField.AGENT_NAME, name);
  }

  public LlmStep agentId(String id) {
    return set(SpanField.AGENT_ID, id);
  }

  public LlmStep workflowName(String name) {
    return set(SpanField.WORKFLOW_NAME, name);
  }

  public LlmStep toolName(String name) {
    return set(SpanField.TOOL_NAME, name);
  }

  /**
   * {@code function}, {@code extension}, {@code datastore}, ... as OpenTelemetry's conventions name
   * them.
   */
  public LlmStep toolType(String type) {
    return set(SpanField.TOOL_TYPE, type);
  }

  /** The id the model gave the tool call, which ties the step to the call that asked for it. */
  public LlmStep toolCallId(String id) {
    return set(SpanField.TOOL_CALL_ID, id);
  }

  /** What the tool was called with, usually JSON; redacted by the server like prompts. */
  public LlmStep toolArguments(String arguments) {
    return set(SpanField.TOOL_ARGUMENTS, arguments);
  }

  /** What the tool returned; redacted by the server like responses. */
  public LlmStep toolResult(String result) {
    return set(SpanField.TOOL_RESULT, result);
  }

  /** What the retrieval searched for; redacted by the server like prompts. */
  public LlmStep retrievalQuery(String query) {
    return set(SpanField.RETRIEVAL_QUERY, query);
  }

  /** The ids of the documents the retrieval returned. */
  public LlmStep retrievalDocumentIds(List<String> ids) {
    return set(SpanField.RETRIEVAL_DOCUMENT_IDS, ids == null ? null : List.copyOf(ids));
  }

  /** The step's input (an agent's task, a workflow's arguments); redacted by the server. */
  public LlmStep input(String input) {
    return set(SpanField.INPUT, input);
  }

  /** The step's output; redacted by the server. */
  public LlmStep output(String output) {
    return set(SpanField.OUTPUT, output);
  }

  /** One more attribute, searchable as {@code metadata.key}; null removes it. */
  public LlmStep metadata(String key, String value) {
    if (key != null && !ended.get()) {
      if (metadata == null) {
        metadata = new LinkedHashMap<>();
      }
      if (value == null) {
        metadata.remove(key);
      } else {
        metadata.put(key, value);
      }
    }
    return this;
  }

  /** Marks the step failed with a thrown error (status and level {@code error}); it stays open. */
  public LlmStep error(Throwable error) {
    return error(error == null ? new ErrorInfo("unknown", null) : ErrorInfo.of(error));
  }

  /** Marks the step failed (status and level {@code error}); it stays open. */
  public LlmStep error(ErrorInfo error) {
    if (error != null) {
      set(SpanField.ERROR_TYPE, error.type());
      set(SpanField.ERROR_MESSAGE, error.message());
    }
    return this;
  }

  /** Marks the step failed with {@code error} and closes it. */
  public void fail(Throwable error) {
    error(error);
    close();
  }

  /**
   * Ends the step: records its duration and status ({@code error} when {@link #error} was called,
   * else {@code unset}, as OpenTelemetry leaves a span that ended without an error, so the same run
   * reads the same whichever way it came in), queues it for the server and restores the context
   * that was current when it opened. Idempotent.
   */
  @Override
  public void close() {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    double durationMs = Math.max(0, nanoTime.getAsLong() - startNanos) / 1_000_000.0;
    // A scope belongs to its thread: closed elsewhere, it would replace that thread's context.
    if (Thread.currentThread() == owner) {
      scope.close();
    }
    boolean failed = fields.containsKey(SpanField.ERROR_TYPE);
    fields.put(SpanField.DURATION_MS, durationMs);
    fields.put(SpanField.STATUS, failed ? "error" : "unset");
    fields.put(SpanField.LEVEL, failed ? "error" : "info");
    if (metadata != null && !metadata.isEmpty()) {
      fields.put(
          SpanField.METADATA, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata)));
    }
    logger.reportStep(new StepRecord(fields));
  }

  private LlmStep set(SpanField field, Object value) {
    if (!ended.get()) {
      if (value == null) {
        fields.remove(field);
      } else {
        fields.put(field, value);
      }
    }
    return this;
  }

  @Override
  public String toString() {
    return "LlmStep{"
        + fields.get(SpanField.NAME)
        + ", trace "
        + traceId()
        + ", span "
        + spanId()
        + "}";
  }
}

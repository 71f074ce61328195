package io.llmlog.client;

import io.llmlog.core.ErrorInfo;
import io.llmlog.core.LlmLogEntry;
import io.llmlog.core.LogLevel;
import io.llmlog.core.ModelParameters;
import io.llmlog.core.Performance;
import io.llmlog.core.RequestIds;
import io.llmlog.core.message.ChatMessage;
import java.lang.ref.Cleaner;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * One LLM call being timed, from {@link LlmLogger#startCall}. Describe it with the setters, mark
 * the first streamed token with {@link #firstToken()}, and finish it with {@link #end} or {@link
 * #fail}: latency, time to first token, generation time, tokens per second, the error and the level
 * are filled in, and the record is logged.
 *
 * <pre>{@code
 * LlmCall call = logger.startCall("gpt-4", prompt).systemPrompt(system).temperature(0.7).maxTokens(2048);
 * try {
 *   ... stream the response, calling call.firstToken() on the first chunk ...
 *   call.end(response, usage.inputTokens(), usage.outputTokens(), finishReason);
 * } catch (RuntimeException e) {
 *   call.fail(e);
 *   throw e;
 * }
 * }</pre>
 *
 * <p>It is {@link AutoCloseable}: in a try-with-resources block, a call left without {@code end} or
 * {@code fail} (because an exception flew) is logged as failed when the block closes, with {@code
 * error.type} {@code not_ended}. A call dropped without any of the three is counted by {@link
 * LlmLogger#callsNeverEnded()} once the garbage collector finds it.
 *
 * <p>The session, user, trace and parent of the {@link LlmLogContext} current when the call started
 * are filled in; the setters override them. Set the fields on one thread before the call is shared;
 * {@link #firstToken()}, {@link #end} and {@link #fail} may then come from any thread. The first
 * {@code end} or {@code fail} wins; a second one does nothing but count ({@link
 * LlmLogger#callsEndedTwice()}). Like {@link LlmLogger#log}, none of these throws: a record that
 * cannot be built (a negative token count, a temperature above 2) is dropped and counted as {@link
 * DropReason#INVALID}.
 */
public final class LlmCall implements AutoCloseable {
  private static final long NOT_YET = Long.MIN_VALUE;

  /** What a call closed without end() or fail() is logged with. */
  static final String NOT_ENDED = "not_ended";

  private final LlmLogger logger;
  private final LongSupplier nanoTime;
  private final long startNanos;
  private final LlmLogEntry.Builder entry;
  private final AtomicLong firstTokenNanos = new AtomicLong(NOT_YET);
  private final AtomicBoolean ended = new AtomicBoolean();
  private final Cleaner.Cleanable neverEnded;
  private String requestId;
  private Double queueWaitMs;
  private Integer outputTokens;

  LlmCall(
      LlmLogger logger,
      String model,
      String prompt,
      Instant timestamp,
      LongSupplier nanoTime,
      LlmLogEntry.Builder entry) {
    this.logger = logger;
    this.nanoTime = nanoTime;
    this.entry = entry.timestamp(timestamp).model(model).prompt(prompt);
    this.neverEnded = NeverEnded.watch(this, ended, logger);
    this.startNanos = nanoTime.getAsLong();
  }

  /**
   * The call's request id: the one given to {@link #requestId(String)}, else a random UUID made on
   * first use. Pass it on (to the provider, to a quality record) to tie records together.
   */
  public String requestId() {
    if (requestId == null) {
      requestId = RequestIds.next();
    }
    return requestId;
  }

  /** Uses {@code requestId} instead of a generated one. */
  public LlmCall requestId(String requestId) {
    this.requestId = requestId;
    return this;
  }

  /**
   * The model, when it was not known at the start (an integration may learn it from the response).
   */
  public LlmCall model(String model) {
    entry.model(model);
    return this;
  }

  /** The kind of call: {@code chat}, {@code text_completion}, {@code embeddings}, ... */
  public LlmCall operation(String operation) {
    entry.operation(operation);
    return this;
  }

  /**
   * The messages sent to the model; the prompt and system prompt are rendered from them unless set.
   */
  public LlmCall inputMessages(List<ChatMessage> messages) {
    entry.inputMessages(messages);
    return this;
  }

  /** The messages the model returned; the response is rendered from them unless set. */
  public LlmCall outputMessages(List<ChatMessage> messages) {
    entry.outputMessages(messages);
    return this;
  }

  public LlmCall response(String response) {
    entry.response(response);
    return this;
  }

  /** Token counts as the provider reported them; null leaves one out. */
  public LlmCall usage(
      Integer inputTokens,
      Integer outputTokens,
      Integer cachedInputTokens,
      Integer reasoningTokens) {
    entry
        .inputTokens(inputTokens)
        .outputTokens(outputTokens)
        .cachedInputTokens(cachedInputTokens)
        .reasoningTokens(reasoningTokens);
    this.outputTokens = outputTokens;
    return this;
  }

  public LlmCall stopReason(String stopReason) {
    entry.stopReason(stopReason);
    return this;
  }

  /** The call's own span id, when it runs as a span of a trace. */
  public LlmCall spanId(String spanId) {
    entry.spanId(spanId);
    return this;
  }

  public LlmCall systemPrompt(String systemPrompt) {
    entry.systemPrompt(systemPrompt);
    return this;
  }

  public LlmCall temperature(Double temperature) {
    entry.temperature(temperature);
    return this;
  }

  public LlmCall topP(Double topP) {
    entry.topP(topP);
    return this;
  }

  public LlmCall maxTokens(Integer maxTokens) {
    entry.maxTokens(maxTokens);
    return this;
  }

  /** Temperature, top_p and max_tokens at once. */
  public LlmCall parameters(ModelParameters parameters) {
    entry
        .temperature(parameters.temperature())
        .topP(parameters.topP())
        .maxTokens(parameters.maxTokens());
    return this;
  }

  public LlmCall provider(String provider) {
    entry.provider(provider);
    return this;
  }

  public LlmCall environment(String environment) {
    entry.environment(environment);
    return this;
  }

  public LlmCall userId(String userId) {
    entry.userId(userId);
    return this;
  }

  public LlmCall sessionId(String sessionId) {
    entry.sessionId(sessionId);
    return this;
  }

  public LlmCall traceId(String traceId) {
    entry.traceId(traceId);
    return this;
  }

  public LlmCall parentId(String parentId) {
    entry.parentId(parentId);
    return this;
  }

  public LlmCall putMetadata(String key, String value) {
    entry.putMetadata(key, value);
    return this;
  }

  public LlmCall addTag(String tag) {
    entry.addTag(tag);
    return this;
  }

  /**
   * The time spent waiting before the model started (a rate limiter, a local queue), if measured.
   */
  public LlmCall queueWaitMs(Double queueWaitMs) {
    entry.queueWaitMs(queueWaitMs);
    this.queueWaitMs = queueWaitMs;
    return this;
  }

  /** Marks the first token of a streamed response; only the first mark counts. */
  public LlmCall firstToken() {
    firstTokenNanos.compareAndSet(NOT_YET, nanoTime.getAsLong());
    return this;
  }

  /**
   * Ends the call successfully and logs it.
   *
   * @param response the generated output
   * @param inputTokens prompt tokens, or null when not reported
   * @param outputTokens generated tokens, or null when not reported
   * @param stopReason why generation stopped: {@code stop}, {@code length}, ...
   */
  public void end(String response, Integer inputTokens, Integer outputTokens, String stopReason) {
    finish(
        entry ->
            entry
                .response(response)
                .inputTokens(inputTokens)
                .outputTokens(outputTokens)
                .stopReason(stopReason),
        outputTokens);
  }

  /** Ends the call successfully with what the setters described, and logs it. */
  public void end() {
    finish(entry -> entry, outputTokens);
  }

  /**
   * Logs the call as failed ({@code error.type} {@code not_ended}) unless {@link #end} or {@link
   * #fail} came first, as when an exception left a try-with-resources block early.
   */
  @Override
  public void close() {
    if (!ended.get()) {
      fail(
          new ErrorInfo(
              NOT_ENDED,
              "the call was closed without end() or fail(), as when an exception left its block"));
    }
  }

  /** Ends the call as failed with a thrown error, at level error, and logs it. */
  public void fail(Throwable error) {
    fail(error == null ? new ErrorInfo("unknown", null) : ErrorInfo.of(error));
  }

  /** Ends the call as failed, at level error, and logs it. */
  public void fail(ErrorInfo error) {
    finish(entry -> entry.error(error).level(LogLevel.ERROR), null);
  }

  /**
   * Ends the call once: the first end, fail or close applies {@code outcome} and logs the record; a
   * later one only counts. Nothing here throws: a record that cannot be built is counted invalid.
   */
  private void finish(UnaryOperator<LlmLogEntry.Builder> outcome, Integer outputTokens) {
    if (!ended.compareAndSet(false, true)) {
      logger.callEndedTwice();
      return;
    }
    long now = nanoTime.getAsLong();
    neverEnded.clean();
    try {
      outcome.apply(entry);
      logger.report(timed(now, outputTokens).build());
    } catch (RuntimeException e) {
      logger.invalid(e);
    }
  }

  private LlmLogEntry.Builder timed(long endNanos, Integer outputTokens) {
    long firstToken = firstTokenNanos.get();
    Double ttftMs = firstToken == NOT_YET ? null : millis(firstToken - startNanos);
    Performance performance =
        new Performance(millis(endNanos - startNanos), ttftMs, queueWaitMs, null, null)
            .derive(outputTokens);
    return entry
        .requestId(requestId())
        .latencyMs(performance.latencyMs())
        .firstTokenLatencyMs(performance.ttftMs())
        .generationMs(performance.generationMs())
        .tokensPerSecond(performance.tokensPerSecond());
  }

  private static double millis(long nanos) {
    return nanos / 1_000_000.0;
  }

  /**
   * Counts a call the garbage collector found without an end. The action holds the call's flag and
   * logger, never the call itself, or the call could not become unreachable.
   */
  private static final class NeverEnded implements Runnable {
    private static final Cleaner CLEANER =
        Cleaner.create(
            runnable -> {
              Thread thread = new Thread(runnable, "llmlog-call-cleaner");
              thread.setDaemon(true);
              return thread;
            });

    private final AtomicBoolean ended;
    private final LlmLogger logger;

    private NeverEnded(AtomicBoolean ended, LlmLogger logger) {
      this.ended = ended;
      this.logger = logger;
    }

    static Cleaner.Cleanable watch(LlmCall call, AtomicBoolean ended, LlmLogger logger) {
      return CLEANER.register(call, new NeverEnded(ended, logger));
    }

    @Override
    public void run() {
      if (!ended.get()) {
        logger.callNeverEnded();
      }
    }
  }
}

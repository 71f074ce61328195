package io.llmlog.core;

/**
 * Where the time of one call went, in milliseconds: the brief's performance log. Every part is
 * optional; null means "not measured".
 *
 * @param latencyMs total time from the request to the last token
 * @param ttftMs time to the first token of a streamed response
 * @param queueWaitMs time spent waiting before the model started (rate limits, a local queue)
 * @param generationMs time from the first token to the last
 * @param tokensPerSecond output tokens per second of generation
 */
public record Performance(
    Double latencyMs,
    Double ttftMs,
    Double queueWaitMs,
    Double generationMs,
    Double tokensPerSecond) {
  /** Nothing measured. */
  public static final Performance NONE = new Performance(null, null, null, null, null);

  public Performance {
    LogField.LATENCY_MS.check(latencyMs);
    LogField.TTFT_MS.check(ttftMs);
    LogField.QUEUE_WAIT_MS.check(queueWaitMs);
    LogField.GENERATION_MS.check(generationMs);
    LogField.TOKENS_PER_SECOND.check(tokensPerSecond);
  }

  /** Total latency and time to first token, as the brief records them. */
  public static Performance of(double latencyMs, Double ttftMs) {
    return new Performance(latencyMs, ttftMs, null, null, null);
  }

  /**
   * Fills in what follows from what was measured. Latency, time to first token and queue wait all
   * count from the moment the call was made, so generation time is latency minus time to first
   * token (or minus queue wait for a call that did not stream), and tokens per second is output
   * tokens over generation time. Measured values are kept as they are.
   */
  public Performance derive(Integer outputTokens) {
    Double generation = generationMs;
    if (generation == null && latencyMs != null) {
      double firstToken = ttftMs != null ? ttftMs : queueWaitMs != null ? queueWaitMs : 0;
      generation = Math.max(0, latencyMs - firstToken);
    }
    Double rate = tokensPerSecond;
    if (rate == null && outputTokens != null && generation != null && generation > 0) {
      rate = outputTokens * 1000.0 / generation;
    }
    return new Performance(latencyMs, ttftMs, queueWaitMs, generation, rate);
  }
}

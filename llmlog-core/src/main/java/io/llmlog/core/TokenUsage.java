package io.llmlog.core;

/**
 * Token counts of one call. Null means "not reported", which is different from zero.
 *
 * @param inputTokens prompt tokens, cached ones included
 * @param outputTokens generated tokens, reasoning ones included
 * @param cachedInputTokens input tokens served from the provider's prompt cache
 * @param reasoningTokens output tokens spent on hidden reasoning
 * @param cacheCreationInputTokens input tokens written to the provider's prompt cache
 */
public record TokenUsage(
    Integer inputTokens,
    Integer outputTokens,
    Integer cachedInputTokens,
    Integer reasoningTokens,
    Integer cacheCreationInputTokens) {
  /** No counts reported. */
  public static final TokenUsage NONE = new TokenUsage(null, null, null, null, null);

  public TokenUsage {
    LogField.INPUT_TOKENS.check(inputTokens);
    LogField.OUTPUT_TOKENS.check(outputTokens);
    LogField.CACHED_INPUT_TOKENS.check(cachedInputTokens);
    LogField.REASONING_TOKENS.check(reasoningTokens);
    LogField.CACHE_CREATION_INPUT_TOKENS.check(cacheCreationInputTokens);
  }

  /** Counts without prompt-cache writes. */
  public TokenUsage(
      Integer inputTokens,
      Integer outputTokens,
      Integer cachedInputTokens,
      Integer reasoningTokens) {
    this(inputTokens, outputTokens, cachedInputTokens, reasoningTokens, null);
  }

  /** The brief's usage: input and output tokens only. */
  public static TokenUsage of(int inputTokens, int outputTokens) {
    return new TokenUsage(inputTokens, outputTokens, null, null);
  }

  /** Input plus output tokens, or null when neither was reported. */
  public Integer totalTokens() {
    if (inputTokens == null && outputTokens == null) {
      return null;
    }
    long total =
        (long) (inputTokens == null ? 0 : inputTokens) + (outputTokens == null ? 0 : outputTokens);
    return (int) Math.min(Integer.MAX_VALUE, total);
  }
}

package io.llmlog.core.cost;

/**
 * What one model costs, in US dollars per million tokens.
 *
 * @param input uncached input (prompt) tokens
 * @param cachedInput input tokens served from the provider's prompt cache
 * @param output generated tokens other than reasoning
 * @param reasoning hidden reasoning tokens; providers bill them as output
 */
public record ModelPrice(double input, double cachedInput, double output, double reasoning) {
  private static final double PER_TOKEN = 1e-6;

  public ModelPrice {
    check("input", input);
    check("cached_input", cachedInput);
    check("output", output);
    check("reasoning", reasoning);
  }

  private static void check(String name, double value) {
    if (!(value >= 0 && value < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(name + ": must be a finite number >= 0, was " + value);
    }
  }

  /** A price without a cache discount or a separate reasoning price. */
  public static ModelPrice of(double input, double output) {
    return new ModelPrice(input, input, output, output);
  }

  /**
   * The cost of one call: {@code (input − cached) × input + cached × cachedInput + (output −
   * reasoning) × output + reasoning × reasoning}, per million. Input counts include cached ones and
   * output counts include reasoning ones, as {@link io.llmlog.core.TokenUsage} reports them; a part
   * larger than its whole counts as the whole.
   *
   * @throws IllegalArgumentException when a count is negative
   */
  public double costUsd(
      long inputTokens, long cachedInputTokens, long outputTokens, long reasoningTokens) {
    if (inputTokens < 0 || cachedInputTokens < 0 || outputTokens < 0 || reasoningTokens < 0) {
      throw new IllegalArgumentException(
          "token counts must be >= 0, were "
              + inputTokens
              + ", "
              + cachedInputTokens
              + ", "
              + outputTokens
              + ", "
              + reasoningTokens);
    }
    long cached = Math.min(cachedInputTokens, inputTokens);
    long reasoningPart = Math.min(reasoningTokens, outputTokens);
    return ((inputTokens - cached) * input
            + cached * cachedInput
            + (outputTokens - reasoningPart) * output
            + reasoningPart * reasoning)
        * PER_TOKEN;
  }
}

package io.llmlog.core;

/**
 * The sampling parameters sent with a call: the brief's {@code config}. Null means "not set".
 *
 * @param temperature between 0 and 2
 * @param topP nucleus sampling mass, between 0 and 1
 * @param maxTokens the output token limit
 */
public record ModelParameters(Double temperature, Double topP, Integer maxTokens) {
  /** No parameters set. */
  public static final ModelParameters NONE = new ModelParameters(null, null, null);

  public ModelParameters {
    LogField.TEMPERATURE.check(temperature);
    LogField.TOP_P.check(topP);
    LogField.MAX_TOKENS.check(maxTokens);
  }
}

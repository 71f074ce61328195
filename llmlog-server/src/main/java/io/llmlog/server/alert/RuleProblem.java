package io.llmlog.server.alert;

/**
 * Why a rule cannot be used, and where: {@code rules.yaml:12: rule 'SlowInference': window '5x' is
 * not a duration such as 5m}.
 *
 * @param source the file, or a description such as {@code alerts.rules}
 * @param line 1-based, 0 when unknown
 * @param rule the rule's name, or {@code #3} when it has none
 * @param message the problem
 */
public record RuleProblem(String source, int line, String rule, String message) {
  @Override
  public String toString() {
    return source
        + (line > 0 ? ":" + line : "")
        + ": "
        + (rule == null ? "" : "rule " + rule + ": ")
        + message;
  }
}

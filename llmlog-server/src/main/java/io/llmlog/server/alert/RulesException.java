package io.llmlog.server.alert;

import java.util.List;

/** The alert rules cannot be used; lists every problem found, each with its rule and line. */
public final class RulesException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<RuleProblem> problems;

  public RulesException(List<RuleProblem> problems) {
    super(message(problems));
    this.problems = List.copyOf(problems);
  }

  public List<RuleProblem> problems() {
    return problems;
  }

  private static String message(List<RuleProblem> problems) {
    StringBuilder message =
        new StringBuilder(
            "invalid alert rules ("
                + problems.size()
                + (problems.size() == 1 ? " problem" : " problems")
                + "):");
    problems.forEach(problem -> message.append("\n  ").append(problem));
    return message.toString();
  }
}

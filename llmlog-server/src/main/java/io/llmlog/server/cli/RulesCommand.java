package io.llmlog.server.cli;

import io.llmlog.server.alert.AlertRules;
import io.llmlog.server.alert.RuleProblem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ./llmlog rules ...}: tools for alert rules. */
@Command(
    name = "rules",
    header = "Check alert rules files.",
    mixinStandardHelpOptions = true,
    description =
        "Alert rules: check a rules file before the server loads it (see docs/alerts.md).",
    subcommands = {RulesCommand.Check.class})
final class RulesCommand extends CommandGroup {
  /**
   * {@code ./llmlog rules check FILE}: exit 0 with a summary when valid, 1 with every problem
   * otherwise.
   */
  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = {
        "Validates alert rules: a rules file (a YAML list of rules, or 'rules:' with one),",
        "or an llmlog.yaml with 'alerts: rules:'. Prints the rules when they are valid (exit 0),",
        "else each problem with its file, line and rule (exit 1)."
      })
  static final class Check implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(
        index = "0",
        paramLabel = "FILE",
        description = "the rules file or llmlog.yaml to check")
    Path file;

    @Override
    public Integer call() {
      AlertRules.Check check = AlertRules.check(file);
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (!check.valid()) {
        for (RuleProblem problem : check.problems()) {
          err.println(problem);
        }
        err.println(
            file
                + ": "
                + check.problems().size()
                + (check.problems().size() == 1 ? " problem" : " problems")
                + "; the server refuses to start with these rules");
        err.flush();
        return 1;
      }
      out.println(
          file
              + ": "
              + check.rules().size()
              + (check.rules().size() == 1 ? " rule" : " rules")
              + ", all valid");
      for (String rule : check.rules()) {
        out.println("  " + rule);
      }
      out.flush();
      return 0;
    }
  }
}

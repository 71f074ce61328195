package io.llmlog.server.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * How every command tree of {@code ./llmlog} answers (the server's and {@code bench}'s): usage wide
 * enough for the descriptions as written, and errors in one line — an unknown option named with the
 * valid ones, a failed command with its message — never a stack trace.
 */
public final class CommandLines {
  private CommandLines() {}

  /** Applies the house rules to {@code commandLine} and its sub-commands; returns it. */
  public static CommandLine configure(CommandLine commandLine) {
    // Wide enough for the descriptions as written; 80 columns broke URLs in the middle.
    commandLine.setUsageHelpWidth(110);
    commandLine.setParameterExceptionHandler(CommandLines::badArguments);
    commandLine.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          line.getErr().println(line.getCommandSpec().root().name() + ": " + e.getMessage());
          return 1;
        });
    return commandLine;
  }

  private static int badArguments(CommandLine.ParameterException e, String[] args) {
    CommandLine line = e.getCommandLine();
    String unknown = unknownOption(line, args);
    String problem;
    if (unknown != null) {
      // Named first even when picocli stopped at something else, such as a missing parameter.
      problem = "unknown option '" + unknown + "'";
    } else if (e instanceof CommandLine.UnmatchedArgumentException unmatched
        && !unmatched.getUnmatched().isEmpty()) {
      problem = "unexpected argument '" + unmatched.getUnmatched().getFirst() + "'";
    } else {
      problem = e.getMessage();
    }
    List<String> options = new ArrayList<>();
    for (OptionSpec option : line.getCommandSpec().options()) {
      if (!option.hidden()) {
        options.add(option.longestName());
      }
    }
    String commands =
        line.getSubcommands().isEmpty()
            ? ""
            : "; commands: " + String.join(", ", line.getSubcommands().keySet());
    line.getErr()
        .println(
            name(line)
                + ": "
                + problem
                + "; valid options: "
                + String.join(", ", options)
                + commands
                + " ("
                + name(line)
                + " --help shows the usage)");
    return line.getCommandSpec().exitCodeOnInvalidInput();
  }

  /** The first argument that looks like an option this command does not have, or null. */
  private static String unknownOption(CommandLine line, String[] args) {
    for (String arg : args) {
      if (arg.equals("--")) {
        return null;
      }
      if (arg.startsWith("-") && arg.length() > 1 && !Character.isDigit(arg.charAt(1))) {
        String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        if (line.getCommandSpec().findOption(name) == null
            && !line.getCommandSpec().root().subcommands().containsKey(name)) {
          boolean known = false;
          for (CommandLine command = line;
              command != null && !known;
              command = command.getParent()) {
            known = command.getCommandSpec().findOption(name) != null;
          }
          if (!known) {
            return name;
          }
        }
      }
    }
    return null;
  }

  /** The command as typed: {@code llmlog archive restore}. */
  private static String name(CommandLine line) {
    CommandSpec spec = line.getCommandSpec();
    return spec.qualifiedName(" ");
  }
}

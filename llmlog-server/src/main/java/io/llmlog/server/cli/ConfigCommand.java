package io.llmlog.server.cli;

import io.llmlog.server.ServerSettings;
import io.llmlog.server.config.ConfigException;
import io.llmlog.server.config.EffectiveSetting;
import io.llmlog.server.config.Settings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code ./llmlog config ...}: check a configuration, or show the settings in force. */
@Command(
    name = "config",
    header = "Check llmlog.yaml, or show the settings in force and where each comes from.",
    mixinStandardHelpOptions = true,
    description = "Configuration tools (see README, \"Configuration\").",
    subcommands = {ConfigCommand.Check.class, ConfigCommand.Show.class})
final class ConfigCommand extends CommandGroup {
  /**
   * {@code ./llmlog config check FILE}: exit 0 when the server would start with it, 1 with every
   * problem otherwise.
   */
  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = {
        "Reads FILE as the server would (with this shell's LLMLOG_* variables) and lists every problem:",
        "unknown keys with the nearest known one, values that cannot be used, alert rules that do not",
        "parse. Exit 0 when there are none, 1 otherwise."
      })
  static final class Check implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the llmlog.yaml to check")
    Path file;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      List<String> problems;
      try {
        problems = ServerSettings.problems(Settings.load(file, System.getenv()));
      } catch (ConfigException unreadable) {
        problems = List.of(unreadable.getMessage());
      }
      if (!problems.isEmpty()) {
        problems.forEach(err::println);
        err.println(
            file
                + ": "
                + problems.size()
                + (problems.size() == 1 ? " problem" : " problems")
                + "; the server refuses to start with it");
        err.flush();
        return 1;
      }
      out.println(file + ": valid");
      out.flush();
      return 0;
    }
  }

  /** {@code ./llmlog config show}: every setting in force, where it came from, secrets masked. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = {
        "Prints every setting as the server would use it, with where its value comes from: default,",
        "file, env (an LLMLOG_* variable) or option. Secrets (passwords, API keys, webhook URLs and",
        "headers) are masked. Takes the same options as serve."
      })
  static final class Show implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Mixin SettingsOptions options;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      Settings settings;
      try {
        settings = options.settings();
      } catch (ConfigException e) {
        spec.commandLine().getErr().println("llmlog: " + e.getMessage());
        return 1;
      }
      List<String> problems = ServerSettings.problems(settings);
      Table table = new Table("KEY", "VALUE", "FROM");
      for (EffectiveSetting setting : settings.effective()) {
        table.row(setting.key(), Table.clip(setting.value(), 80), setting.origin());
      }
      table.print(out);
      out.flush();
      if (!problems.isEmpty()) {
        PrintWriter err = spec.commandLine().getErr();
        problems.forEach(err::println);
        err.flush();
        return 1;
      }
      return 0;
    }
  }
}

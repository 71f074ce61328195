package io.llmlog.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmlog.server.cli.LlmlogCommand;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command and sub-command of {@code ./llmlog} — the server's tree and {@code ./llmlog
 * bench}'s, found by walking the picocli trees, so a new command is covered by itself, and the
 * launcher's own {@code install-sdk} and {@code example} — answers {@code --help} with its usage,
 * and an unknown option with one line naming it and the valid options.
 */
class CommandHelpTest {
  private record Run(int status, String out, String err) {}

  private record Tree(String launcherPrefix, Supplier<CommandLine> root) {}

  private static final List<Tree> TREES =
      List.of(
          new Tree("", LlmlogCommand::commandLine), new Tree("bench ", BenchCommand::commandLine));

  /**
   * Every command's path below its root ({@code [archive, restore]}), the root itself as the empty
   * path.
   */
  private static List<List<String>> paths(CommandLine line, List<String> path) {
    List<List<String>> paths = new ArrayList<>();
    paths.add(path);
    line.getSubcommands()
        .forEach(
            (name, sub) -> {
              // picocli's help command lists itself under its aliases too; each command once.
              if (sub.getCommandName().equals(name)) {
                List<String> child = new ArrayList<>(path);
                child.add(name);
                paths.addAll(paths(sub, child));
              }
            });
    return paths;
  }

  private static Run run(Supplier<CommandLine> root, List<String> path, String... more) {
    CommandLine line = root.get();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    List<String> args = new ArrayList<>(path);
    args.addAll(List.of(more));
    return new Run(line.execute(args.toArray(String[]::new)), out.toString(), err.toString());
  }

  @Test
  void help_everyCommandAndSubCommand_printsItsUsage() {
    int commands = 0;
    for (Tree tree : TREES) {
      for (List<String> path : paths(tree.root().get(), List.of())) {
        Run run = run(tree.root(), path, "--help");
        String typed = "./llmlog " + tree.launcherPrefix() + String.join(" ", path) + " --help";

        assertThat(run.status()).as(typed + "\n" + run.err()).isZero();
        assertThat(run.out())
            .as(typed)
            .contains("Usage: ")
            .contains(path.isEmpty() ? "llmlog" : path.getLast())
            .contains("--help");
        assertThat(run.err()).as(typed).isEmpty();
        commands++;
      }
    }
    // The server's (llmlog, serve, query, stats, rules, rules check, archive + 3, help) and bench's
    // (bench + 5).
    assertThat(commands).isGreaterThanOrEqualTo(17);
  }

  @Test
  void unknownOption_everyCommandAndSubCommand_isOneLineNamingItAndTheValidOnes() {
    for (Tree tree : TREES) {
      for (List<String> path : paths(tree.root().get(), List.of())) {
        CommandLine command = tree.root().get();
        for (String name : path) {
          command = command.getSubcommands().get(name);
        }
        if (command.getCommandSpec().parser().unmatchedOptionsArePositionalParams()
            || command.getCommandSpec().helpCommand()) {
          continue; // jmh: its arguments are JMH's own; help: its argument is a command's name
        }
        Run run = run(tree.root(), path, "--no-such-option");
        String typed =
            "./llmlog " + tree.launcherPrefix() + String.join(" ", path) + " --no-such-option";

        assertThat(run.status()).as(typed).isEqualTo(2);
        assertThat(run.out()).as(typed).isEmpty();
        assertThat(run.err().strip())
            .as(typed)
            .doesNotContain("\n")
            .doesNotContain("Exception")
            .contains("unknown option '--no-such-option'")
            .contains("valid options: ")
            .contains("--help");
      }
    }
  }

  /**
   * The launcher's own commands, which run Maven rather than the CLI; each with the arguments
   * before its options.
   */
  private static final List<List<String>> LAUNCHER_COMMANDS =
      List.of(List.of("install-sdk"), List.of("example", "sdk-quickstart"));

  /** Runs the launcher script ({@code ./llmlog}) of this checkout. */
  private static Run launcher(List<String> command, String... more) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of("bash", Path.of("..", "llmlog").toAbsolutePath().normalize().toString()));
    args.addAll(command);
    args.addAll(List.of(more));
    Process process =
        new ProcessBuilder(args)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", args)).isTrue();
    return new Run(
        process.exitValue(),
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void launcherCommands_help_printTheirUsage() throws Exception {
    for (List<String> command : LAUNCHER_COMMANDS) {
      for (String help : List.of("--help", "-h")) {
        Run run = launcher(command, help);
        String typed = "./llmlog " + String.join(" ", command) + " " + help;

        assertThat(run.status()).as(typed + "\n" + run.err()).isZero();
        assertThat(run.out())
            .as(typed)
            .startsWith("Usage: ./llmlog " + command.get(0))
            .contains("--help")
            .contains("-Dmaven.repo.local=");
        assertThat(run.err()).as(typed).isEmpty();
      }
    }
  }

  @Test
  void launcherCommands_unknownOption_isOneLineNamingItAndTheValidOnes() throws Exception {
    for (List<String> command : LAUNCHER_COMMANDS) {
      Run run = launcher(command, "-Dmaven.repo.local=/nowhere", "--no-such-option");
      String typed = "./llmlog " + String.join(" ", command) + " --no-such-option";

      assertThat(run.status()).as(typed).isEqualTo(2);
      assertThat(run.out()).as(typed).isEmpty();
      assertThat(run.err().strip())
          .as(typed)
          .doesNotContain("\n")
          .contains("unknown option '--no-such-option'")
          .contains("valid options: ")
          .contains("--help");
    }
  }

  @Test
  void example_unknownName_isOneLineListingTheExamples() throws Exception {
    Run run = launcher(List.of("example", "no-such-example"));

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err().strip())
        .doesNotContain("\n")
        .contains("no example 'no-such-example'")
        .contains("sdk-quickstart");
  }

  @Test
  void benchIngest_badOptionValue_isOneLineWithoutAStackTrace() {
    Run run = run(BenchCommand::commandLine, List.of("ingest"), "--docs");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err().strip()).doesNotContain("\n").contains("--docs");
  }
}

package io.llmlog.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./llmlog}: the entry point of the server and its command-line tools. */
@Command(
    name = "llmlog",
    mixinStandardHelpOptions = true,
    versionProvider = LlmlogCommand.Version.class,
    description = {
      "llmlog: self-hosted logging for applications that call large language models.",
      "",
      "Start the server with './llmlog serve', then send logs with the llmlog Java SDK,",
      "POST them to http://localhost:8080/api/v1/logs, or point any Elasticsearch shipper",
      "(Filebeat, Logstash, Fluent Bit, ...) at http://localhost:9200."
    },
    subcommands = {
      ServeCommand.class,
      ConfigCommand.class,
      QueryCommand.class,
      StatsCommand.class,
      TraceCommand.class,
      TracesCommand.class,
      SessionsCommand.class,
      RulesCommand.class,
      ArchiveCommand.class,
      QualityCommand.class,
      CommandLine.HelpCommand.class
    })
public final class LlmlogCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command tree, as tests drive it. */
  public static CommandLine commandLine() {
    return CommandLines.configure(new CommandLine(new LlmlogCommand()));
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = LlmlogCommand.class.getPackage().getImplementationVersion();
      return new String[] {"llmlog " + (version == null ? "development build" : version)};
    }
  }
}

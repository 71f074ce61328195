package io.llmlog.bench;

import io.llmlog.bench.archive.ArchiveCompression;
import io.llmlog.bench.e2e.GatewayBenchmark;
import io.llmlog.bench.e2e.IngestBenchmark;
import io.llmlog.bench.e2e.QueryBenchmark;
import io.llmlog.bench.e2e.StorageBenchmark;
import io.llmlog.bench.integrations.ListenerCost;
import io.llmlog.server.cli.CommandLines;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * {@code ./llmlog bench ...}: the JMH micro-benchmarks ({@code ./llmlog bench jmh [JMH options]})
 * and the end-to-end load generators, as one command tree with {@code --help} everywhere. The
 * options of each load generator are its own defaults ({@code IngestBenchmark.defaults()}, ...), so
 * a new option shows up here by itself.
 */
public final class BenchCommand {
  private BenchCommand() {}

  /** A benchmark's entry point. */
  @FunctionalInterface
  interface Main {
    void run(String[] args) throws Exception;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command tree, as tests drive it. */
  public static CommandLine commandLine() {
    CommandLine[] root = new CommandLine[1];
    // Without a command: the usage, which lists the commands.
    CommandSpec bench =
        CommandSpec.wrapWithoutInspection((Runnable) () -> root[0].usage(root[0].getOut()));
    bench.name("llmlog bench").mixinStandardHelpOptions(true);
    bench
        .usageMessage()
        .description(
            "Benchmarks of llmlog; the numbers, machines and commands are in BENCHMARKS.md.");
    root[0] = new CommandLine(bench);
    root[0].addSubcommand("jmh", jmh());
    root[0].addSubcommand("archive-compression", archiveCompression());
    root[0].addSubcommand(
        "ingest",
        generator(
            "llmlog end to end (the _bulk facade and the native API) vs a direct _bulk into the same node "
                + "with the brief's template.",
            IngestBenchmark.defaults(),
            IngestBenchmark::main));
    root[0].addSubcommand(
        "otlp",
        generator(
            "the same calls as OTLP/HTTP spans (protobuf, gzip) vs the native NDJSON API, calls/s.",
            IngestBenchmark.otlpDefaults(),
            IngestBenchmark::otlp));
    root[0].addSubcommand(
        "query",
        generator(
            "the brief's Kibana query, a KQL search, the dashboard's stats and the traces, sessions and users "
                + "listings and one trace at a million calls in agent runs, llmlog's index vs the brief's template.",
            QueryBenchmark.defaults(),
            QueryBenchmark::main));
    root[0].addSubcommand(
        "storage",
        generator(
            "bytes per document after a force-merge: llmlog, the brief's template, raw NDJSON.",
            StorageBenchmark.defaults(),
            StorageBenchmark::main));
    root[0].addSubcommand(
        "gateway",
        generator(
            "the logging gateway vs calling a fake upstream directly, in one run: added latency, time to first "
                + "byte of a stream, concurrent streams, calls/s.",
            GatewayBenchmark.defaults(),
            GatewayBenchmark::main));
    root[0].addSubcommand(
        "listener-cost",
        generator(
            "the LangChain4j listener's cost on the caller's thread, in that thread's CPU time: "
                + "the same chat against a local OpenAI-compatible server without and with the listener, and its callbacks alone.",
            ListenerCost.defaults(),
            ListenerCost::main));
    return CommandLines.configure(root[0]);
  }

  /**
   * {@code jmh}: everything after it goes to JMH's own command line ({@code -f 1 -wi 3
   * RedactorBenchmark}).
   */
  private static CommandLine jmh() {
    List<String> passed = new ArrayList<>();
    CommandSpec spec =
        CommandSpec.wrapWithoutInspection(
            (Callable<Integer>)
                () -> {
                  org.openjdk.jmh.Main.main(passed.toArray(String[]::new));
                  return 0;
                });
    spec.mixinStandardHelpOptions(true);
    spec.usageMessage()
        .description(
            "Runs the JMH micro-benchmarks, e.g. ./llmlog bench jmh RedactorBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s; "
                + "everything after jmh is JMH's (jmh -h lists JMH's options).");
    spec.parser().unmatchedOptionsArePositionalParams(true);
    spec.addPositional(
        PositionalParamSpec.builder()
            .paramLabel("JMH_ARGS")
            .arity("0..*")
            .type(List.class)
            .auxiliaryTypes(String.class)
            .description("benchmark name patterns and JMH options")
            .setter(
                new CommandLine.Model.ISetter() {
                  @Override
                  @SuppressWarnings("unchecked")
                  public <T> T set(T value) {
                    passed.clear();
                    if (value != null) {
                      passed.addAll((List<String>) value);
                    }
                    return null;
                  }
                })
            .build());
    return new CommandLine(spec);
  }

  private static CommandLine archiveCompression() {
    List<String> passed = new ArrayList<>();
    CommandSpec spec =
        CommandSpec.wrapWithoutInspection(
            (Callable<Integer>)
                () -> {
                  ArchiveCompression.main(passed.toArray(String[]::new));
                  return 0;
                });
    spec.mixinStandardHelpOptions(true);
    spec.usageMessage()
        .description("Archive size of realistic LLM logs, gzip and zstd vs raw NDJSON.");
    for (String[] positional :
        new String[][] {
          {"0", "CALLS", "how many calls (default 20000)"},
          {"1", "SEED", "the generator's seed (default 42)"}
        }) {
      int index = Integer.parseInt(positional[0]);
      spec.addPositional(
          PositionalParamSpec.builder()
              .index(positional[0])
              .paramLabel(positional[1])
              .arity("0..1")
              .type(String.class)
              .description(positional[2])
              .setter(
                  new CommandLine.Model.ISetter() {
                    @Override
                    public <T> T set(T value) {
                      while (passed.size() <= index) {
                        passed.add(null);
                      }
                      passed.set(index, (String) value);
                      return null;
                    }
                  })
              .build());
    }
    return new CommandLine(spec);
  }

  /** A load generator: one {@code --name value} option per default, passed on as given. */
  private static CommandLine generator(
      String description, Map<String, String> defaults, Main main) {
    CommandSpec[] self = new CommandSpec[1];
    CommandSpec spec =
        CommandSpec.wrapWithoutInspection(
            (Callable<Integer>)
                () -> {
                  List<String> args = new ArrayList<>();
                  for (String name : defaults.keySet()) {
                    Object value = self[0].findOption("--" + name).getValue();
                    if (value != null) {
                      args.add("--" + name);
                      args.add(value.toString());
                    }
                  }
                  main.run(args.toArray(String[]::new));
                  return 0;
                });
    self[0] = spec;
    spec.mixinStandardHelpOptions(true);
    spec.usageMessage().description(description);
    for (Map.Entry<String, String> option : defaults.entrySet()) {
      boolean flag = option.getValue().equals("false");
      spec.addOption(
          OptionSpec.builder("--" + option.getKey())
              .paramLabel(flag ? "true|false" : "VALUE")
              .arity(flag ? "0..1" : "1")
              .type(String.class)
              .fallbackValue("true")
              .description(
                  option.getValue().isEmpty()
                      ? "(default: none)"
                      : "(default: " + option.getValue() + ")")
              .build());
    }
    return new CommandLine(spec);
  }
}

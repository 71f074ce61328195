package io.llmlog.bench;

import java.util.Arrays;

/**
 * {@code ./llmlog bench ...}: runs the JMH micro-benchmarks ({@code ./llmlog bench jmh [JMH options]})
 * and, as they land, the end-to-end load generators.
 */
public final class BenchCommand {
  private BenchCommand() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      System.out.println("""
          Usage: ./llmlog bench <command> [options]

            jmh [JMH options]   run the JMH micro-benchmarks, e.g. ./llmlog bench jmh LoggerBenchmark
            archive-compression [calls] [seed]
                                archive size of realistic LLM logs, gzip and zstd vs raw NDJSON
            ingest [--docs 50000 --rounds 3 --batch 500 --concurrency 4 --targets direct,facade,native ...]
                                llmlog end to end vs a direct _bulk into the same node with the brief's template
            query [--docs 1000000 --runs 100 --warmup 10 ...]
                                the brief's Kibana query, a KQL search and the dashboard's stats, llmlog vs the brief's template
            storage [--docs 200000 --experiments best_compression,sort,...]
                                bytes per document after a force-merge: llmlog, the brief's template, raw NDJSON
            listener-cost [--calls 2000 --callbacks 50000]
                                the LangChain4j listener's cost on the caller's thread, in that thread's CPU time
          """);
      return;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "jmh" -> org.openjdk.jmh.Main.main(rest);
      case "archive-compression" -> io.llmlog.bench.archive.ArchiveCompression.main(rest);
      case "ingest" -> io.llmlog.bench.e2e.IngestBenchmark.main(rest);
      case "query" -> io.llmlog.bench.e2e.QueryBenchmark.main(rest);
      case "storage" -> io.llmlog.bench.e2e.StorageBenchmark.main(rest);
      case "listener-cost" -> io.llmlog.bench.integrations.ListenerCost.main(rest);
      default -> {
        System.err.println("llmlog bench: unknown command '" + args[0] + "'; see ./llmlog bench --help");
        System.exit(2);
      }
    }
  }
}

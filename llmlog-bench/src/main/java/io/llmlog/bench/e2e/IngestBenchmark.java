package io.llmlog.bench.e2e;

import io.llmlog.bench.data.LlmLogGenerator;
import io.llmlog.bench.data.StoredDocuments;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./llmlog bench ingest}: llmlog end to end (the {@code _bulk} facade and the native NDJSON
 * API with gzip, default pipeline, durable acknowledgement) against the peer, a direct {@code
 * _bulk} of the same flattened documents into the same node with the brief's template.
 *
 * <p>Each round generates a fresh day of calls and sends exactly those documents to every target,
 * in an order that rotates from round to round, so that drifting load on a shared machine falls on
 * all targets alike. Each target writes a fresh daily index, which is counted (every document must
 * be there), and deleted after its run. Round 0 warms the JIT up and is not reported.
 */
public final class IngestBenchmark {
  private IngestBenchmark() {}

  /**
   * A target, or with an experiment a direct {@code _bulk} of the documents llmlog stores (after
   * its pipeline) into a variation of llmlog's template ({@link Experiments}): what the variation
   * costs the engine, without llmlog's own work.
   */
  record Contestant(Target target, String experiment) {
    String label() {
      return experiment == null ? target.label : "direct _bulk, llmlog template + " + experiment;
    }

    String indices(Corpus corpus) {
      return experiment == null
          ? target.indices(corpus)
          : Experiments.pattern(experiment) + corpus.dayName();
    }
  }

  /** The options of {@code ingest} and their defaults, in the order the usage lists them. */
  public static Map<String, String> defaults() {
    return defaults("direct,facade,native", "false");
  }

  /**
   * The options of {@code otlp}: the same generator, OTLP against the native API, with structured
   * messages.
   */
  public static Map<String, String> otlpDefaults() {
    return defaults("native,otlp", "true");
  }

  public static void main(String[] args) throws Exception {
    run(args, "ingest", defaults());
  }

  /**
   * {@code ./llmlog bench otlp}: the same calls sent as OTLP spans (protobuf, gzip) and as the
   * native API's NDJSON (gzip) in the same run, the native API the baseline of the ratio. The calls
   * carry their conversation as structured messages on both sides, as OpenTelemetry sends it, so
   * that both store the same documents and the ratio measures the decoding and mapping.
   */
  public static void otlp(String[] args) throws Exception {
    run(args, "otlp", otlpDefaults());
  }

  private static Map<String, String> defaults(String targetsByDefault, String messagesByDefault) {
    Map<String, String> defaults = new LinkedHashMap<>();
    defaults.put("docs", "50000");
    defaults.put("rounds", "3");
    defaults.put("batch", "500");
    defaults.put("concurrency", "4");
    defaults.put("targets", targetsByDefault);
    defaults.put("experiments", "");
    defaults.put("texts", "natural");
    defaults.put("errors", "0.03");
    defaults.put("seed", "42");
    defaults.put("dir", "/tmp");
    defaults.put("llmlog", "");
    defaults.put("keep", "false");
    defaults.put("messages", messagesByDefault);
    return defaults;
  }

  /**
   * Runs the targets; the ratio columns compare each with the direct {@code _bulk} when it runs,
   * else with the first target.
   */
  private static void run(String[] args, String command, Map<String, String> defaults)
      throws Exception {
    Options options = new Options(args, defaults);
    List<Contestant> targets =
        new ArrayList<>(
            options.list("targets").stream()
                .map(t -> new Contestant(Target.parse(t), null))
                .toList());
    options
        .list("experiments")
        .forEach(name -> targets.add(new Contestant(Target.DIRECT_ID, name)));
    System.out.println("# llmlog bench " + command + " " + options.describe());
    System.out.println("Machine: " + Machine.describe());
    try (Rig rig =
        Rig.start(
            Path.of(options.string("dir")),
            settings(options.string("llmlog")),
            options.flag("keep"))) {
      Loader loader = new Loader(rig.http);
      options.list("experiments").forEach(name -> Experiments.install(rig, name));
      StoredDocuments pipeline =
          new StoredDocuments(new com.fasterxml.jackson.databind.ObjectMapper());
      for (int batch : options.integers("batch")) {
        for (int concurrency : options.integers("concurrency")) {
          Map<Contestant, List<Loader.Run>> runs = new LinkedHashMap<>();
          targets.forEach(t -> runs.put(t, new ArrayList<>()));
          List<String> loads = new ArrayList<>();
          for (int round = 0; round <= options.integer("rounds"); round++) {
            Corpus corpus =
                new Corpus(
                    options.number("seed") + round,
                    LocalDate.of(2026, 8, 1).plusDays(round),
                    LlmLogGenerator.Texts.valueOf(options.string("texts").toUpperCase(Locale.ROOT)),
                    Double.parseDouble(options.string("errors")),
                    Boolean.parseBoolean(options.string("messages")));
            List<Corpus.Doc> docs = corpus.next(options.integer("docs"));
            List<Corpus.Doc> storedDocs =
                options.list("experiments").isEmpty()
                    ? List.of()
                    : docs.stream()
                        .map(d -> new Corpus.Doc(d.requestId(), pipeline.source(d.json())))
                        .toList();
            List<Contestant> order = new ArrayList<>(targets);
            java.util.Collections.rotate(order, -round);
            String loadBefore = Machine.load();
            for (Contestant target : order) {
              List<Target.Batch> batches = new ArrayList<>();
              for (int from = 0; from < docs.size(); from += batch) {
                int to = Math.min(docs.size(), from + batch);
                batches.add(
                    target.experiment() == null
                        ? target.target().batch(corpus, docs.subList(from, to))
                        : Target.DIRECT_ID.batch(
                            target.indices(corpus), storedDocs.subList(from, to)));
              }
              String indices = target.indices(corpus);
              rig.awaitMergesIdle(Duration.ofMinutes(2));
              System.gc();
              Loader.Run run =
                  loader.run(
                      target.target(),
                      target.target().base(rig),
                      batches,
                      concurrency,
                      () -> rig.refresh(indices));
              long stored = rig.count(indices);
              if (stored != docs.size()) {
                throw new IllegalStateException(
                    target.label()
                        + " stored "
                        + stored
                        + " of "
                        + docs.size()
                        + " documents in "
                        + indices);
              }
              rig.delete(indices);
              System.out.printf(
                  Locale.ROOT,
                  "round %d%s %-36s %8.0f docs/s %6.1f MB/s  ack p50 %6.0f ms p99 %6.0f ms  CPU %6.0f ms/1000 docs  GC %5d ms  retries %d%n",
                  round,
                  round == 0 ? " (warm-up)" : "",
                  target.label(),
                  run.docsPerSecond(),
                  run.megabytesPerSecond(),
                  run.ackMillis(50),
                  run.ackMillis(99),
                  run.cpuMillisPerThousand(),
                  run.gcMillis(),
                  run.retries());
              if (round > 0) {
                runs.get(target).add(run);
              }
            }
            loads.add(loadBefore + " → " + Machine.load());
          }
          report(runs, batch, concurrency, options.integer("docs"), loads);
          profile(runs);
        }
      }
    }
  }

  /** {@code a.b=1;c=2} as llmlog settings. */
  static Map<String, String> settings(String text) {
    Map<String, String> settings = new LinkedHashMap<>();
    for (String pair : text.split(";")) {
      if (!pair.isBlank()) {
        int equals = pair.indexOf('=');
        settings.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
      }
    }
    return settings;
  }

  private static void report(
      Map<Contestant, List<Loader.Run>> runs,
      int batch,
      int concurrency,
      int docs,
      List<String> loads) {
    System.out.printf(
        Locale.ROOT,
        "%n%d documents per target and round, %d rounds, batches of %d documents, %d client threads with one request each in flight%n",
        docs,
        runs.values().iterator().next().size(),
        batch,
        concurrency);
    System.out.println(
        "Load average (1, 5, 15 min) before → after each round: " + String.join("; ", loads));
    System.out.println();
    Contestant baseline =
        runs.containsKey(new Contestant(Target.DIRECT, null))
            ? new Contestant(Target.DIRECT, null)
            : runs.keySet().iterator().next();
    String versus =
        baseline.target() == Target.DIRECT ? "vs direct" : "vs " + baseline.target().key();
    System.out.println(
        "| target | docs/s (median of rounds) | range | MB/s | "
            + versus
            + " | ack p50 ms | ack p99 ms | CPU ms / 1000 docs | "
            + versus
            + " |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    List<Loader.Run> direct = runs.get(baseline);
    for (Map.Entry<Contestant, List<Loader.Run>> entry : runs.entrySet()) {
      List<Loader.Run> list = entry.getValue();
      double[] rates = list.stream().mapToDouble(Loader.Run::docsPerSecond).toArray();
      double[] cpu = list.stream().mapToDouble(Loader.Run::cpuMillisPerThousand).toArray();
      double[] mbs = list.stream().mapToDouble(Loader.Run::megabytesPerSecond).toArray();
      long[] acks = list.stream().flatMapToLong(r -> Arrays.stream(r.ackNanos())).toArray();
      String rateRatio = "";
      String cpuRatio = "";
      if (direct != null && !direct.isEmpty()) {
        // Each round's ratio, then their median: a round's targets saw the same documents and
        // nearly the same load.
        double[] ratios = new double[list.size()];
        double[] cpuRatios = new double[list.size()];
        for (int i = 0; i < list.size(); i++) {
          ratios[i] = list.get(i).docsPerSecond() / direct.get(i).docsPerSecond();
          cpuRatios[i] = list.get(i).cpuMillisPerThousand() / direct.get(i).cpuMillisPerThousand();
        }
        rateRatio = String.format(Locale.ROOT, "%.2f×", median(ratios));
        cpuRatio = String.format(Locale.ROOT, "%.2f×", median(cpuRatios));
      }
      System.out.printf(
          Locale.ROOT,
          "| %s | %,.0f | %,.0f–%,.0f | %.1f | %s | %.0f | %.0f | %.0f | %s |%n",
          entry.getKey().label(),
          median(rates),
          Arrays.stream(rates).min().orElse(0),
          Arrays.stream(rates).max().orElse(0),
          median(mbs),
          rateRatio,
          Loader.Percentiles.of(acks, 50) / 1e6,
          Loader.Percentiles.of(acks, 99) / 1e6,
          median(cpu),
          cpuRatio);
    }
    System.out.println();
  }

  /**
   * CPU per 1,000 documents by thread group, summed over the measured rounds: where each target's
   * extra CPU goes.
   */
  private static void profile(Map<Contestant, List<Loader.Run>> runs) {
    Map<String, Map<Contestant, Double>> table = new LinkedHashMap<>();
    for (Map.Entry<Contestant, List<Loader.Run>> entry : runs.entrySet()) {
      long docs = entry.getValue().stream().mapToLong(Loader.Run::docs).sum();
      for (Loader.Run run : entry.getValue()) {
        run.cpuByThreads()
            .forEach(
                (group, nanos) ->
                    table
                        .computeIfAbsent(group, g -> new LinkedHashMap<>())
                        .merge(entry.getKey(), nanos / 1e6 / (docs / 1000.0), Double::sum));
      }
    }
    System.out.println(
        "CPU ms per 1,000 documents by thread group (whole process; the refresh after the last acknowledgement included):");
    System.out.println();
    StringBuilder header = new StringBuilder("| thread group |");
    StringBuilder rule = new StringBuilder("|---|");
    runs.keySet()
        .forEach(
            t -> {
              header.append(' ').append(t.label()).append(" |");
              rule.append("---:|");
            });
    System.out.println(header);
    System.out.println(rule);
    table.entrySet().stream()
        .filter(e -> e.getValue().values().stream().anyMatch(v -> v >= 1))
        .sorted(
            (a, b) ->
                Double.compare(
                    b.getValue().values().stream().mapToDouble(Double::doubleValue).max().orElse(0),
                    a.getValue().values().stream()
                        .mapToDouble(Double::doubleValue)
                        .max()
                        .orElse(0)))
        .forEach(
            e -> {
              StringBuilder row = new StringBuilder("| " + e.getKey() + " |");
              runs.keySet()
                  .forEach(
                      t ->
                          row.append(
                              String.format(
                                  Locale.ROOT, " %.0f |", e.getValue().getOrDefault(t, 0.0))));
              System.out.println(row);
            });
    System.out.println();
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n == 0
        ? Double.NaN
        : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}

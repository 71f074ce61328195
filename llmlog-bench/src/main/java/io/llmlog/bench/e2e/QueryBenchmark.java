package io.llmlog.bench.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.bench.data.LlmLogGenerator;
import io.llmlog.server.query.SearchRequest;
import io.llmlog.server.query.Searcher;
import io.llmlog.server.query.StatsRequest;
import io.llmlog.server.query.StatsService;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ./llmlog bench query}: latencies of three queries on a day of calls (1,000,000 by default)
 * held both by llmlog (loaded through its native API) and by the brief's template (a direct {@code
 * _bulk} of the same documents), on one node:
 *
 * <ul>
 *   <li>the brief's Kibana query, verbatim: through llmlog's facade ({@code
 *       :9200/llm-logs-*\/_search}), and straight to the node on each contestant's indices;
 *   <li>a KQL search (a Chinese word and an English word in prompts, with a model filter), as the
 *       explorer asks it: through {@code GET /api/v1/search}, and with llmlog's {@link Searcher} on
 *       each contestant's indices (the same search body, highlighting included);
 *   <li>the dashboard's stats, by model over 24 h with the auto interval: through {@code GET
 *       /api/v1/stats}, and with {@link StatsService} on each contestant's indices;
 *   <li>with {@code --traces true} (the default) the calls come in agent runs ({@link AgentRuns}),
 *       whose steps go to llmlog's {@code POST /api/v1/spans}, and {@link TraceProbes} time the
 *       traces, sessions and users listings and one trace view.
 * </ul>
 *
 * With {@code --days N} the calls are spread over N daily indices (each day's a corpus of its own)
 * and the KQL and stats windows cover the N days, as a dashboard's "last 7 days" does; {@code
 * --index-runs} then bounds the samples of the aggregations on the calls' index, which take seconds
 * each at that volume.
 *
 * <p>Every run shifts the KQL and stats window by one second, as a dashboard's "last 24 hours"
 * moves, so that no answer comes from the engine's request cache; the brief's query is the same
 * every time, as the brief wrote it. Each round runs every probe once, in an order that rotates,
 * after {@code --warmup} untimed rounds. Then (unless {@code --force-merge false}) both contestants
 * are force-merged to one segment per shard, their bytes per document printed, and the queries
 * timed again.
 */
public final class QueryBenchmark {
  /** The file in a kept run's directory that holds the raw JSON's bytes of the loaded calls. */
  private static final String RAW_BYTES = "raw-json-bytes";

  private static final String BRIEF_QUERY = "brief's Kibana query";
  private static final String STATS_QUERY = "stats by model, %s, auto interval";
  private static final LocalDate FIRST_DAY = LocalDate.of(2026, 8, 1);

  /** How long {@code --await-rollups} waits for the stats rollups of the loaded days. */
  private static final Duration ROLLUPS_WAIT = Duration.ofMinutes(60);

  private QueryBenchmark() {}

  /**
   * @param unit what the answer's count counts: calls, or traces, sessions, users, nodes
   * @param aggregatesIndex the probe aggregates every call of the window in the index (timed {@code
   *     --index-runs} times)
   */
  record Probe(
      String query, String contestant, Callable<Long> call, String unit, boolean aggregatesIndex) {
    Probe(String query, String contestant, Callable<Long> call, String unit) {
      this(query, contestant, call, unit, false);
    }

    Probe(String query, String contestant, Callable<Long> call) {
      this(query, contestant, call, "calls");
    }
  }

  /** The options and their defaults, in the order the usage lists them. */
  public static Map<String, String> defaults() {
    Map<String, String> defaults = new LinkedHashMap<>();
    defaults.put("docs", "1000000");
    defaults.put("days", "1");
    defaults.put("runs", "100");
    defaults.put("index-runs", "");
    defaults.put("warmup", "10");
    defaults.put("texts", "natural");
    defaults.put("errors", "0.03");
    defaults.put("seed", "42");
    defaults.put("batch", "1000");
    defaults.put("concurrency", "4");
    defaults.put("force-merge", "true");
    defaults.put("experiments", "");
    defaults.put("dir", "/tmp");
    defaults.put("llmlog", "");
    defaults.put("keep", "false");
    defaults.put("traces", "true");
    defaults.put("reuse", "");
    defaults.put("probes", "all");
    defaults.put("await-rollups", "false");
    return defaults;
  }

  public static void main(String[] args) throws Exception {
    Options options = new Options(args, defaults());
    System.out.println("# llmlog bench query " + options.describe());
    System.out.println("Machine: " + Machine.describe());
    int runs = options.integer("runs");
    int indexRuns = options.string("index-runs").isEmpty() ? runs : options.integer("index-runs");
    if (options.integer("days") < 1 || runs < 1 || indexRuns < 1) {
      throw new IllegalArgumentException(
          "--days, --runs and --index-runs must be at least 1, were "
              + options.integer("days")
              + ", "
              + runs
              + " and "
              + indexRuns);
    }
    String reuse = options.string("reuse");
    try (Rig rig =
        reuse.isEmpty()
            ? Rig.start(
                Path.of(options.string("dir")),
                IngestBenchmark.settings(options.string("llmlog")),
                options.flag("keep"))
            : Rig.reuse(Path.of(reuse), IngestBenchmark.settings(options.string("llmlog")))) {
      boolean traces = options.flag("traces");
      List<Corpus> days = new ArrayList<>();
      for (int day = 0; day < options.integer("days"); day++) {
        days.add(
            new Corpus(
                options.number("seed") + day,
                FIRST_DAY.plusDays(day),
                LlmLogGenerator.Texts.valueOf(options.string("texts").toUpperCase(Locale.ROOT)),
                Double.parseDouble(options.string("errors")),
                false,
                traces));
      }
      Corpus corpus = days.get(0);
      List<String> experiments = options.list("experiments");
      long raw;
      if (reuse.isEmpty()) {
        raw = load(rig, days, options, experiments);
      } else {
        raw = Long.parseLong(Files.readString(rig.dir().resolve(RAW_BYTES)).trim());
        System.out.println("Reused the indices kept in " + reuse + "; nothing loaded");
      }
      List<Probe> probes = new ArrayList<>();
      String chosen = options.string("probes");
      List<Probe> calls = probes(rig, days, experiments);
      String stats = statsQuery(days.size());
      if (chosen.equals("all") || chosen.equals("calls")) {
        probes.addAll(calls);
      } else if (chosen.equals("brief") || chosen.equals("stats")) {
        String query = chosen.equals("brief") ? BRIEF_QUERY : stats;
        calls.stream().filter(probe -> probe.query().equals(query)).forEach(probes::add);
      } else if (chosen.equals("stats-api")) {
        calls.stream()
            .filter(p -> p.query().equals(stats) && p.contestant().startsWith("llmlog,"))
            .forEach(probes::add);
      } else if (chosen.equals("search")) {
        calls.stream().filter(probe -> !probe.query().equals(stats)).forEach(probes::add);
      }
      if (options.flag("await-rollups")) {
        awaitRollups(rig, days);
      }
      if (traces && (chosen.equals("all") || chosen.equals("traces"))) {
        probes.addAll(TraceProbes.probes(rig, corpus));
      }
      if (probes.isEmpty()) {
        throw new IllegalArgumentException(
            "--probes is all, calls (the brief's query, KQL, stats), search (the brief's query and KQL),"
                + " brief or stats (one of them), stats-api (llmlog's stats alone) or traces"
                + " (with --traces true),"
                + " was '"
                + chosen
                + "'");
      }
      System.out.println("\n## As loaded (segments as the engine merged them)\n");
      segments(rig, days, experiments);
      measure(probes, options.integer("warmup"), runs, indexRuns);
      if (options.flag("force-merge")) {
        System.out.println("\n## After a force-merge to one segment per shard\n");
        Map<String, String> indices = new LinkedHashMap<>();
        indices.put(StorageReport.LLMLOG_WARM, indices(days, Target.NATIVE::indices));
        indices.put("brief's template", indices(days, Target.DIRECT::indices));
        experiments.forEach(
            name ->
                indices.put(
                    "llmlog template + " + name, indices(days, c -> Experiments.index(name, c))));
        StorageReport.print(
            rig,
            indices,
            java.util.Set.of(StorageReport.LLMLOG_WARM),
            options.number("docs"),
            raw,
            "brief's template");
        if (traces) {
          rig.warm(indices(days, Target.STEPS::indices));
        }
        measure(probes, options.integer("warmup"), runs, indexRuns);
      }
      System.out.println("Load average at the end: " + Machine.load());
    }
  }

  /** The daily indices of every day, as one comma-separated list the engine takes. */
  private static String indices(
      List<Corpus> days, java.util.function.Function<Corpus, String> index) {
    return String.join(",", days.stream().map(index).toList());
  }

  /** The stats probe's name: the window it asks for. */
  private static String statsQuery(int days) {
    return String.format(Locale.ROOT, STATS_QUERY, days == 1 ? "24 h" : days + " days");
  }

  /**
   * Loads the days' calls into both contestants (and the steps into llmlog), day after day, and
   * returns the raw JSON's bytes; kept in the run's directory so that {@code --reuse} can report
   * storage against it.
   */
  private static long load(Rig rig, List<Corpus> days, Options options, List<String> experiments)
      throws Exception {
    long[] raw = new long[1];
    long loadStart = System.nanoTime();
    experiments.forEach(name -> Experiments.install(rig, name));
    Map<Target, Fill.Totals> loaded = new LinkedHashMap<>();
    long[] steps = new long[1];
    long total = options.number("docs");
    for (int day = 0; day < days.size(); day++) {
      long docs = total / days.size() + (day == days.size() - 1 ? total % days.size() : 0);
      loadDay(rig, days.get(day), docs, options, experiments, raw, steps)
          .forEach(
              (target, totals) ->
                  loaded.computeIfAbsent(target, t -> new Fill.Totals()).add(totals));
    }
    System.out.printf(Locale.ROOT, "Loaded in %.0f s:", (System.nanoTime() - loadStart) / 1e9);
    loaded.forEach(
        (target, totals) ->
            System.out.printf(
                Locale.ROOT,
                " %s %,d documents at %,.0f docs/s;",
                target.label,
                totals.docs,
                totals.docsPerSecond()));
    System.out.printf(Locale.ROOT, " and %,d steps of agent runs to llmlog%n", steps[0]);

    Files.writeString(rig.dir().resolve(RAW_BYTES), Long.toString(raw[0]));
    return raw[0];
  }

  /**
   * Loads one day's {@code calls}; adds their raw JSON's bytes to {@code raw[0]} and the steps sent
   * to {@code steps[0]}.
   */
  private static Map<Target, Fill.Totals> loadDay(
      Rig rig,
      Corpus corpus,
      long calls,
      Options options,
      List<String> experiments,
      long[] raw,
      long[] steps)
      throws Exception {
    io.llmlog.bench.data.StoredDocuments pipeline =
        new io.llmlog.bench.data.StoredDocuments(new ObjectMapper());
    Loader stepLoader = new Loader(rig.http);
    Map<Target, Fill.Totals> loaded =
        Fill.fill(
            rig,
            corpus,
            calls,
            List.of(Target.NATIVE, Target.DIRECT),
            options.integer("batch"),
            options.integer("concurrency"),
            docs -> {
              docs.forEach(doc -> raw[0] += doc.json().length + 1);
              // The agent runs' steps go to llmlog only: the brief's template has no place for
              // them.
              List<Corpus.Doc> chunkSteps = corpus.drainSteps();
              if (!chunkSteps.isEmpty()) {
                steps[0] += chunkSteps.size();
                try {
                  Fill.send(
                      rig,
                      stepLoader,
                      Target.STEPS,
                      corpus,
                      chunkSteps,
                      options.integer("batch"),
                      options.integer("concurrency"));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  throw new IllegalStateException(e);
                }
              }
              if (!experiments.isEmpty()) {
                List<Corpus.Doc> stored =
                    docs.stream()
                        .map(d -> new Corpus.Doc(d.requestId(), pipeline.source(d.json())))
                        .toList();
                experiments.forEach(
                    name ->
                        Experiments.load(
                            rig,
                            name,
                            corpus,
                            stored,
                            options.integer("batch"),
                            options.integer("concurrency")));
              }
            });
    experiments.forEach(name -> rig.refresh(Experiments.index(name, corpus)));
    rig.refresh(Target.STEPS.indices(corpus));
    return loaded;
  }

  private static void segments(Rig rig, List<Corpus> days, List<String> experiments)
      throws java.io.IOException {
    List<String> indices =
        new ArrayList<>(
            List.of(indices(days, Target.NATIVE::indices), indices(days, Target.DIRECT::indices)));
    experiments.forEach(name -> indices.add(indices(days, c -> Experiments.index(name, c))));
    for (String index : indices) {
      Rig.IndexSize size = rig.size(index);
      System.out.printf(
          Locale.ROOT,
          "%s: %,d documents, %d segments, %,.0f bytes per document%n",
          index,
          size.docs(),
          size.segments(),
          size.storeBytes() / (double) size.docs());
    }
    System.out.println();
  }

  /** Whose indices a node-level probe reads: a label and an index prefix. */
  private record Holder(String label, String prefix) {}

  private static List<Probe> probes(Rig rig, List<Corpus> days, List<String> experiments) {
    Corpus corpus = days.get(0);
    ObjectMapper json = new ObjectMapper();
    Clock clock = Clock.systemUTC();
    List<Holder> holders =
        new ArrayList<>(
            List.of(
                new Holder("llmlog's template", Rig.LLMLOG_PREFIX),
                new Holder("brief's template", Rig.PEER_PREFIX)));
    experiments.forEach(
        name -> holders.add(new Holder("llmlog template + " + name, Experiments.prefix(name))));
    // A Chinese word (two frequent characters, a phrase to the engine) and an English word in
    // prompts;
    // and a very common Chinese word anywhere, which most Chinese calls contain.
    String selective;
    String broad;
    if (corpus.vocabulary() == null) {
      selective = "model:gpt-4o and prompt:退款 and prompt:refund";
      broad = "订单";
    } else {
      selective =
          "model:gpt-4o and prompt:"
              + corpus.vocabulary().han(1)
              + corpus.vocabulary().han(4)
              + " and prompt:"
              + corpus.vocabulary().word(6);
      broad = corpus.vocabulary().han(0) + corpus.vocabulary().han(1);
    }
    System.out.println("KQL, selective: " + selective + "; broad: " + broad);
    java.util.function.Supplier<String[]> window = movingWindow(corpus, days.size());
    byte[] brief =
        io.llmlog.core.testing.BriefExample.KIBANA_QUERY.getBytes(StandardCharsets.UTF_8);
    List<Probe> probes = new ArrayList<>();
    String briefQuery = BRIEF_QUERY;
    probes.add(
        new Probe(
            briefQuery,
            "llmlog, through the :9200 facade",
            () -> http(rig, rig.esUri(), "POST", "/llm-logs-*/_search", brief)));
    for (Holder holder : holders) {
      probes.add(
          new Probe(
              briefQuery,
              holder.label() + ", on the node",
              () ->
                  http(
                      rig,
                      rig.engineUri(),
                      "POST",
                      "/" + holder.prefix() + "llm-logs-*/_search",
                      brief)));
    }
    for (String kql : List.of(selective, broad)) {
      String query = "KQL " + (kql == selective ? "selective" : "broad") + " search";
      probes.add(
          new Probe(
              query,
              "llmlog, GET /api/v1/search",
              () -> {
                String[] w = window.get();
                return http(
                    rig,
                    rig.apiUri(),
                    "GET",
                    "/api/v1/search?q="
                        + encode(kql)
                        + "&from="
                        + encode(w[0])
                        + "&to="
                        + encode(w[1]),
                    null);
              }));
      for (Holder holder : holders) {
        Searcher searcher = new Searcher(rig.store(holder.prefix()), json, clock);
        probes.add(
            new Probe(
                query,
                holder.label() + ", Searcher",
                () -> {
                  String[] w = window.get();
                  return searcher
                      .search(new SearchRequest(kql, w[0], w[1], null, null, null, null))
                      .total();
                }));
      }
    }
    String statsQuery = statsQuery(days.size());
    probes.add(
        new Probe(
            statsQuery,
            "llmlog, GET /api/v1/stats",
            () -> {
              String[] w = window.get();
              return http(
                  rig,
                  rig.apiUri(),
                  "GET",
                  "/api/v1/stats?by=model&interval=auto&from="
                      + encode(w[0])
                      + "&to="
                      + encode(w[1]),
                  null);
            }));
    for (Holder holder : holders) {
      StatsService stats = new StatsService(rig.store(holder.prefix()), json, clock, null);
      probes.add(
          new Probe(
              statsQuery,
              holder.label() + ", StatsService",
              () -> {
                String[] w = window.get();
                return (long)
                    stats
                        .stats(new StatsRequest(null, w[0], w[1], "model", "auto", null))
                        .totals()
                        .calls();
              },
              "calls",
              true));
    }
    return probes;
  }

  /**
   * Rolls the days up from their calls (their rollups deleted first) as a user's questions would,
   * and waits until their coarsest units are stored: a day loaded (or kept) has no rollups, and
   * until then the stats probes would time the index. Asking for each hour rolls up its minutes
   * within that answer (an hour is under the answer's read limit); asking for the whole window then
   * hands it to the server's next background round, which merges the minutes into coarser units,
   * each day's last.
   */
  private static void awaitRollups(Rig rig, List<Corpus> days) throws Exception {
    long start = System.nanoTime();
    for (Corpus corpus : days) {
      Instant day = corpus.day().atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
      // From scratch: the rollups a kept day carries may be of an older build (the answer would
      // still be right, but not timed as this build writes them).
      rig.send(
          rig.engineUri(),
          "DELETE",
          "/"
              + Rig.LLMLOG_PREFIX
              + "llm-rollups-stats-"
              + io.llmlog.core.Timestamps.day(day)
              + "?ignore_unavailable=true",
          null,
          "application/json",
          Duration.ofMinutes(1));
      for (Instant hour = day; hour.isBefore(day.plus(Duration.ofHours(24))); ) {
        Instant next = hour.plus(Duration.ofHours(1));
        stats(rig, hour, next.minusMillis(1));
        hour = next;
      }
    }
    System.out.printf(
        Locale.ROOT,
        "The minutes of %d days rolled up by 24 hourly questions a day in %.0f s%n",
        days.size(),
        (System.nanoTime() - start) / 1e9);
    Instant first = days.get(0).day().atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
    Instant end = first.plus(Duration.ofDays(days.size()));
    String dayUnits =
        "{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"width\":86400000}},"
            + "{\"range\":{\"minute\":{\"gte\":"
            + first.toEpochMilli()
            + ",\"lt\":"
            + end.toEpochMilli()
            + "}}}]}},\"size\":0,\"aggs\":{\"days\":{\"cardinality\":{\"field\":\"minute\"}}}}";
    long deadline = start + ROLLUPS_WAIT.toNanos();
    while (true) {
      String computed = stats(rig, first, end);
      HttpResponse<byte[]> merged =
          rig.send(
              rig.engineUri(),
              "POST",
              "/" + Rig.LLMLOG_PREFIX + "llm-rollups-stats-*/_search",
              dayUnits.getBytes(StandardCharsets.UTF_8),
              "application/json",
              Duration.ofMinutes(1));
      long daysMerged =
          rig.json.readTree(merged.body()).path("aggregations").path("days").path("value").asLong();
      if (computed.equals("rollups") && daysMerged == days.size()) {
        System.out.printf(
            Locale.ROOT,
            "The stats of the %d days come from rollups, merged up to days, after %.0f s%n",
            days.size(),
            (System.nanoTime() - start) / 1e9);
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the rollups are merged up to "
                + daysMerged
                + " of "
                + days.size()
                + " days (stats computed from '"
                + computed
                + "') after "
                + ROLLUPS_WAIT);
      }
      Thread.sleep(15_000);
    }
  }

  /** Asks for the stats of {@code [from, to]} by model; returns how they were computed. */
  private static String stats(Rig rig, Instant from, Instant to) throws Exception {
    String path =
        "/api/v1/stats?by=model&interval=auto&from="
            + encode(from.toString())
            + "&to="
            + encode(to.toString());
    HttpResponse<byte[]> response =
        rig.send(rig.apiUri(), "GET", path, null, "application/json", Duration.ofMinutes(2));
    return rig.json.readTree(response.body()).path("computed").asText();
  }

  /**
   * "The last 24 hours" of the corpus's day, which each call moves one second on, as a dashboard's
   * does.
   */
  static java.util.function.Supplier<String[]> movingWindow(Corpus corpus) {
    return movingWindow(corpus, 1);
  }

  /** "The last N days" from the corpus's day on, which each call moves one second on. */
  static java.util.function.Supplier<String[]> movingWindow(Corpus corpus, int days) {
    Instant day = corpus.day().atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
    int[] run = new int[1];
    return () -> {
      Instant from = day.plusSeconds(run[0]++ % 3600);
      return new String[] {from.toString(), from.plus(Duration.ofDays(days)).toString()};
    };
  }

  /**
   * Sends a request and returns how many calls (or traces, sessions, users, nodes, buckets) the
   * answer found; anything but 200 fails the benchmark.
   */
  static long http(Rig rig, java.net.URI base, String method, String path, byte[] body)
      throws java.io.IOException {
    HttpResponse<byte[]> response =
        rig.send(base, method, path, body, "application/json", Duration.ofMinutes(2));
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          method
              + " "
              + path
              + " answered "
              + response.statusCode()
              + ": "
              + new String(response.body(), StandardCharsets.UTF_8));
    }
    com.fasterxml.jackson.databind.JsonNode answer = rig.json.readTree(response.body());
    for (String list : new String[] {"traces", "sessions", "users", "nodes"}) {
      if (answer.path(list).isArray()) {
        return answer.path(list).size();
      }
    }
    if (answer.path("aggregations").path("traces").path("buckets").isArray()) {
      return answer.path("aggregations").path("traces").path("buckets").size();
    }
    // The engine's answer has hits.total.value; llmlog's search has a top-level total and a hits
    // array.
    if (answer.path("hits").isObject()) {
      return answer.path("hits").path("total").path("value").asLong();
    }
    return answer.has("totals")
        ? answer.path("totals").path("calls").asLong()
        : answer.path("total").asLong();
  }

  static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  /**
   * Times every probe {@code runs} times (those that aggregate the index {@code indexRuns} times,
   * in rounds spread evenly over the run, warm-up included), in rounds that run each probe once, in
   * an order that rotates.
   */
  private static void measure(List<Probe> probes, int warmup, int runs, int indexRuns)
      throws Exception {
    long[][] nanos = new long[probes.size()][];
    for (int i = 0; i < probes.size(); i++) {
      nanos[i] = new long[probes.get(i).aggregatesIndex() ? Math.min(runs, indexRuns) : runs];
    }
    long[] results = new long[probes.size()];
    String loadBefore = Machine.load();
    for (int round = -warmup; round < runs; round++) {
      for (int k = 0; k < probes.size(); k++) {
        int i = Math.floorMod(k + round, probes.size());
        int samples = nanos[i].length;
        // Due in the rounds where round × samples / runs reaches a new whole number: every round
        // when samples = runs, every tenth when samples = runs / 10.
        long sample = Math.floorDiv((long) round * samples, runs);
        if (Math.floorDiv((long) (round + 1) * samples, runs) == sample) {
          continue;
        }
        long start = System.nanoTime();
        long result = probes.get(i).call().call();
        long elapsed = System.nanoTime() - start;
        if (round >= 0) {
          nanos[i][(int) sample] = elapsed;
          results[i] = result;
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%d timed runs of each probe%s after %d warm-up runs, all probes interleaved; load average %s → %s%n%n",
        runs,
        indexRuns < runs && probes.stream().anyMatch(Probe::aggregatesIndex)
            ? " (" + indexRuns + " of the aggregations on the calls' index)"
            : "",
        warmup,
        loadBefore,
        Machine.load());
    System.out.println("| query | contestant | p50 ms | p95 ms | p99 ms | max ms | matches |");
    System.out.println("|---|---|---:|---:|---:|---:|---|");
    for (int i = 0; i < probes.size(); i++) {
      Probe probe = probes.get(i);
      String answer = String.format(Locale.ROOT, "%,d %s", results[i], probe.unit());
      System.out.printf(
          Locale.ROOT,
          "| %s | %s | %.1f | %.1f | %.1f | %.1f | %s |%n",
          probe.query(),
          probe.contestant(),
          Loader.Percentiles.of(nanos[i], 50) / 1e6,
          Loader.Percentiles.of(nanos[i], 95) / 1e6,
          Loader.Percentiles.of(nanos[i], 99) / 1e6,
          Loader.Percentiles.of(nanos[i], 100) / 1e6,
          answer);
    }
    System.out.println();
  }
}

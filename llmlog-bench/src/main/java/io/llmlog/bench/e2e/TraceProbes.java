package io.llmlog.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.server.trace.ListRequest;
import io.llmlog.server.trace.TraceService;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The query benchmark's probes of traces, sessions and users, on a corpus of agent runs: the three
 * listings as the dashboard asks them (50 per page, the last 24 hours), one trace as the trace view
 * reads it, and — as the way a user of the brief's setup would list traces — a {@code terms}
 * aggregation by trace id ordered by each trace's first time, on the brief's index and on llmlog's.
 */
final class TraceProbes {
  private static final int PAGE = 50;
  private static final String TRACES = "traces";

  private TraceProbes() {}

  static List<QueryBenchmark.Probe> probes(Rig rig, Corpus corpus) throws java.io.IOException {
    ObjectMapper json = new ObjectMapper();
    Supplier<String[]> window = QueryBenchmark.movingWindow(corpus);
    List<QueryBenchmark.Probe> probes = new ArrayList<>();
    String list = "traces, 24 h, latest 50";
    probes.add(
        new QueryBenchmark.Probe(
            list,
            "llmlog, GET /api/v1/traces",
            () -> api(rig, "/api/v1/traces", window.get(), ""),
            TRACES));
    TraceService traces = new TraceService(rig.store(Rig.LLMLOG_PREFIX), json, Clock.systemUTC());
    probes.add(
        new QueryBenchmark.Probe(
            list,
            "llmlog's index, TraceService",
            () -> {
              String[] w = window.get();
              return (long)
                  traces
                      .list(new ListRequest(null, w[0], w[1], null, null, PAGE, null))
                      .traces()
                      .size();
            },
            TRACES));
    probes.add(
        new QueryBenchmark.Probe(
            list,
            "brief's index, terms aggregation by trace",
            () -> termsByTrace(rig, Rig.PEER_PREFIX, "trace_id.keyword", window.get()),
            TRACES));
    probes.add(
        new QueryBenchmark.Probe(
            list,
            "llmlog's index, terms aggregation by trace",
            () -> termsByTrace(rig, Rig.LLMLOG_PREFIX, "trace_id", window.get()),
            TRACES));
    String failed = "traces with a failure, 24 h, latest 50";
    probes.add(
        new QueryBenchmark.Probe(
            failed,
            "llmlog, GET /api/v1/traces?q=level:error",
            () -> api(rig, "/api/v1/traces", window.get(), "&q=level%3Aerror"),
            TRACES));
    List<String> ids = sample(rig);
    int[] next = new int[1];
    probes.add(
        new QueryBenchmark.Probe(
            "one trace (tree, totals, critical path)",
            "llmlog, GET /api/v1/traces/{id}",
            () ->
                QueryBenchmark.http(
                    rig,
                    rig.apiUri(),
                    "GET",
                    "/api/v1/traces/" + ids.get(next[0]++ % ids.size()),
                    null),
            "nodes"));
    probes.add(
        new QueryBenchmark.Probe(
            "sessions, 24 h, latest 50",
            "llmlog, GET /api/v1/sessions",
            () -> api(rig, "/api/v1/sessions", window.get(), ""),
            "sessions"));
    probes.add(
        new QueryBenchmark.Probe(
            "users, 24 h, latest 50",
            "llmlog, GET /api/v1/users",
            () -> api(rig, "/api/v1/users", window.get(), ""),
            "users"));
    return probes;
  }

  private static long api(Rig rig, String path, String[] window, String more)
      throws java.io.IOException {
    return QueryBenchmark.http(
        rig,
        rig.apiUri(),
        "GET",
        path
            + "?size="
            + PAGE
            + "&from="
            + QueryBenchmark.encode(window[0])
            + "&to="
            + QueryBenchmark.encode(window[1])
            + more,
        null);
  }

  /**
   * The 50 traces that started last in the window, with their numbers, by one aggregation over
   * every call of the window.
   */
  private static long termsByTrace(Rig rig, String prefix, String field, String[] window)
      throws java.io.IOException {
    String body =
        """
        {"size": 0, "query": {"range": {"timestamp": {"gte": "%s", "lte": "%s"}}},
         "aggs": {"traces": {"terms": {"field": "%s", "size": %d, "order": {"start": "desc"}},
           "aggs": {"start": {"min": {"field": "timestamp"}}, "end": {"max": {"field": "timestamp"}},
                    "input_tokens": {"sum": {"field": "input_tokens"}}, "output_tokens": {"sum": {"field": "output_tokens"}},
                    "errors": {"filter": {"term": {"level": "error"}}}}}}}
        """
            .formatted(window[0], window[1], field, PAGE);
    return QueryBenchmark.http(
        rig,
        rig.engineUri(),
        "POST",
        "/" + prefix + "llm-logs-*/_search",
        body.getBytes(StandardCharsets.UTF_8));
  }

  /** A hundred trace ids from across the day, which the trace probe opens in turn. */
  private static List<String> sample(Rig rig) throws java.io.IOException {
    String body =
        """
        {"size": 100, "_source": false, "query": {"function_score": {"query": {"exists": {"field": "trace_id"}}, "random_score": {"seed": 7, "field": "_seq_no"}}},
         "docvalue_fields": ["trace_id"]}
        """;
    JsonNode hits =
        rig.engineRequest(
                "POST",
                "/" + Rig.LLMLOG_PREFIX + "llm-logs-*/_search",
                body.getBytes(StandardCharsets.UTF_8))
            .path("hits")
            .path("hits");
    List<String> ids = new ArrayList<>();
    hits.forEach(hit -> ids.add(hit.path("fields").path("trace_id").path(0).asText()));
    if (ids.isEmpty()) {
      throw new IllegalStateException("no trace in the corpus");
    }
    return ids;
  }
}

package io.llmlog.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.server.config.LlmlogConfig.Role;
import io.llmlog.server.ingest.IngestService;
import io.llmlog.server.ingest.RecordKind;
import io.llmlog.server.lifecycle.DiskGuard;
import io.llmlog.server.lifecycle.Lifecycle;
import io.llmlog.server.pipeline.FilterStats;
import io.llmlog.server.pipeline.Pipeline;
import io.llmlog.server.store.CallReader;
import io.llmlog.server.store.EngineHealth;
import io.llmlog.server.store.EngineUnavailableException;
import io.llmlog.server.store.LogStore;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.function.BooleanSupplier;

/** llmlog's own REST API on {@code :8080}: ingest, lookup, listing, health and metrics. */
final class NativeApi {
  static final int MAX_PAGE = 1000;

  private final IngestService ingest;
  private final LogStore store;
  private final ObjectMapper json;
  private final PrometheusMeterRegistry metrics;
  private final BooleanSupplier ready;
  private final Lifecycle lifecycle;

  NativeApi(
      IngestService ingest,
      LogStore store,
      ObjectMapper json,
      PrometheusMeterRegistry metrics,
      BooleanSupplier ready,
      Lifecycle lifecycle) {
    this.lifecycle = lifecycle;
    this.ingest = ingest;
    this.store = store;
    this.json = json;
    this.metrics = metrics;
    this.ready = ready;
  }

  void register(Router router) {
    router.add("GET", "/health", null, this::health);
    router.add("GET", "/metrics", Role.READ, this::metrics);
    router.add("POST", "/api/v1/logs", Role.INGEST, exchange -> ingest(exchange, RecordKind.CALL));
    router.add(
        "POST", "/api/v1/quality", Role.INGEST, exchange -> ingest(exchange, RecordKind.QUALITY));
    router.add("POST", "/api/v1/spans", Role.INGEST, exchange -> ingest(exchange, RecordKind.SPAN));
    router.add("GET", "/api/v1/logs/{request_id}", Role.READ, this::find);
    router.add("GET", "/api/v1/logs", Role.READ, this::list);
    router.add("GET", "/api/v1/stats/pipeline", Role.READ, this::pipelineStats);
  }

  /**
   * Every filter's counters, in pipeline order: in = out + dropped + failed, plus what is
   * particular to it.
   */
  private void pipelineStats(Exchange exchange) throws Exception {
    ObjectNode body = json.createObjectNode();
    body.set("calls", pipelineStats(ingest.callPipeline()));
    body.set("quality", pipelineStats(ingest.qualityPipeline()));
    body.set("steps", pipelineStats(ingest.stepPipeline()));
    exchange.json(200, body);
  }

  private ArrayNode pipelineStats(Pipeline pipeline) {
    ArrayNode filters = json.createArrayNode();
    for (int i = 0; i < pipeline.filters().size(); i++) {
      FilterStats stats = pipeline.stats().get(i);
      ObjectNode filter = filters.addObject();
      filter.put("step", i);
      filter.put("filter", stats.name());
      filter.put("in", stats.in());
      filter.put("out", stats.out());
      filter.put("dropped", stats.dropped());
      filter.put("failed", stats.failed());
      pipeline
          .filters()
          .get(i)
          .details()
          .forEach((key, value) -> filter.set(key, json.valueToTree(value)));
    }
    return filters;
  }

  private void ingest(Exchange exchange, RecordKind kind) throws Exception {
    requireReady();
    List<IngestService.Item> items = ingest.decode(kind, exchange.body());
    IngestReport.send(
        exchange, json, items, ingest.ingest(items, exchange.waitForRefresh(), "native"));
  }

  private void find(Exchange exchange) throws Exception {
    requireReady();
    String requestId = exchange.pathParameter("request_id");
    CallReader.Call call =
        store
            .calls()
            .find(requestId)
            .orElseThrow(
                () -> ApiException.notFound("no call with request_id '" + requestId + "'"));
    ObjectNode body = json.createObjectNode();
    body.put("index", call.index());
    body.set("document", call.document());
    body.putArray("quality").addAll(call.quality());
    exchange.json(200, body);
  }

  private void list(Exchange exchange) throws Exception {
    requireReady();
    CallReader.Page page =
        store
            .calls()
            .list(
                new CallReader.Query(
                    exchange.query("from"),
                    exchange.query("to"),
                    exchange.query("model"),
                    exchange.query("level"),
                    exchange.query("user_id"),
                    exchange.queryInt("size", 50, 1, MAX_PAGE),
                    exchange.query("search_after")));
    ObjectNode body = json.createObjectNode();
    body.put("total", page.total());
    body.put("total_relation", page.totalIsExact() ? "eq" : "gte");
    ArrayNode hits = body.putArray("hits");
    hits.addAll(page.calls());
    if (page.next() == null) {
      body.putNull("next");
    } else {
      body.put("next", page.next());
    }
    exchange.json(200, body);
  }

  private void health(Exchange exchange) throws Exception {
    ObjectNode body = json.createObjectNode();
    if (!ready.getAsBoolean()) {
      body.put("status", "starting");
      exchange.json(503, body);
      return;
    }
    try {
      EngineHealth engine = store.health();
      boolean usable = engine.usable();
      body.put("status", usable ? "ok" : "degraded");
      ObjectNode engineNode = body.putObject("engine");
      engineNode.put("status", engine.status());
      engineNode.put("cluster_name", engine.clusterName());
      engineNode.put("nodes", engine.nodes());
      // A full disk pauses ingest but search still works: degraded with the reason, still 200.
      DiskGuard.Status disk = lifecycle.diskGuard().status();
      body.set("disk", LifecycleJson.disk(json, disk));
      if (disk.paused()) {
        body.put("status", "degraded");
        body.put("reason", disk.reason());
      }
      exchange.json(usable ? 200 : 503, body);
    } catch (EngineUnavailableException e) {
      body.put("status", "engine_unavailable");
      body.put("reason", e.getMessage());
      exchange.json(503, body);
    }
  }

  private void metrics(Exchange exchange) {
    exchange.text(200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
  }

  private void requireReady() {
    if (!ready.getAsBoolean()) {
      throw new EngineUnavailableException("llmlog is starting; retry in a few seconds", null);
    }
  }
}

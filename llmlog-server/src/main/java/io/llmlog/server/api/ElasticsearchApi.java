package io.llmlog.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.server.config.LlmlogConfig;
import io.llmlog.server.config.LlmlogConfig.Role;
import io.llmlog.server.ingest.IngestService;
import io.llmlog.server.ingest.Outcome;
import io.llmlog.server.store.EngineUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * The Elasticsearch-compatible facade on {@code :9200}: enough of Elasticsearch's API for shippers
 * and clients to send logs to llmlog as if it were Elasticsearch. Documents go through the same
 * ingest path as the native API; other APIs get an Elasticsearch-style error, never a hang.
 */
@ElasticsearchRoutes
final class ElasticsearchApi {
  /**
   * The Elasticsearch version llmlog answers as; 8.x is what current shippers and clients expect.
   */
  static final String COMPATIBLE_VERSION = "8.17.0";

  private final IngestService ingest;
  private final ObjectMapper json;
  private final LlmlogConfig.Limits limits;
  private final BooleanSupplier ready;
  private final String clusterUuid = UUID.randomUUID().toString();

  ElasticsearchApi(
      IngestService ingest, ObjectMapper json, LlmlogConfig.Limits limits, BooleanSupplier ready) {
    this.ingest = ingest;
    this.json = json;
    this.limits = limits;
    this.ready = ready;
  }

  void register(Router router) {
    router.add("GET", "/", Role.READ, this::info);
    router.add("POST", "/_bulk", Role.INGEST, exchange -> bulk(exchange, null));
    router.add("PUT", "/_bulk", Role.INGEST, exchange -> bulk(exchange, null));
    router.add(
        "POST",
        "/{index}/_bulk",
        Role.INGEST,
        exchange -> bulk(exchange, exchange.pathParameter("index")));
    router.add(
        "PUT",
        "/{index}/_bulk",
        Role.INGEST,
        exchange -> bulk(exchange, exchange.pathParameter("index")));
  }

  /** Every answer says it comes from Elasticsearch, which official clients check. */
  static void decorate(Exchange exchange) {
    exchange.header("X-Elastic-Product", "Elasticsearch");
  }

  /** Other APIs: a clear Elasticsearch-style error naming what is supported. */
  static void unsupported(Exchange exchange) {
    if (writesWithScripts(exchange.path())) {
      throw ApiException.badRequest(
          "llmlog's Elasticsearch-compatible API runs scripts in searches only (bucket_script, bucket_selector, "
              + "scripted_metric, script fields, script sorts and queries); ["
              + exchange.method()
              + " "
              + exchange.path()
              + "] is refused: "
              + "stored scripts (_scripts) and anything that writes with a script (_update, _update_by_query, _reindex) are not supported");
    }
    throw ApiException.badRequest(
        "llmlog's Elasticsearch-compatible API does not support ["
            + exchange.method()
            + " "
            + exchange.path()
            + "]; it supports GET /, _bulk, _search, _count, _msearch, _mapping, _field_caps, _cat/indices, _cat/health and _cluster/health "
            + "on llmlog's indices (llm-logs-*, llm-quality-*)");
  }

  /** Stored scripts and the APIs that change documents with a script. */
  private static boolean writesWithScripts(String path) {
    for (String segment : path.split("/")) {
      if (SCRIPT_WRITES.contains(segment)) {
        return true;
      }
    }
    return false;
  }

  private static final java.util.Set<String> SCRIPT_WRITES =
      java.util.Set.of("_scripts", "_update", "_update_by_query", "_reindex");

  private void info(Exchange exchange) throws Exception {
    ObjectNode body = json.createObjectNode();
    body.put("name", "llmlog");
    body.put("cluster_name", "llmlog");
    body.put("cluster_uuid", clusterUuid);
    ObjectNode version = body.putObject("version");
    version.put("number", COMPATIBLE_VERSION);
    version.put("build_flavor", "default");
    version.put("build_type", "llmlog");
    version.put("build_hash", "llmlog");
    version.put("build_date", "2026-01-01T00:00:00.000Z");
    version.put("build_snapshot", false);
    version.put("lucene_version", "10.5.1");
    version.put("minimum_wire_compatibility_version", "7.17.0");
    version.put("minimum_index_compatibility_version", "7.0.0");
    body.put("tagline", "You Know, for Search");
    exchange.json(200, body);
  }

  private void bulk(Exchange exchange, String pathIndex) throws Exception {
    if (!ready.getAsBoolean()) {
      throw new EngineUnavailableException("llmlog is starting; retry in a few seconds", null);
    }
    long start = System.nanoTime();
    List<BulkRequest.Action> actions =
        BulkRequest.parse(exchange.body(), pathIndex, json, limits.maxRecordsPerRequest());
    List<IngestService.Item> items = new ArrayList<>(actions.size());
    for (BulkRequest.Action action : actions) {
      items.add(
          action.event() != null
              ? IngestService.Item.of(action.kind(), action.event())
              : IngestService.Item.undecodable(action.kind(), action.line(), action.error()));
    }
    List<Outcome> outcomes = ingest.ingest(items, exchange.waitForRefresh(), "bulk");
    ObjectNode body = json.createObjectNode();
    body.put("took", (System.nanoTime() - start) / 1_000_000);
    boolean errors = false;
    ArrayNode results = json.createArrayNode();
    for (int i = 0; i < actions.size(); i++) {
      BulkRequest.Action action = actions.get(i);
      Outcome outcome = outcomes.get(i);
      ObjectNode item = results.addObject().putObject(action.action());
      item.put(
          "_index",
          outcome.index() != null
              ? outcome.index()
              : action.index() == null ? "llm-logs" : action.index());
      String id = outcome.id() != null ? outcome.id() : action.id();
      if (id != null) {
        item.put("_id", id);
      } else {
        item.putNull("_id");
      }
      item.put("status", outcome.status());
      if (outcome.accepted()) {
        item.put("result", outcome.result());
        if (outcome.write() != null) {
          item.put("_version", outcome.write().version());
          item.putObject("_shards").put("total", 1).put("successful", 1).put("failed", 0);
          item.put("_seq_no", outcome.write().seqNo());
          item.put("_primary_term", outcome.write().primaryTerm());
        }
      } else {
        errors = true;
        String reason =
            outcome.field() != null
                ? "[" + outcome.field() + "] " + outcome.reason()
                : outcome.reason();
        item.putObject("error").put("type", type(outcome)).put("reason", reason);
      }
    }
    body.put("errors", errors);
    body.set("items", results);
    exchange.json(200, body);
  }

  private static String type(Outcome outcome) {
    if (outcome.errorType() != null && !outcome.errorType().equals("invalid_record")) {
      return outcome.errorType();
    }
    return outcome.status() == 400 ? "document_parsing_exception" : "illegal_argument_exception";
  }
}

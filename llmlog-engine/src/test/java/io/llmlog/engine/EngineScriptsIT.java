package io.llmlog.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmlog.engine.junit.SharedEngineExtension;
import io.llmlog.engine.junit.TestEngine;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Painless in the embedded node: the scripts of searches run, in Painless's sandbox; stored scripts
 * and scripts that write documents are refused by the node itself.
 */
@ExtendWith(SharedEngineExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EngineScriptsIT {
  private TestEngine engine;
  private String index;

  @BeforeAll
  void load(TestEngine engine) {
    this.engine = engine;
    index = engine.index("scripts");
    engine.put(
        "/" + index,
        "{\"mappings\": {\"properties\": {\"model\": {\"type\": \"keyword\"}, \"level\": {\"type\": \"keyword\"},"
            + " \"latency_ms\": {\"type\": \"float\"}}}}");
    StringBuilder bulk = new StringBuilder();
    String[][] docs = {
      {"a", "error", "100"},
      {"a", "info", "300"},
      {"a", "info", "500"},
      {"a", "info", "700"},
      {"b", "error", "50"}
    };
    for (String[] doc : docs) {
      bulk.append("{\"index\":{\"_index\":\"")
          .append(index)
          .append("\"}}\n")
          .append("{\"model\":\"")
          .append(doc[0])
          .append("\",\"level\":\"")
          .append(doc[1])
          .append("\",\"latency_ms\":")
          .append(doc[2])
          .append("}\n");
    }
    HttpResponse<String> response =
        engine
            .httpClient()
            .sendAsync(
                java.net.http.HttpRequest.newBuilder(engine.uri().resolve("/_bulk?refresh=true"))
                    .header("Content-Type", "application/x-ndjson")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(bulk.toString()))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .join();
    assertThat(response.body()).contains("\"errors\":false");
  }

  @Test
  void search_bucketScriptAndSelector_computeFromTheDocuments() {
    String body =
        engine.post(
            "/" + index + "/_search",
            """
        {"size": 0, "aggs": {"models": {"terms": {"field": "model"}, "aggs": {
          "errors": {"filter": {"term": {"level": "error"}}},
          "rate": {"bucket_script": {"buckets_path": {"e": "errors._count", "n": "_count"}, "script": "params.e / params.n"}},
          "busy": {"bucket_selector": {"buckets_path": {"n": "_count"}, "script": "params.n > 1"}}}}}}""");

    assertThat(body)
        .contains("\"key\":\"a\"")
        .contains("\"rate\":{\"value\":0.25}")
        .doesNotContain("\"key\":\"b\"");
  }

  @Test
  void search_scriptFieldsQuerySortAndScriptedMetric_run() {
    String body =
        engine.post(
            "/" + index + "/_search",
            """
        {"query": {"script": {"script": "doc['latency_ms'].value > 200"}},
         "script_fields": {"seconds": {"script": "doc['latency_ms'].value / 1000"}},
         "sort": {"_script": {"type": "number", "order": "desc", "script": "doc['latency_ms'].value"}},
         "aggs": {"total": {"scripted_metric": {"init_script": "state.s = 0", "map_script": "state.s += doc['latency_ms'].value",
           "combine_script": "return state.s", "reduce_script": "double t = 0; for (s in states) { t += s } return t"}}}}""");

    assertThat(body)
        .contains("\"total\":{\"value\":1500.0}")
        .contains("\"seconds\":[0.7]")
        .contains("\"sort\":[700.0]");
  }

  @Test
  void search_scriptReachingOutsideTheSandbox_isRefused() {
    HttpResponse<String> response =
        engine.send(
            "POST",
            "/" + index + "/_search",
            "{\"script_fields\": {\"x\": {\"script\": \"Runtime.getRuntime().exec('id')\"}}}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("script_exception");
  }

  @Test
  void update_withScript_isRefusedByTheNode() {
    String id = "update-target";
    engine.put(
        "/" + index + "/_doc/" + id + "?refresh=true",
        "{\"model\":\"c\",\"level\":\"info\",\"latency_ms\":1}");

    HttpResponse<String> update =
        engine.send(
            "POST", "/" + index + "/_update/" + id, "{\"script\": \"ctx._source.model = 'x'\"}");
    HttpResponse<String> byQuery =
        engine.send(
            "POST", "/" + index + "/_update_by_query", "{\"script\": \"ctx._source.model = 'x'\"}");

    assertThat(update.statusCode()).as(update.body()).isEqualTo(400);
    assertThat(update.body()).contains("cannot execute scripts using [update] context");
    assertThat(byQuery.statusCode()).as(byQuery.body()).isIn(400, 500);
    assertThat(engine.get("/" + index + "/_doc/" + id)).contains("\"model\":\"c\"");
  }

  @Test
  void storedScript_isRefusedByTheNode() {
    HttpResponse<String> response =
        engine.send(
            "PUT",
            "/_scripts/llmlog-test",
            "{\"script\": {\"lang\": \"painless\", \"source\": \"1\"}}");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(response.body()).contains("[stored] scripts are not enabled");
  }
}

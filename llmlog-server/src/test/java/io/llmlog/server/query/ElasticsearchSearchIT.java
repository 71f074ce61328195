package io.llmlog.server.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.aggregations.StringTermsBucket;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.json.jackson.Jackson3JsonpMapper;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.core.Timestamps;
import io.llmlog.core.testing.BriefExample;
import io.llmlog.engine.junit.SharedEngineExtension;
import io.llmlog.engine.junit.TestEngine;
import io.llmlog.server.Http;
import io.llmlog.server.LlmlogServer;
import io.llmlog.server.TestServers;
import io.llmlog.server.query.GeneratedCalls.Call;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.hc.core5.http.HttpHost;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Elasticsearch facade's search on 100,000 generated calls: the brief's Kibana query, verbatim,
 * answers through llmlog's {@code :9200} exactly what the engine answers directly (and what the
 * generated data says); indices that are not llmlog's are refused.
 */
@ExtendWith(SharedEngineExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ElasticsearchSearchIT {
  static final int CALLS = 100_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private TestEngine engine;
  private LlmlogServer server;
  private Http es;
  private List<Call> calls;

  @BeforeAll
  void start(TestEngine engine) {
    this.engine = engine;
    server = TestServers.onSharedEngine(engine, Map.of());
    es = new Http(TestServers.es(server));
    calls =
        GeneratedCalls.generate(
            2026, CALLS, "kibana", Instant.now().minus(Duration.ofMinutes(5)), Duration.ofDays(3));
    long start = System.nanoTime();
    GeneratedCalls.bulk(es, calls, 10_000);
    engine.refresh(engine.indexPrefix() + "llm-logs-*");
    System.out.printf(
        "AC1 ingest: %,d calls through llmlog's _bulk in %.1f s%n",
        CALLS, (System.nanoTime() - start) / 1e9);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private JsonNode engineSearch(String path, String body) {
    return tree(engine.post("/" + engine.indexPrefix() + path, body));
  }

  @Test
  void briefKibanaQuery_throughTheFacade_answersWhatTheEngineAnswers() {
    Http.Answer facade = es.postJson("/llm-logs-*/_search", BriefExample.KIBANA_QUERY);
    JsonNode direct = engineSearch("llm-logs-*/_search", BriefExample.KIBANA_QUERY);

    assertThat(facade.status()).as(facade.body()).isEqualTo(200);
    JsonNode answer = facade.json();
    assertThat(answer.path("hits").path("total")).isEqualTo(direct.path("hits").path("total"));
    assertThat(buckets(answer)).isEqualTo(buckets(direct));
    // The hits themselves: same documents, index names without the deployment's prefix.
    assertThat(answer.path("hits").path("hits").size()).isEqualTo(10);
    for (int i = 0; i < 10; i++) {
      JsonNode viaFacade = answer.path("hits").path("hits").get(i);
      JsonNode viaEngine = direct.path("hits").path("hits").get(i);
      assertThat(viaFacade.path("_id")).isEqualTo(viaEngine.path("_id"));
      assertThat(viaFacade.path("_source")).isEqualTo(viaEngine.path("_source"));
      assertThat(viaFacade.path("_index").asText())
          .startsWith("llm-logs-")
          .isEqualTo(viaEngine.path("_index").asText().substring(engine.indexPrefix().length()));
    }
  }

  @Test
  void briefKibanaQuery_matchesTheGeneratedData() {
    JsonNode answer = es.postJson("/llm-logs-*/_search", BriefExample.KIBANA_QUERY).json();

    List<Call> slowInfo =
        GeneratedCalls.where(calls, c -> c.latencyMs() >= 5000 && c.level().equals("info"));
    Map<String, List<Call>> byModel =
        slowInfo.stream()
            .collect(Collectors.groupingBy(Call::model, TreeMap::new, Collectors.toList()));
    assertThat(slowInfo.size())
        .as("the query must find more than a handful, and fewer than the 10,000 counted exactly")
        .isBetween(1000, 9999);
    assertThat(answer.path("hits").path("total").path("value").asLong()).isEqualTo(slowInfo.size());
    assertThat(answer.path("hits").path("total").path("relation").asText()).isEqualTo("eq");
    Map<String, JsonNode> buckets = buckets(answer);
    assertThat(buckets.keySet()).isEqualTo(byModel.keySet());
    StringBuilder report =
        new StringBuilder(
            String.format("AC1 brief query: %,d of %,d calls%n", slowInfo.size(), CALLS));
    for (Map.Entry<String, List<Call>> model : byModel.entrySet()) {
      double exact = model.getValue().stream().mapToDouble(Call::latencyMs).average().orElseThrow();
      JsonNode bucket = buckets.get(model.getKey());
      report.append(
          String.format(
              "AC1   %-18s doc_count %,6d (exact %,6d)  avg_latency %.6f (exact %.6f)%n",
              model.getKey(),
              bucket.path("doc_count").asLong(),
              model.getValue().size(),
              bucket.path("avg_latency").path("value").asDouble(),
              exact));
      assertThat(bucket.path("doc_count").asLong()).isEqualTo(model.getValue().size());
      assertThat(bucket.path("avg_latency").path("value").asDouble())
          .isCloseTo(exact, withPercentage(1e-9));
    }
    System.out.print(report);
  }

  @Test
  void briefKibanaQuery_officialElasticsearchClient_readsTheAggregation() throws IOException {
    JsonNode direct = engineSearch("llm-logs-*/_search", BriefExample.KIBANA_QUERY);
    try (Rest5Client rest =
        Rest5Client.builder(new HttpHost("http", "127.0.0.1", server.esPort())).build()) {
      ElasticsearchClient client =
          new ElasticsearchClient(new Rest5ClientTransport(rest, new Jackson3JsonpMapper()));

      SearchResponse<Void> response =
          client.search(
              s -> s.index("llm-logs-*").withJson(new StringReader(BriefExample.KIBANA_QUERY)),
              Void.class);

      assertThat(response.hits().total().value())
          .isEqualTo(direct.path("hits").path("total").path("value").asLong());
      List<StringTermsBucket> buckets =
          response.aggregations().get("avg_latency_by_model").sterms().buckets().array();
      Map<String, JsonNode> expected = buckets(direct);
      assertThat(buckets).hasSize(expected.size());
      for (StringTermsBucket bucket : buckets) {
        JsonNode engineBucket = expected.get(bucket.key().stringValue());
        assertThat(bucket.docCount()).isEqualTo(engineBucket.path("doc_count").asLong());
        assertThat(bucket.aggregations().get("avg_latency").avg().value())
            .isEqualTo(engineBucket.path("avg_latency").path("value").asDouble());
      }
    }
  }

  @Test
  void count_getAndPost_withAndWithoutIndex_countLlmlogsIndices() {
    long logs = engine.count(engine.indexPrefix() + "llm-logs-*");
    long everything = logs + engine.count(engine.indexPrefix() + "llm-quality-*");
    String slowQuery = "{\"query\":{\"range\":{\"latency_ms\":{\"gte\":5000}}}}";
    long slow = calls.stream().filter(c -> c.latencyMs() >= 5000).count();

    assertThat(es.get("/llm-logs-*/_count").json().path("count").asLong())
        .isEqualTo(CALLS)
        .isEqualTo(logs);
    assertThat(es.get("/_count").json().path("count").asLong()).isEqualTo(everything);
    assertThat(es.get("/*/_count").json().path("count").asLong()).isEqualTo(everything);
    assertThat(es.get("/_all/_count").json().path("count").asLong()).isEqualTo(everything);
    assertThat(es.postJson("/llm-logs-*/_count", slowQuery).json().path("count").asLong())
        .isEqualTo(slow);
    assertThat(es.send("GET", "/llm-logs-*/_count", slowQuery).json().path("count").asLong())
        .isEqualTo(slow);
    assertThat(es.get("/llm-logs-*/_count?q=model:gpt-4").json().path("count").asLong())
        .isEqualTo(calls.stream().filter(c -> c.model().equals("gpt-4")).count());
  }

  @Test
  void msearch_ndjson_answersEachSearchWithItsIndex() {
    Call first = calls.get(0);
    String day = Timestamps.day(first.timestamp());
    String body =
        "{\"index\":\"llm-logs-"
            + day
            + "\"}\n"
            + "{\"query\":{\"term\":{\"request_id\":\""
            + first.requestId()
            + "\"}}}\n"
            + "{}\n"
            + "{\"size\":0,\"query\":{\"term\":{\"level\":\"error\"}}}\n";

    Http.Answer answer = es.post("/llm-logs-*/_msearch", "application/x-ndjson", body);

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    JsonNode responses = answer.json().path("responses");
    assertThat(responses).hasSize(2);
    assertThat(responses.get(0).path("hits").path("hits").get(0).path("_index").asText())
        .isEqualTo("llm-logs-" + day);
    assertThat(responses.get(0).path("hits").path("hits").get(0).path("_id").asText())
        .isEqualTo(first.requestId());
    assertThat(responses.get(1).path("hits").path("total").path("value").asLong())
        .isEqualTo(calls.stream().filter(Call::error).count());
  }

  /**
   * The facade's answer is the engine's, byte for byte, but for the prefix of its index names
   * (hits, buckets of {@code _index}) and the time it took: it is rewritten in one pass over the
   * bytes, never parsed and written again.
   */
  @Test
  void search_answerThroughTheFacade_isTheEnginesBytesWithoutThePrefix() {
    String body =
        "{\"size\":5,\"query\":{\"term\":{\"level\":\"error\"}},\"sort\":[{\"request_id\":\"asc\"}],"
            + "\"aggs\":{\"days\":{\"terms\":{\"field\":\"_index\"}}}}";

    Http.Answer viaFacade = es.postJson("/llm-logs-*/_search", body);
    String direct = engine.post("/" + engine.indexPrefix() + "llm-logs-*/_search", body);

    assertThat(viaFacade.status()).as(viaFacade.body()).isEqualTo(200);
    assertThat(direct).contains("\"" + engine.indexPrefix() + "llm-logs-");
    assertThat(withoutTook(viaFacade.body()))
        .isEqualTo(withoutTook(direct.replace("\"" + engine.indexPrefix() + "llm-", "\"llm-")));
  }

  private static String withoutTook(String answer) {
    return answer.replaceFirst("\"took\":\\d+", "\"took\":0");
  }

  @Test
  void search_searchAfterAndHighlight_workAsOnTheEngine() {
    String body =
        "{\"size\":3,\"query\":{\"match_phrase\":{\"prompt\":\"退款\"}},\"sort\":[{\"latency_ms\":\"desc\"},{\"request_id\":\"asc\"}],"
            + "\"highlight\":{\"fields\":{\"prompt\":{}}}}";

    JsonNode viaFacade = es.postJson("/llm-logs-*/_search", body).json();
    JsonNode direct = engineSearch("llm-logs-*/_search", body);

    assertThat(hitsWithoutIndex(viaFacade)).isEqualTo(hitsWithoutIndex(direct));
    assertThat(
            viaFacade
                .path("hits")
                .path("hits")
                .get(0)
                .path("highlight")
                .path("prompt")
                .get(0)
                .asText())
        // The word is one term of the text's pairs of characters, highlighted whole.
        .contains("<em>退款</em>");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/.kibana/_search",
        "/other-*/_search",
        "/llm-*/_count",
        "/llm-deadletter-*/_search",
        "/llm-logs-*,.security/_search",
        "/cluster:llm-logs-*/_search"
      })
  void search_otherIndices_areForbiddenInElasticsearchsErrorShape(String path) {
    Http.Answer answer = es.postJson(path, "{\"query\":{\"match_all\":{}}}");

    assertThat(answer.status()).as(answer.body()).isEqualTo(403);
    assertThat(answer.json().path("status").asInt()).isEqualTo(403);
    assertThat(answer.json().path("error").path("type").asText()).isEqualTo("security_exception");
    assertThat(answer.json().path("error").path("root_cause").get(0).path("reason").asText())
        .contains("llm-logs-*, llm-quality-*");
    assertThat(answer.header("X-Elastic-Product")).isEqualTo("Elasticsearch");
  }

  @Test
  void msearch_headerWithAnotherIndex_isForbidden() {
    Http.Answer answer =
        es.post(
            "/_msearch",
            "application/x-ndjson",
            "{\"index\":\"llm-logs-*\"}\n{}\n{\"index\":\".kibana\"}\n{}\n");

    assertThat(answer.status()).isEqualTo(403);
  }

  @Test
  void search_termsLookupInAnotherIndex_isForbidden() {
    String body =
        "{\"query\":{\"terms\":{\"user_id\":{\"index\":\".kibana\",\"id\":\"1\",\"path\":\"users\"}}}}";

    assertThat(es.postJson("/llm-logs-*/_search", body).status()).isEqualTo(403);
  }

  @Test
  void search_termsLookupInLlmlogsIndex_isScopedAndWorks() {
    Call first = calls.get(0);
    String body =
        "{\"query\":{\"terms\":{\"request_id\":{\"index\":\"llm-logs-"
            + Timestamps.day(first.timestamp())
            + "\",\"id\":\""
            + first.requestId()
            + "\",\"path\":\"request_id\"}}}}";

    Http.Answer answer = es.postJson("/llm-logs-*/_search", body);

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.json().path("hits").path("total").path("value").asLong()).isEqualTo(1);
  }

  @Test
  void search_bodyInTheSourceParameter_isScopedLikeABody() {
    String lookup =
        "{\"query\":{\"terms\":{\"user_id\":{\"index\":\".kibana\",\"id\":\"1\",\"path\":\"users\"}}}}";
    String slow = "{\"query\":{\"range\":{\"latency_ms\":{\"gte\":5000}}}}";

    assertThat(
            es.get(
                    "/llm-logs-*/_search?source_content_type=application/json&source="
                        + encode(lookup))
                .status())
        .isEqualTo(403);
    assertThat(
            es.get("/llm-logs-*/_count?source_content_type=application/json&source=" + encode(slow))
                .json()
                .path("count")
                .asLong())
        .isEqualTo(calls.stream().filter(c -> c.latencyMs() >= 5000).count());
  }

  @Test
  void search_indexedShapeWithoutIndex_isForbidden() {
    String body =
        "{\"query\":{\"geo_shape\":{\"location\":{\"indexed_shape\":{\"id\":\"deu\",\"path\":\"location\"}}}}}";

    assertThat(es.postJson("/llm-logs-*/_search", body).status()).isEqualTo(403);
  }

  private static String encode(String text) {
    return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void search_missingDay_isTheEnginesNotFoundWithoutThePrefix() {
    Http.Answer answer = es.get("/llm-logs-1999.01.01/_search");

    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.json().path("error").path("type").asText())
        .isEqualTo("index_not_found_exception");
    assertThat(answer.body())
        .contains("[llm-logs-1999.01.01]")
        .doesNotContain(engine.indexPrefix());
  }

  @Test
  void search_badDsl_isTheEnginesOwn400() {
    Http.Answer answer = es.postJson("/llm-logs-*/_search", "{\"query\":{\"no_such_query\":{}}}");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().path("error").path("type").asText()).isEqualTo("parsing_exception");
  }

  @Test
  void search_scroll_isRefusedWithAHint() {
    Http.Answer answer = es.postJson("/llm-logs-*/_search?scroll=1m", "{}");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.body()).contains("search_after");
  }

  private static Map<String, JsonNode> buckets(JsonNode answer) {
    Map<String, JsonNode> byKey = new TreeMap<>();
    answer
        .path("aggregations")
        .path("avg_latency_by_model")
        .path("buckets")
        .forEach(b -> byKey.put(b.path("key").asText(), b));
    return byKey;
  }

  private static ArrayNode hitsWithoutIndex(JsonNode answer) {
    ArrayNode hits = JSON.createArrayNode();
    for (JsonNode hit : answer.path("hits").path("hits")) {
      ObjectNode copy = hit.deepCopy();
      copy.remove("_index");
      hits.add(copy);
    }
    return hits;
  }

  private static JsonNode tree(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

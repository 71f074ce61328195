package io.llmlog.server.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmlog.engine.junit.SharedEngineExtension;
import io.llmlog.engine.junit.TestEngine;
import io.llmlog.server.Http;
import io.llmlog.server.LlmlogServer;
import io.llmlog.server.TestServers;
import io.llmlog.server.query.GeneratedCalls.Call;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Dashboards on llmlog's {@code :9200}: the scripts of searches (the error rate per model as a
 * Grafana or Kibana panel computes it), the calls Grafana's Elasticsearch data source makes to
 * check the server and list fields, and the refusal of everything that would write with a script.
 * Also {@code /api/v1/search} with {@code size=0}, a histogram and a script query.
 */
@ExtendWith(SharedEngineExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FacadeScriptsAndGrafanaIT {
  private static final int CALLS = 2_000;

  private LlmlogServer server;
  private Http es;
  private Http api;
  private List<Call> calls;
  private String prefix;

  @BeforeAll
  void start(TestEngine engine) {
    prefix = engine.indexPrefix();
    server = TestServers.onSharedEngine(engine, Map.of());
    es = new Http(TestServers.es(server));
    api = new Http(TestServers.api(server));
    calls =
        GeneratedCalls.generate(
            13, CALLS, "scripts", Instant.now().minus(Duration.ofMinutes(1)), Duration.ofHours(2));
    GeneratedCalls.bulk(es, calls, 1_000);
    engine.refresh(prefix + "llm-logs-*");
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void search_errorRatePerModelWithBucketScriptAndMaxBucket_isComputedFromTheDocuments() {
    Http.Answer answer =
        es.postJson(
            "/llm-logs-*/_search",
            """
        {"size": 0, "aggs": {
          "models": {"terms": {"field": "model", "size": 20}, "aggs": {
            "errors": {"filter": {"term": {"level": "error"}}},
            "error_rate": {"bucket_script": {"buckets_path": {"errors": "errors._count", "calls": "_count"},
                                             "script": "params.errors / params.calls"}}}},
          "worst_model": {"max_bucket": {"buckets_path": "models>error_rate"}}}}""");

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    Map<String, Double> expected =
        calls.stream()
            .collect(
                Collectors.groupingBy(
                    Call::model,
                    TreeMap::new,
                    Collectors.averagingDouble(call -> call.error() ? 1 : 0)));
    Map<String, Double> actual = new TreeMap<>();
    for (JsonNode bucket : answer.json().path("aggregations").path("models").path("buckets")) {
      actual.put(bucket.path("key").asText(), bucket.path("error_rate").path("value").asDouble());
    }
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    expected.forEach(
        (model, rate) -> assertThat(actual.get(model)).as(model).isCloseTo(rate, offset(1e-9)));
    double worst = expected.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    assertThat(worst).isPositive();
    assertThat(answer.json().path("aggregations").path("worst_model").path("value").asDouble())
        .isCloseTo(worst, offset(1e-9));
  }

  @Test
  void search_bucketSelectorScriptFieldsSortAndQuery_workThroughTheFacade() {
    Http.Answer answer =
        es.postJson(
            "/llm-logs-*/_search",
            """
        {"size": 3, "_source": false,
         "query": {"script": {"script": {"source": "doc['latency_ms'].value > params.min", "params": {"min": 1000}}}},
         "script_fields": {"latency_s": {"script": "doc['latency_ms'].value / 1000"}},
         "sort": {"_script": {"type": "number", "order": "desc", "script": "doc['latency_ms'].value"}},
         "aggs": {"models": {"terms": {"field": "model"}, "aggs": {
           "slow_only": {"bucket_selector": {"buckets_path": {"n": "_count"}, "script": "params.n >= 100000"}}}},
           "tokens": {"scripted_metric": {"init_script": "state.t = 0L", "map_script": "state.t += doc['output_tokens'].value",
             "combine_script": "return state.t", "reduce_script": "long t = 0; for (s in states) { t += s } return t"}}}}""");

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    JsonNode body = answer.json();
    long slow = calls.stream().filter(c -> c.latencyMs() > 1000).count();
    float slowest = (float) calls.stream().mapToDouble(Call::latencyMs).max().orElseThrow();
    long slowTokens =
        calls.stream().filter(c -> c.latencyMs() > 1000).mapToLong(Call::outputTokens).sum();
    assertThat(body.path("hits").path("total").path("value").asLong()).isEqualTo(slow);
    assertThat(body.path("hits").path("hits").get(0).path("sort").get(0).floatValue())
        .isEqualTo(slowest);
    assertThat(
            body.path("hits")
                .path("hits")
                .get(0)
                .path("fields")
                .path("latency_s")
                .get(0)
                .asDouble())
        .isCloseTo(slowest / 1000.0, offset(1e-3));
    assertThat(body.path("aggregations").path("models").path("buckets")).isEmpty();
    assertThat(body.path("aggregations").path("tokens").path("value").asLong())
        .isEqualTo(slowTokens);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "POST|/llm-logs-*/_update/x|{\"script\": \"ctx._source.model = 'x'\"}",
        "POST|/llm-logs-*/_update_by_query|{\"script\": \"ctx._source.model = 'x'\"}",
        "PUT|/_scripts/rate|{\"script\": {\"lang\": \"painless\", \"source\": \"1\"}}",
        "POST|/_reindex|{\"source\": {\"index\": \"llm-logs-*\"}, \"dest\": {\"index\": \"copy\"}, \"script\": {\"source\": \"1\"}}"
      })
  void scriptedWrites_areRefusedInElasticsearchsErrorShape(
      String method, String path, String body) {
    Http.Answer answer = es.send(method, path, body);

    assertThat(answer.status()).as(answer.body()).isEqualTo(400);
    assertThat(answer.json().path("status").asInt()).isEqualTo(400);
    assertThat(answer.json().path("error").path("type").asText())
        .isEqualTo("illegal_argument_exception");
    assertThat(answer.json().path("error").path("root_cause").get(0).path("reason").asText())
        .contains("runs scripts in searches only")
        .contains(path);
  }

  @Test
  void search_storedScriptReference_isRefusedNamingIt() {
    Http.Answer answer =
        es.postJson(
            "/llm-logs-*/_search",
            "{\"script_fields\": {\"x\": {\"script\": {\"id\": \"rate\"}}}}");

    assertThat(answer.status()).as(answer.body()).isEqualTo(400);
    assertThat(answer.json().path("error").path("reason").asText())
        .contains("stored scripts are not supported");
  }

  @Test
  void grafanaHealthCheck_rootAndClusterHealth_answerAsElasticsearch() {
    Http.Answer root = es.get("/");
    Http.Answer head = es.send("HEAD", "/", null);
    Http.Answer health = es.get("/_cluster/health?wait_for_status=yellow");

    assertThat(root.json().path("version").path("build_flavor").asText()).isEqualTo("default");
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(health.status()).as(health.body()).isEqualTo(200);
    assertThat(health.json().path("status").asText()).isIn("green", "yellow");
  }

  @Test
  void grafanaFieldList_mappingOfTheIndexPattern_namesLlmlogsFieldsWithoutThePrefix() {
    Http.Answer answer = es.get("/llm-logs-*/_mapping");

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.body()).doesNotContain(prefix);
    String index = answer.json().fieldNames().next();
    assertThat(index).startsWith("llm-logs-");
    JsonNode properties = answer.json().path(index).path("mappings").path("properties");
    assertThat(properties.path("model").path("type").asText()).isEqualTo("keyword");
    assertThat(properties.path("latency_ms").path("type").asText()).isEqualTo("float");
    assertThat(properties.path("timestamp").path("type").asText()).isEqualTo("date");
  }

  @Test
  void grafanaQuery_msearchWithDateHistogramAndBucketScript_answers() {
    long from = Instant.now().minus(Duration.ofHours(3)).toEpochMilli();
    long to = Instant.now().toEpochMilli();
    String header =
        "{\"search_type\":\"query_then_fetch\",\"ignore_unavailable\":true,\"index\":\"llm-logs-*\"}";
    String search =
        "{\"size\":0,\"query\":{\"bool\":{\"filter\":[{\"range\":{\"timestamp\":{\"gte\":"
            + from
            + ",\"lte\":"
            + to
            + ",\"format\":\"epoch_millis\"}}},{\"query_string\":{\"analyze_wildcard\":true,\"query\":\"*\"}}]}},"
            + "\"aggs\":{\"2\":{\"date_histogram\":{\"field\":\"timestamp\",\"min_doc_count\":0,\"extended_bounds\":{\"min\":"
            + from
            + ",\"max\":"
            + to
            + "},\"format\":\"epoch_millis\",\"fixed_interval\":\"30m\"},\"aggs\":{\"3\":{\"filter\":{\"term\":{\"level\":\"error\"}}},"
            + "\"4\":{\"bucket_script\":{\"buckets_path\":{\"var1\":\"3._count\",\"var2\":\"_count\"},\"script\":\"params.var1 / Math.max(params.var2, 1)\"}}}}}}";

    Http.Answer answer =
        es.post(
            "/_msearch?max_concurrent_shard_requests=5",
            "application/x-ndjson",
            header + "\n" + search + "\n");

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    JsonNode response = answer.json().path("responses").get(0);
    assertThat(response.path("hits").path("total").path("value").asLong()).isEqualTo(CALLS);
    long errorsInBuckets = 0;
    for (JsonNode bucket : response.path("aggregations").path("2").path("buckets")) {
      errorsInBuckets += bucket.path("3").path("doc_count").asLong();
      assertThat(bucket.has("4") || bucket.path("doc_count").asLong() == 0).isTrue();
    }
    assertThat(errorsInBuckets).isEqualTo(calls.stream().filter(Call::error).count());
  }

  @Test
  void fieldCaps_getAndPost_listLlmlogsFields() {
    Http.Answer get = es.get("/llm-logs-*/_field_caps?fields=model,latency_ms");
    Http.Answer post =
        es.postJson(
            "/llm-logs-*/_field_caps?fields=*",
            "{\"index_filter\": {\"range\": {\"timestamp\": {\"gte\": \"now-1d\"}}}}");

    assertThat(get.status()).as(get.body()).isEqualTo(200);
    assertThat(
            get.json().path("fields").path("model").path("keyword").path("searchable").asBoolean())
        .isTrue();
    assertThat(get.json().path("fields").path("latency_ms").has("float")).isTrue();
    assertThat(get.body()).doesNotContain(prefix);
    assertThat(post.status()).as(post.body()).isEqualTo(200);
    assertThat(post.json().path("indices").get(0).asText()).startsWith("llm-logs-");
  }

  @Test
  void catIndicesAndHealth_answerForLlmlogsIndicesOnly() {
    Http.Answer indices = es.get("/_cat/indices/llm-logs-*?format=json&h=index,docs.count");
    Http.Answer text = es.get("/_cat/indices");
    Http.Answer health = es.send("HEAD", "/_cat/health", null);

    assertThat(indices.status()).as(indices.body()).isEqualTo(200);
    long documents = 0;
    for (JsonNode index : indices.json()) {
      assertThat(index.path("index").asText()).startsWith("llm-logs-");
      documents += index.path("docs.count").asLong();
    }
    assertThat(documents).isEqualTo(CALLS);
    assertThat(text.status()).isEqualTo(200);
    assertThat(text.body())
        .contains("llm-logs-")
        .doesNotContain(prefix)
        .doesNotContain("llm-rollups")
        .doesNotContain("llm-deadletter");
    assertThat(health.status()).isEqualTo(200);
  }

  @ParameterizedTest
  @CsvSource({
    "/.kibana/_mapping",
    "/llm-*/_field_caps?fields=*",
    "/_cat/indices/llm-deadletter-*",
    "/_cluster/health/other"
  })
  void indexApis_otherIndices_areForbidden(String path) {
    Http.Answer answer = es.get(path);

    assertThat(answer.status()).as(answer.body()).isEqualTo(403);
    assertThat(answer.json().path("error").path("type").asText()).isEqualTo("security_exception");
  }

  @Test
  void apiSearch_sizeZeroWithInterval_answersTotalAndHistogramWithoutHits() {
    Http.Answer answer =
        api.get(
            "/api/v1/search?size=0&from=now-3h&interval=30m&q="
                + URLEncoder.encode("level:error", StandardCharsets.UTF_8));

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    long errors = calls.stream().filter(Call::error).count();
    assertThat(answer.json().path("total").asLong()).isEqualTo(errors);
    assertThat(answer.json().path("hits")).isEmpty();
    assertThat(answer.json().path("next").isNull()).isTrue();
    long inBuckets = 0;
    for (JsonNode bucket : answer.json().path("histogram")) {
      inBuckets += bucket.path("calls").asLong();
    }
    assertThat(answer.json().path("histogram").size()).isBetween(6, 8);
    assertThat(inBuckets).isEqualTo(errors);
  }

  @Test
  void apiSearch_queryDslWithScript_filtersTheCalls() {
    Http.Answer answer =
        api.postJson(
            "/api/v1/search",
            """
        {"q": "level:info", "size": 0,
         "query": {"script": {"script": {"source": "doc['latency_ms'].value > 2 * doc['ttft_ms'].value"}}}}""");
    Http.Answer stored =
        api.postJson("/api/v1/search", "{\"query\": {\"script\": {\"script\": {\"id\": \"x\"}}}}");

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    long expected =
        calls.stream()
            .filter(c -> c.level().equals("info") && c.latencyMs() > 2 * c.ttftMs())
            .count();
    assertThat(answer.json().path("total").asLong()).isEqualTo(expected);
    assertThat(stored.status()).isEqualTo(400);
    assertThat(stored.json().path("error").path("parameter").asText()).isEqualTo("query");
  }
}

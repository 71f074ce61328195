package io.llmlog.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.engine.junit.SharedEngineExtension;
import io.llmlog.engine.junit.TestEngine;
import io.llmlog.server.Http;
import io.llmlog.server.LlmlogServer;
import io.llmlog.server.TestServers;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code /api/v1/search} end to end: KQL through the real server to the real engine and back. */
@ExtendWith(SharedEngineExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchApiIT {
  private LlmlogServer server;
  private Http api;
  private Instant yesterday;

  @BeforeAll
  void start(TestEngine engine) {
    server = TestServers.onSharedEngine(engine, Map.of());
    api = new Http(TestServers.api(server));
    Instant now = Instant.now();
    Instant today = now.truncatedTo(ChronoUnit.DAYS);
    yesterday = today.minus(1, ChronoUnit.DAYS).plus(10, ChronoUnit.HOURS);
    Instant laterToday = now.minusSeconds(60).isBefore(today) ? today : now.minusSeconds(60);

    List<ObjectNode> calls = new ArrayList<>();
    // The issue's example: gpt-4 calls slower than 5 s for user 123 yesterday that mention 退款.
    calls.add(refund("target", yesterday, "gpt-4", "user_123", 6200).put("prompt", "我要退款，订单号 123"));
    calls.add(
        refund("in-response", yesterday.plusSeconds(3600), "gpt-4", "user_123", 7000)
            .put("prompt", "订单状态?")
            .put("response", "已为您办理退款"));
    calls.add(
        refund("escaped", yesterday.plusSeconds(7200), "gpt-4", "user_123", 9000)
            .put("prompt", "<script>alert('x')</script> 退款 please"));
    calls.add(refund("too-fast", yesterday, "gpt-4", "user_123", 4000).put("prompt", "退款"));
    calls.add(refund("other-user", yesterday, "gpt-4", "user_456", 6000).put("prompt", "退款"));
    calls.add(refund("other-model", yesterday, "gpt-4o", "user_123", 6000).put("prompt", "退款"));
    calls.add(refund("today", laterToday, "gpt-4", "user_123", 6000).put("prompt", "退款"));
    calls.add(
        refund("two-days-ago", yesterday.minus(1, ChronoUnit.DAYS), "gpt-4", "user_123", 6000)
            .put("prompt", "退款"));
    calls.add(
        refund("characters-apart", yesterday, "gpt-4", "user_123", 6000).put("prompt", "请退回款项"));
    // Other shapes of query.
    calls.add(
        other("err-timeout", "claude-3-5-sonnet", "error", 30000)
            .put("stop_reason", "error")
            .put("prompt", "summarise this contract"));
    calls
        .get(calls.size() - 1)
        .putObject("error")
        .put("type", "timeout")
        .put("message", "upstream timed out");
    calls.add(
        other("warn-length", "claude-3-haiku", "warning", 1500)
            .put("stop_reason", "length")
            .put("prompt", "write a long poem"));
    calls.add(
        other("info-claude", "claude-3-5-sonnet", "info", 1200)
            .put("stop_reason", "stop")
            .put("prompt", "refund please, the item broke"));
    calls.add(
        other("info-tenant", "gpt-4o-mini", "info", 800)
            .put("stop_reason", "stop")
            .put("prompt", "please send a refund"));
    calls.get(calls.size() - 1).putObject("metadata").put("tenant", "acme");
    Calls.ingest(api, calls);
    Calls.ingestQuality(
        api,
        List.of(
            Calls.JSON
                .createObjectNode()
                .put("request_id", "target")
                .put("timestamp", yesterday.plusSeconds(60).toString())
                .put("rating", 2)
                .put("feedback", "slow"),
            Calls.JSON
                .createObjectNode()
                .put("request_id", "target")
                .put("timestamp", yesterday.plusSeconds(120).toString())
                .put("rating", 5)
                .put("feedback", "resolved")));
  }

  private static ObjectNode refund(
      String id, Instant timestamp, String model, String user, double latency) {
    ObjectNode call = Calls.call(id, timestamp, model);
    call.put("service", "refunds");
    call.put("user_id", user);
    call.put("latency_ms", latency);
    return call;
  }

  private ObjectNode other(String id, String model, String level, double latency) {
    ObjectNode call = Calls.call(id, yesterday.plusSeconds(300), model);
    call.put("service", "other");
    call.put("level", level);
    call.put("latency_ms", latency);
    return call;
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private Http.Answer search(String query) {
    return api.get("/api/v1/search?" + query);
  }

  private static String q(String kql) {
    return "q=" + URLEncoder.encode(kql, StandardCharsets.UTF_8);
  }

  private static Set<String> ids(Http.Answer answer) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    Set<String> ids = new LinkedHashSet<>();
    answer.json().path("hits").forEach(hit -> ids.add(hit.path("request_id").asText()));
    return ids;
  }

  @Test
  void search_issueExample_findsTheSlowGpt4RefundCallsOfUser123Yesterday() {
    Http.Answer answer =
        search(
            q("model:gpt-4 and latency_ms > 5000 and user_id:user_123 and 退款")
                + "&from=now-1d/d&to=now-1d/d");

    assertThat(ids(answer)).containsExactlyInAnyOrder("target", "in-response", "escaped");
    assertThat(answer.json().path("total").asLong()).isEqualTo(3);
    assertThat(answer.json().path("total_relation").asText()).isEqualTo("eq");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "level:error                                          | err-timeout",
        "service:other and not level:info                     | err-timeout warn-length",
        "model:claude* and not level:error                    | warn-length info-claude",
        "error.type:timeout or stop_reason:length             | err-timeout warn-length",
        "service:other and latency_ms >= 1000 and latency_ms < 2000 | warn-length info-claude",
        "metadata.tenant:acme                                 | info-tenant",
        "prompt:\"refund please\"                             | info-claude",
        "service:other and refund                             | info-claude info-tenant",
        "service:refunds and not 退款 and not prompt:订单      | characters-apart",
      })
  void search_representativeKql_findsExactlyTheMatchingCalls(String kql, String expected) {
    assertThat(ids(search(q(kql)))).containsExactlyInAnyOrder(expected.split(" "));
  }

  @Test
  void search_freeText_highlightsHtmlEscapedFragmentsWithMarkTagsOnly() {
    JsonNode hit =
        search(q("退款 and user_id:user_123 and latency_ms >= 9000")).json().path("hits").get(0);

    assertThat(hit.path("request_id").asText()).isEqualTo("escaped");
    String fragment = hit.path("highlight").path("prompt").get(0).asText();
    assertThat(fragment)
        .isEqualTo("&lt;script&gt;alert(&#x27;x&#x27;)&lt;&#x2F;script&gt; <mark>退款</mark> please");
    assertThat(fragment.replace("<mark>", "").replace("</mark>", "")).doesNotContain("<", ">");
  }

  @Test
  void search_hits_carryTheirQualityRecordsOldestFirst() {
    JsonNode hits =
        search(q("service:refunds") + "&from=now-1d/d&to=now-1d/d&size=100").json().path("hits");

    for (JsonNode hit : hits) {
      JsonNode quality = hit.path("quality");
      if (hit.path("request_id").asText().equals("target")) {
        assertThat(quality).hasSize(2);
        assertThat(quality.get(0).path("feedback").asText()).isEqualTo("slow");
        assertThat(quality.get(1).path("feedback").asText()).isEqualTo("resolved");
      } else {
        assertThat(quality).isEmpty();
      }
    }
  }

  @Test
  void search_defaultSort_isNewestFirstAndIndicesHaveNoPrefix() {
    JsonNode hits = search(q("service:refunds")).json().path("hits");

    List<Instant> times = new ArrayList<>();
    hits.forEach(hit -> times.add(Instant.parse(hit.path("document").path("timestamp").asText())));
    assertThat(times).isSortedAccordingTo((a, b) -> b.compareTo(a));
    assertThat(hits.get(0).path("index").asText())
        .startsWith("llm-logs-")
        .isEqualTo(
            "llm-logs-"
                + times.get(0).atZone(ZoneOffset.UTC).toLocalDate().toString().replace('-', '.'));
  }

  @Test
  void search_fields_returnsOnlyThoseAndTheIdentity() {
    JsonNode document =
        search(q("request_id:target") + "&fields=model,latency_ms")
            .json()
            .path("hits")
            .get(0)
            .path("document");

    Set<String> names = new HashSet<>();
    document.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactlyInAnyOrder("request_id", "timestamp", "model", "latency_ms");
  }

  @Test
  void search_postBody_takesTheSameParameters() {
    String body =
        "{\"q\": \"model:gpt-4 and latency_ms > 5000 and user_id:user_123 and 退款\", \"from\": \"now-1d/d\", \"to\": \"now-1d/d\","
            + " \"sort\": [\"latency_ms:asc\"], \"size\": 2, \"fields\": [\"latency_ms\"]}";

    Http.Answer answer = api.postJson("/api/v1/search", body);

    assertThat(ids(answer)).containsExactly("target", "in-response");
    assertThat(answer.json().path("next").isTextual()).isTrue();
  }

  @Test
  void search_pagesWithSearchAfter_visitEveryCallOnceEvenWithTiedSortValues() {
    Instant tied = yesterday.plusSeconds(999);
    List<ObjectNode> calls = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      ObjectNode call = Calls.call("page-" + i, tied, "gpt-4o");
      call.put("service", "paging");
      if (i % 5 != 0) {
        call.put("latency_ms", 100 * (i % 3));
      }
      calls.add(call);
    }
    Calls.ingest(api, calls);

    for (String sort : new String[] {"timestamp:desc", "latency_ms:asc"}) {
      List<String> seen = new ArrayList<>();
      List<Double> latencies = new ArrayList<>();
      String next = null;
      int pages = 0;
      do {
        Http.Answer page =
            search(
                q("service:paging")
                    + "&size=7&sort="
                    + sort
                    + (next == null ? "" : "&search_after=" + next));
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        page.json()
            .path("hits")
            .forEach(
                hit -> {
                  seen.add(hit.path("request_id").asText());
                  JsonNode latency = hit.path("document").path("latency_ms");
                  latencies.add(latency.isNumber() ? latency.asDouble() : Double.POSITIVE_INFINITY);
                });
        next = page.json().path("next").isTextual() ? page.json().path("next").asText() : null;
        pages++;
      } while (next != null);

      assertThat(seen).as(sort).hasSize(25).doesNotHaveDuplicates();
      assertThat(pages).as(sort).isEqualTo(4);
      if (sort.startsWith("latency")) {
        assertThat(latencies).isSorted();
      }
    }
  }

  @Test
  void search_promptOverTheHighlighterLimit_isFoundAndHighlightedInItsFirstPart() {
    // Longer than the engine's limit (index.highlight.max_analyzed_offset, 1,000,000), past which
    // it fails the shard and the hit is lost.
    String prompt = "退款 " + "x".repeat(1_100_000) + " 退款";
    Calls.ingest(
        api,
        List.of(
            Calls.call("huge", yesterday, "gpt-4").put("service", "huge").put("prompt", prompt)));

    Http.Answer answer = search(q("service:huge and 退款") + "&fields=model");

    assertThat(ids(answer)).containsExactly("huge");
    assertThat(answer.json().path("hits").get(0).path("highlight").path("prompt").get(0).asText())
        .startsWith("<mark>退款</mark>");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "from=yesterday                   | from",
        "to=now-1x                        | to",
        "from=now&to=now-1d               | from",
        "sort=prompt:asc                  | sort",
        "size=-1                          | size",
        "size=1001                        | size",
        "size=ten                         | size",
        "fields=model,nonsense            | fields",
        "search_after=bm9wZQ              | search_after",
      })
  void search_badParameter_is400NamingIt(String query, String parameter) {
    Http.Answer answer = search(query);

    assertThat(answer.status()).as(answer.body()).isEqualTo(400);
    assertThat(answer.json().path("error").path("parameter").asText()).isEqualTo(parameter);
    assertThat(answer.json().path("error").path("reason").asText()).startsWith(parameter + ": ");
  }

  @Test
  void search_kqlSyntaxError_is400WithPositionAndExpected() {
    Http.Answer answer = search(q("model:gpt-4 and latency_ms >"));

    assertThat(answer.status()).isEqualTo(400);
    JsonNode error = answer.json().path("error");
    assertThat(error.path("type").asText()).isEqualTo("kql_syntax_error");
    assertThat(error.path("parameter").asText()).isEqualTo("q");
    assertThat(error.path("position").asInt()).isEqualTo(28);
    assertThat(error.path("expected").asText()).isEqualTo("a value after '>'");
    assertThat(error.path("reason").asText()).contains("^");
  }
}

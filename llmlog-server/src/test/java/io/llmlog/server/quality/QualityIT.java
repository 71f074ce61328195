package io.llmlog.server.quality;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.core.Timestamps;
import io.llmlog.engine.junit.SharedEngineExtension;
import io.llmlog.engine.junit.TestEngine;
import io.llmlog.server.Http;
import io.llmlog.server.LlmlogServer;
import io.llmlog.server.TestServers;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The quality capability end to end on one real server with API keys: the judge against a local
 * OpenAI-compatible endpoint (canned scores, a malformed answer, a 429 with Retry-After, a
 * timeout), a scoring run stopped and continued, KQL and stats over scores, an alert rule on a
 * score, and a review queue with two reviewers.
 */
@ExtendWith(SharedEngineExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QualityIT {
  static final String ADMIN = "admin-key-0123456789abcdef";
  static final String ALICE = "alice-key-0123456789abcdef";
  static final String BOB = "bob-key-0123456789abcdef00";
  static final String JUDGE_KEY = "sk-test-judge-key-9f8e7d6c5b4a";

  final FakeJudge judge = new FakeJudge();
  final LogCapture logs = new LogCapture();
  LlmlogServer server;
  Http admin;
  Http alice;
  Http bob;

  @BeforeAll
  void start(TestEngine engine) {
    logs.attach();
    Map<String, Object> quality = new LinkedHashMap<>();
    quality.put(
        "evaluators",
        List.of(
            Map.of(
                "name",
                "relevance",
                "type",
                "judge",
                "template",
                "relevance",
                "filter",
                "service:support"),
            Map.of("name", "refusal", "type", "refusal")));
    quality.put(
        "judge",
        Map.of(
            "base_url",
            judge.baseUrl().toString(),
            "model",
            "gpt-4o-mini",
            "api_key_env",
            "TEST_JUDGE_KEY",
            "timeout",
            "1500ms",
            "initial_backoff",
            "50ms",
            "max_backoff",
            "200ms",
            "max_attempts",
            3,
            "requests_per_minute",
            60000,
            "concurrency",
            2));
    quality.put(
        "queues",
        List.of(
            Map.of(
                "name",
                "triage",
                "title",
                "Triage",
                "filter",
                "service:review-me",
                "labels",
                List.of("wrong", "rude", "good"))));
    quality.put("run_page_size", 5);
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("quality", quality);
    settings.put(
        "alerts",
        Map.of(
            "evaluation_interval",
            "1s",
            "lease_ttl",
            "2s",
            "rules",
            List.of(
                Map.of(
                    "alert",
                    "LowHelpfulness",
                    "condition",
                    "avg(scores.helpfulness) < 0.7",
                    "window",
                    "5m",
                    "min_count",
                    3,
                    "severity",
                    "warning",
                    "filter",
                    "evaluator:ext"))));
    settings.put(
        "auth",
        Map.of(
            "api_keys",
            List.of(
                Map.of("key", ADMIN, "role", "admin", "name", "ops"),
                Map.of("key", ALICE, "role", "review", "name", "alice"),
                Map.of("key", BOB, "role", "review", "name", "bob"))));
    server =
        TestServers.onSharedEngine(
            engine,
            settings,
            Clock.systemUTC(),
            name -> name.equals("TEST_JUDGE_KEY") ? JUDGE_KEY : null);
    Http api = new Http(TestServers.api(server));
    admin = api.withAuthorization("ApiKey " + ADMIN);
    alice = api.withAuthorization("ApiKey " + ALICE);
    bob = api.withAuthorization("ApiKey " + BOB);
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
    judge.close();
    logs.close();
  }

  static ObjectNode call(
      String id, String service, String model, String marker, String response, Instant at) {
    ObjectNode call = Http.JSON.createObjectNode();
    call.put("request_id", id);
    call.put("timestamp", Timestamps.format(at));
    call.put("service", service);
    call.put("model", model);
    call.put(
        "prompt",
        "[call:" + id + "]" + (marker == null ? "" : "[judge:" + marker + "]") + " 退款多久到账？");
    call.put("response", response);
    call.put("input_tokens", 20);
    call.put("output_tokens", 30);
    call.put("latency_ms", 900);
    return call;
  }

  void ingest(String path, List<ObjectNode> records) {
    Http.Answer answer =
        admin.post(
            path,
            "application/x-ndjson",
            records.stream().map(ObjectNode::toString).collect(Collectors.joining("\n")));
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.json().path("accepted").asInt()).as(answer.body()).isEqualTo(records.size());
  }

  static JsonNode await(
      java.util.function.Supplier<JsonNode> read, Predicate<JsonNode> done, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = read.get();
    while (!done.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout + "; last: " + last);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      last = read.get();
    }
    return last;
  }

  List<JsonNode> quality(String requestId, String evaluator) {
    List<JsonNode> records = new ArrayList<>();
    admin
        .get("/api/v1/logs/" + requestId)
        .json()
        .path("quality")
        .forEach(
            record -> {
              if (evaluator.equals(record.path("evaluator").asText())
                  || evaluator.equals(record.path("queue").asText())) {
                records.add(record);
              }
            });
    return records;
  }

  static long sum(JsonNode counters) {
    long total = 0;
    for (JsonNode value : counters) {
      total += value.asLong();
    }
    return total;
  }

  @Test
  @Order(1)
  void judge_liveCalls_scoresStoredOnceFailuresCountedAndRetried_costVisible() {
    Instant now = Instant.now();
    ingest(
        "/api/v1/logs?refresh=wait_for",
        List.of(
            call(
                "j-ok",
                "support",
                "gpt-4o",
                "score=0.9",
                "Refunds arrive in 3-5 working days.",
                now),
            call("j-malformed-once", "support", "gpt-4o", "malformed-once", "退款将在3-5个工作日到账。", now),
            call("j-429", "support", "gpt-4o", "429-once", "Within a week.", now),
            call("j-slow", "support", "qwen-max", "slow-once", "抱歉，我无法提供这方面的帮助。", now),
            call("j-bad", "support", "qwen-max", "malformed", "Soon.", now),
            call("j-echo", "support", "qwen-max", "echo-key", "Later.", now),
            call(
                "j-other", "billing", "gpt-4o", "score=0.1", "Not judged: another service.", now)));

    JsonNode status =
        await(
                () -> admin.get("/api/v1/quality/evaluators").json(),
                s -> sum(s.path("judge").path("judgements")) >= 6,
                Duration.ofSeconds(30))
            .path("judge");

    assertThat(status.path("judgements").path("scored").asLong()).isEqualTo(4);
    assertThat(status.path("judgements").path("failed").asLong()).isEqualTo(2);
    assertThat(status.path("requests").path("refused").asLong())
        .as("a 401 is not retried")
        .isEqualTo(1);
    assertThat(status.path("requests").path("ok").asLong()).isEqualTo(4);
    assertThat(status.path("requests").path("malformed").asLong())
        .as("one once, three times for j-bad")
        .isEqualTo(4);
    assertThat(status.path("requests").path("rate_limited").asLong()).isEqualTo(1);
    assertThat(status.path("requests").path("timeout").asLong()).isEqualTo(1);
    assertThat(judge.requestsFor("j-other")).isEmpty();
    assertThat(judge.requestsFor("j-bad")).hasSize(3);

    List<FakeJudge.Request> limited = judge.requestsFor("j-429");
    assertThat(limited).hasSize(2);
    assertThat(Duration.ofNanos(limited.get(1).atNanos() - limited.get(0).atNanos()))
        .as("Retry-After: 1 honoured over the 50 ms backoff")
        .isGreaterThanOrEqualTo(Duration.ofMillis(950));
    assertThat(judge.requests())
        .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer " + JUDGE_KEY));

    Map<String, Double> expected =
        Map.of("j-ok", 0.9, "j-malformed-once", 0.75, "j-429", 0.75, "j-slow", 0.75);
    expected.forEach(
        (id, score) -> {
          List<JsonNode> scores =
              await(
                      () -> Http.JSON.valueToTree(quality(id, "relevance")),
                      s -> s.size() >= 1,
                      Duration.ofSeconds(10))
                  .findParents("evaluator");
          assertThat(scores).as(id).hasSize(1);
          JsonNode record = scores.get(0);
          assertThat(record.path("scores").path("relevance").asDouble()).as(id).isEqualTo(score);
          assertThat(record.path("explanation").asText()).isEqualTo("graded " + id);
          assertThat(record.path("model").asText())
              .as("the call's model is copied")
              .isIn("gpt-4o", "qwen-max");
        });
    assertThat(quality("j-bad", "relevance")).isEmpty();
    assertThat(quality("j-slow", "refusal"))
        .singleElement()
        .satisfies(r -> assertThat(r.path("label").asText()).isEqualTo("refusal"));
    assertThat(quality("j-ok", "refusal"))
        .singleElement()
        .satisfies(r -> assertThat(r.path("scores").path("refusal").asDouble()).isZero());

    // The judge's own requests are calls of llmlog-evaluator, priced like any other.
    JsonNode own =
        await(
            () ->
                admin
                    .get(
                        "/api/v1/search?q="
                            + encode("service:llmlog-evaluator")
                            + "&from=now-1h&size=100")
                    .json(),
            s -> s.path("total").asLong() >= 11,
            Duration.ofSeconds(15));
    assertThat(own.path("total").asLong()).isEqualTo(judge.requests().size());
    List<JsonNode> hits = new ArrayList<>();
    own.path("hits").forEach(hit -> hits.add(hit.path("document")));
    assertThat(hits)
        .allSatisfy(doc -> assertThat(doc.path("model").asText()).isEqualTo("gpt-4o-mini"));
    // Written as any application's call: the prompt as a user message, the judge's answer as the
    // assistant's.
    assertThat(hits)
        .allSatisfy(
            doc -> {
              assertThat(doc.path("operation").asText()).isEqualTo("chat");
              assertThat(doc.path("input_messages").path(0).path("role").asText())
                  .isEqualTo("user");
              assertThat(
                      doc.path("input_messages")
                          .path(0)
                          .path("parts")
                          .path(0)
                          .path("content")
                          .asText())
                  .isEqualTo(doc.path("prompt").asText())
                  .contains("[Response]");
            });
    assertThat(hits.stream().filter(doc -> doc.hasNonNull("response")))
        .isNotEmpty()
        .allSatisfy(
            doc -> {
              assertThat(doc.path("output_messages").path(0).path("role").asText())
                  .isEqualTo("assistant");
              assertThat(
                      doc.path("output_messages")
                          .path(0)
                          .path("parts")
                          .path(0)
                          .path("content")
                          .asText())
                  .isEqualTo(doc.path("response").asText());
            });
    assertThat(hits.stream().filter(doc -> doc.path("level").asText().equals("info")))
        .allSatisfy(
            doc ->
                assertThat(doc.path("cost_usd").asDouble())
                    .isCloseTo(
                        1200 * 0.15 / 1e6 + 40 * 0.60 / 1e6,
                        org.assertj.core.api.Assertions.within(1e-9)));
    assertThat(
            hits.stream()
                .filter(doc -> doc.path("error").path("type").asText().equals("rate_limited"))
                .count())
        .isEqualTo(1);
    assertThat(own.toString())
        .doesNotContain(JUDGE_KEY)
        .contains("Incorrect API key provided: [API_KEY]");
    assertThat(logs.messages()).isNotEmpty().noneMatch(line -> line.contains(JUDGE_KEY));
    assertThat(admin.get("/api/v1/quality/evaluators").body()).doesNotContain(JUDGE_KEY);
    JsonNode stats = admin.get("/api/v1/stats?by=service&from=now-1h").json();
    assertThat(stats.path("groups").findValues("key").stream().map(JsonNode::asText))
        .contains("llmlog-evaluator");
  }

  @Test
  @Order(2)
  void qualityRun_stoppedAndStartedAgain_continuesWithoutJudgingTwice() {
    Instant start = Instant.now().minus(Duration.ofHours(2));
    List<ObjectNode> calls = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      calls.add(
          call(
              String.format("run-%02d", i),
              "support",
              "gpt-4o",
              "score=0.8",
              "Here is how.",
              start.plusSeconds(i)));
    }
    judge.delayMillis = 120;
    ObjectNode body =
        Http.JSON
            .createObjectNode()
            .put("evaluator", "relevance")
            .put("from", Timestamps.format(start.minusSeconds(1)))
            .put("to", Timestamps.format(start.plusSeconds(60)));
    // Stored long ago for the live judge: sent before the judge was told to score them live, they
    // come through a run only.
    try {
      ingest("/api/v1/logs?refresh=wait_for", calls);
      await(
          () -> admin.get("/api/v1/quality/evaluators").json(),
          s ->
              s.path("judge").path("queued").asInt() == 0
                  && sum(s.path("judge").path("judgements")) >= 35,
          Duration.ofSeconds(60));
    } finally {
      judge.delayMillis = 0;
    }
    long judgedLive = judge.requests().stream().filter(r -> r.call().startsWith("run-")).count();
    assertThat(judgedLive).as("the live judge scored them all once").isEqualTo(30);

    // A run over the same window finds them scored and judges nothing again.
    JsonNode run = admin.postJson("/api/v1/quality/runs", body.toString()).json();
    JsonNode done =
        await(
            () -> admin.get("/api/v1/quality/runs/" + run.path("id").asText()).json(),
            s -> s.path("state").asText().equals("done"),
            Duration.ofSeconds(30));
    assertThat(done.path("scanned").asLong()).isEqualTo(30);
    assertThat(done.path("skipped").asLong()).isEqualTo(30);
    assertThat(judge.requests().stream().filter(r -> r.call().startsWith("run-")).count())
        .isEqualTo(30);
  }

  @Test
  @Order(3)
  void qualityRun_stopThenSameCommand_resumesFromTheCheckpoint() {
    Instant start = Instant.now().minus(Duration.ofHours(3));
    List<ObjectNode> calls = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      // service:archive is not judged live (the filter is service:support); the run's query picks
      // them up through the evaluator anyway? No:
      // a run scores what the evaluator selects, so these are support calls sent with an old time
      // and judged only by the run below.
      calls.add(
          call(
              String.format("old-%02d", i),
              "support",
              "gpt-4o",
              "score=0.3",
              "Old answer.",
              start.plusSeconds(i)));
    }
    judge.delayMillis = 2_000;
    ingest("/api/v1/logs?refresh=wait_for", calls);
    // The live judge is busy with these for a while; the run below must not judge a call the live
    // path scored meanwhile twice.
    judge.delayMillis = 60;
    ObjectNode body =
        Http.JSON
            .createObjectNode()
            .put("evaluator", "relevance")
            .put("from", Timestamps.format(start.minusSeconds(1)))
            .put("to", Timestamps.format(start.plusSeconds(60)))
            .put("q", "model:gpt-4o");
    JsonNode first = admin.postJson("/api/v1/quality/runs", body.toString()).json();
    String id = first.path("id").asText();
    await(
        () -> admin.get("/api/v1/quality/runs/" + id).json(),
        s -> s.path("scanned").asLong() >= 10,
        Duration.ofSeconds(30));
    admin.postJson("/api/v1/quality/runs/" + id + "/stop", "{}");
    JsonNode stopped =
        await(
            () -> admin.get("/api/v1/quality/runs/" + id).json(),
            s -> s.path("state").asText().equals("stopped"),
            Duration.ofSeconds(30));
    assertThat(stopped.path("scanned").asLong()).isBetween(10L, 29L);

    JsonNode again = admin.postJson("/api/v1/quality/runs", body.toString()).json();
    assertThat(again.path("id").asText()).isEqualTo(id);
    assertThat(again.path("scanned").asLong())
        .as("continues from the checkpoint")
        .isEqualTo(stopped.path("scanned").asLong());
    JsonNode done =
        await(
            () -> admin.get("/api/v1/quality/runs/" + id).json(),
            s -> s.path("state").asText().equals("done"),
            Duration.ofSeconds(60));
    assertThat(done.path("scanned").asLong()).isEqualTo(30);
    await(
        () -> admin.get("/api/v1/quality/evaluators").json(),
        s -> s.path("judge").path("queued").asInt() == 0,
        Duration.ofSeconds(90));
    judge.delayMillis = 0;
    for (ObjectNode call : calls) {
      String requestId = call.path("request_id").asText();
      assertThat(quality(requestId, "relevance")).as(requestId).hasSize(1);
    }
    // Scores are keyed by (call, evaluator): whoever judged a call twice (the live path and the run
    // racing), one record remains.
    JsonNode search =
        await(
            () ->
                admin
                    .get(
                        "/api/v1/search?q="
                            + encode("scores.relevance < 0.5 and model:gpt-4o")
                            + "&from=now-4h&size=100")
                    .json(),
            s -> s.path("total").asLong() >= 30,
            Duration.ofSeconds(10));
    assertThat(search.path("total").asLong()).isEqualTo(30);
  }

  @Test
  @Order(4)
  void kqlAndStats_overScores_joinTheQualityRecords() {
    JsonNode high =
        admin.get("/api/v1/search?q=" + encode("scores.relevance >= 0.9") + "&from=now-1h").json();
    assertThat(high.path("hits").findValues("request_id").stream().map(JsonNode::asText).distinct())
        .containsExactly("j-ok");
    JsonNode refused =
        admin
            .get("/api/v1/search?q=" + encode("label:refusal and service:support") + "&from=now-1h")
            .json();
    assertThat(
            refused.path("hits").findValues("request_id").stream().map(JsonNode::asText).distinct())
        .containsExactly("j-slow");
    JsonNode notScored =
        admin
            .get(
                "/api/v1/search?q="
                    + encode("service:support and not scores.relevance:*")
                    + "&from=now-1h")
            .json();
    assertThat(
            notScored.path("hits").findValues("request_id").stream()
                .map(JsonNode::asText)
                .distinct())
        .containsExactlyInAnyOrder("j-bad", "j-echo");

    JsonNode stats =
        admin
            .get(
                "/api/v1/stats?q="
                    + encode("service:support")
                    + "&from=now-1h&by=model&interval=5m&scores=relevance,refusal")
            .json();
    JsonNode totals = stats.path("totals").path("quality").path("scores");
    assertThat(totals.path("relevance").path("count").asLong()).isEqualTo(4);
    assertThat(totals.path("relevance").path("avg").asDouble())
        .isCloseTo((0.9 + 0.75 * 3) / 4, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(totals.path("refusal").path("avg").asDouble())
        .as("one refusal in six support calls")
        .isCloseTo(1 / 6.0, org.assertj.core.api.Assertions.within(1e-9));
    Map<String, Double> byModel = new LinkedHashMap<>();
    stats
        .path("groups")
        .forEach(
            g ->
                byModel.put(
                    g.path("key").asText(),
                    g.path("quality").path("scores").path("relevance").path("avg").asDouble()));
    assertThat(byModel).containsEntry("qwen-max", 0.75);
    assertThat(byModel.get("gpt-4o"))
        .isCloseTo((0.9 + 0.75 + 0.75) / 3, org.assertj.core.api.Assertions.within(1e-9));
    double inBuckets = 0;
    for (JsonNode bucket : stats.path("totals").path("buckets")) {
      inBuckets += bucket.path("quality").path("scores").path("relevance").path("count").asDouble();
    }
    assertThat(inBuckets).isEqualTo(4);

    // A user's rating sent without the call's fields gets them from the stored call.
    ingest(
        "/api/v1/quality?refresh=wait_for",
        List.of(
            (ObjectNode) Http.JSON.createObjectNode().put("request_id", "j-ok").put("rating", -1)));
    assertThat(admin.get("/api/v1/logs/j-ok").json().path("quality").findParents("rating"))
        .singleElement()
        .satisfies(rating -> assertThat(rating.path("model").asText()).isEqualTo("gpt-4o"))
        .satisfies(rating -> assertThat(rating.path("service").asText()).isEqualTo("support"));
    JsonNode feedback =
        admin
            .get(
                "/api/v1/stats?q="
                    + encode("service:support")
                    + "&from=now-1h&by=model&scores=relevance")
            .json();
    assertThat(
            feedback
                .path("totals")
                .path("quality")
                .path("feedback")
                .path("negative_share")
                .asDouble())
        .isEqualTo(1.0);

    Http.Answer tooBroad = admin.get("/api/v1/stats?from=now-1h&scores=" + encode("no such"));
    assertThat(tooBroad.status()).isEqualTo(400);
    assertThat(tooBroad.json().path("error").path("parameter").asText()).isEqualTo("scores");
  }

  @Test
  @Order(5)
  void scoreAlert_lowAverageWithEnoughRecords_firesThenResolves() {
    Instant now = Instant.now();
    List<ObjectNode> low = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      low.add(score("h-" + i, 0.2, now));
    }
    ingest("/api/v1/quality?refresh=wait_for", low.subList(0, 2));
    JsonNode quiet =
        await(
            this::lowHelpfulness,
            rule -> rule.path("value").isNull() && !rule.path("state").asText().isEmpty(),
            Duration.ofSeconds(20));
    assertThat(quiet.path("state").asText())
        .as("two records are under min_count")
        .isEqualTo("inactive");
    ingest("/api/v1/quality?refresh=wait_for", low.subList(2, 3));
    JsonNode firing =
        await(
            this::lowHelpfulness,
            rule -> rule.path("state").asText().equals("firing"),
            Duration.ofSeconds(20));
    assertThat(firing.path("value").asDouble())
        .isCloseTo(0.2, org.assertj.core.api.Assertions.within(1e-9));

    List<ObjectNode> good = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      good.add(score("g-" + i, 0.95, now));
    }
    ingest("/api/v1/quality?refresh=wait_for", good);
    JsonNode resolved =
        await(
            this::lowHelpfulness,
            rule -> rule.path("state").asText().equals("resolved"),
            Duration.ofSeconds(20));
    assertThat(resolved.path("value").asDouble())
        .isCloseTo((3 * 0.2 + 12 * 0.95) / 15, org.assertj.core.api.Assertions.within(1e-9));
    await(
        () -> admin.get("/api/v1/alerts/history?alert=LowHelpfulness").json(),
        history ->
            history.toString().contains("\"to\":\"firing\"")
                && history.toString().contains("\"to\":\"resolved\""),
        Duration.ofSeconds(15));
  }

  static ObjectNode score(String id, double value, Instant at) {
    ObjectNode record = Http.JSON.createObjectNode();
    record.put("request_id", id);
    record.put("timestamp", Timestamps.format(at));
    record.put("evaluator", "ext");
    record.putObject("scores").put("helpfulness", value);
    return record;
  }

  JsonNode lowHelpfulness() {
    for (JsonNode rule : admin.get("/api/v1/alerts").json().path("rules")) {
      if (rule.path("alert").asText().equals("LowHelpfulness")) {
        return rule;
      }
    }
    throw new AssertionError("no LowHelpfulness rule");
  }

  @Test
  @Order(6)
  void reviewQueue_twoReviewers_neverGetTheSameCall_andTheReviewIsStoredUnderTheKeysName() {
    Instant now = Instant.now();
    ingest(
        "/api/v1/logs?refresh=wait_for",
        List.of(
            call("r-1", "review-me", "gpt-4o", null, "Answer one.", now.minusSeconds(30)),
            call("r-2", "review-me", "gpt-4o", null, "Answer two.", now.minusSeconds(20)),
            call("r-3", "review-me", "gpt-4o", null, "Answer three.", now.minusSeconds(10))));
    String aliceSession = "session-alice-1";
    String bobSession = "session-bob-1";
    JsonNode a = next(alice, aliceSession);
    JsonNode b = next(bob, bobSession);
    String aliceCall = a.path("call").path("request_id").asText();
    String bobCall = b.path("call").path("request_id").asText();
    assertThat(aliceCall).isEqualTo("r-3");
    assertThat(bobCall).isEqualTo("r-2");
    assertThat(next(alice, aliceSession).path("call").path("request_id").asText())
        .as("the same page again keeps its call")
        .isEqualTo(aliceCall);
    await(
        () -> alice.get("/api/v1/review/queues").json().path("queues").path(0),
        q -> q.path("in_review").asInt() == 2,
        Duration.ofSeconds(10));

    Http.Answer stolen =
        bob.postJson(
            "/api/v1/review/queues/triage/reviews",
            "{\"session\":\""
                + bobSession
                + "\",\"request_id\":\""
                + aliceCall
                + "\",\"rating\":1}");
    assertThat(stolen.status()).isEqualTo(409);
    assertThat(stolen.json().path("error").path("reason").asText()).contains("alice");

    Http.Answer reviewed =
        alice.postJson(
            "/api/v1/review/queues/triage/reviews",
            "{\"session\":\""
                + aliceSession
                + "\",\"request_id\":\""
                + aliceCall
                + "\",\"rating\":4,\"labels\":[\"good\"],\"comment\":\"清楚\",\"reviewer\":\"mallory\"}");
    assertThat(reviewed.status()).as(reviewed.body()).isEqualTo(200);
    assertThat(reviewed.json().path("queue").path("reviewed").asInt()).isEqualTo(1);
    JsonNode record = quality(aliceCall, "triage").get(0);
    assertThat(record.path("reviewer_id").asText())
        .as("the key's name, whatever the page says")
        .isEqualTo("alice");
    assertThat(record.path("rating").asInt()).isEqualTo(4);
    assertThat(record.path("annotations").toString()).isEqualTo("[\"good\"]");
    assertThat(record.path("feedback").asText()).isEqualTo("清楚");
    assertThat(
            bob.postJson(
                    "/api/v1/review/queues/triage/reviews",
                    "{\"session\":\""
                        + bobSession
                        + "\",\"request_id\":\""
                        + aliceCall
                        + "\",\"rating\":1}")
                .status())
        .as("reviewed calls are not reviewed again")
        .isEqualTo(409);

    assertThat(next(alice, aliceSession).path("call").path("request_id").asText()).isEqualTo("r-1");
    JsonNode empty = next(bob, "session-bob-2");
    assertThat(empty.path("call").isNull()).as("r-2 and r-1 are held, r-3 is reviewed").isTrue();
    Http.Answer badLabel =
        bob.postJson(
            "/api/v1/review/queues/triage/reviews",
            "{\"session\":\""
                + bobSession
                + "\",\"request_id\":\""
                + bobCall
                + "\",\"labels\":[\"great\"]}");
    assertThat(badLabel.status()).isEqualTo(400);
    assertThat(badLabel.json().path("error").path("reason").asText())
        .contains("great")
        .contains("wrong, rude, good");
    assertThat(
            bob.postJson(
                    "/api/v1/review/queues/triage/release",
                    "{\"session\":\"" + bobSession + "\",\"request_id\":\"" + bobCall + "\"}")
                .json()
                .path("released")
                .asBoolean())
        .isTrue();
    assertThat(next(bob, "session-bob-2").path("call").path("request_id").asText())
        .isEqualTo(bobCall);
    assertThat(
            new Http(TestServers.api(server))
                .withAuthorization("ApiKey " + ADMIN)
                .get("/api/v1/review/queues")
                .json()
                .path("reviewer")
                .asText())
        .isEqualTo("ops");
  }

  @Test
  @Order(7)
  void cli_qualityRun_printsProgressAndSummary_andFindsEverythingScored() {
    java.io.StringWriter out = new java.io.StringWriter();
    picocli.CommandLine cli = io.llmlog.server.cli.LlmlogCommand.commandLine();
    cli.setOut(new java.io.PrintWriter(out));
    cli.setErr(new java.io.PrintWriter(out));
    int exit =
        cli.execute(
            "quality",
            "run",
            "--evaluator",
            "refusal",
            "--from",
            "now-10m",
            "--q",
            "service:review-me",
            "--server",
            TestServers.api(server).toString(),
            "--api-key",
            ADMIN,
            "--poll",
            "100ms");

    assertThat(exit).as(out.toString()).isZero();
    assertThat(out.toString())
        .contains("refusal over")
        .contains("[##############################] 100% 3/3 calls")
        .contains("done in")
        .contains("3 calls looked at, 0 scored, 3 skipped");
  }

  JsonNode next(Http reviewer, String session) {
    Http.Answer answer =
        reviewer.postJson("/api/v1/review/queues/triage/next", "{\"session\":\"" + session + "\"}");
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    return answer.json();
  }

  static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}

package io.llmlog.server.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.core.Timestamps;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code /api/v1/stats} answered from the durable rollups against the same question answered from
 * the calls in the index ({@code compute=index}), on the same data: counts, errors and stored calls
 * exactly, sums and averages to the rounding of double sums, percentiles within 1% (the rollups'
 * buckets are within 0.4% of the exact value at a rank, the index's HDR histograms within 0.1%).
 * Sampled calls are checked against the exact weighted numbers of the generated calls, as {@link
 * StatsApiIT} checks the index. The tests run in order on one engine prefix: the rollups survive a
 * restart, are shared by a second server, and are rebuilt from the calls when they are missing or
 * no longer hold a unit's calls.
 */
@ExtendWith(SharedEngineExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatsRollupsIT {
  private static final Pattern REBUILT =
      Pattern.compile("(?m)^llmlog_stats_rollups_rebuilt_total(?:\\{[^}]*})? ([0-9.eE+-]+)$");

  private static final ObjectMapper JSON = new ObjectMapper();

  private TestEngine engine;
  private LlmlogServer server;
  private LlmlogServer second;
  private List<Call> plain;
  private List<Call> sampled;
  private Instant plainEnd;
  private Instant sampledEnd;
  private String plainWindow;
  private String sampledWindow;

  @BeforeAll
  void start(TestEngine engine) {
    this.engine = engine;
    server = TestServers.onSharedEngine(engine, Map.of());
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    // Unsampled calls over a day two days ago; sampled calls over the 20 hours before an hour ago.
    plainEnd = now.minus(Duration.ofDays(2));
    plain = GeneratedCalls.generate(31, 2_000, "plain", plainEnd, Duration.ofDays(1));
    sampledEnd = now.minus(Duration.ofHours(1));
    sampled =
        GeneratedCalls.sample(
            GeneratedCalls.generate(37, 6_000, "sampled", sampledEnd, Duration.ofHours(20)),
            41,
            0.25,
            5000);
    List<Call> all = new ArrayList<>(plain);
    all.addAll(sampled);
    GeneratedCalls.bulk(new Http(TestServers.es(server)), all, 5_000);
    engine.refresh(engine.indexPrefix() + "llm-logs-*");
    plainWindow = window(plainEnd.minus(Duration.ofDays(1)).minusSeconds(7), plainEnd);
    sampledWindow = window(sampledEnd.minus(Duration.ofHours(20)), sampledEnd.plusSeconds(1));
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
    if (second != null) {
      second.close();
    }
  }

  @Test
  @Order(1)
  void stats_noFilter_answeredFromRollupsEqualToTheIndex() {
    for (String by : List.of("model", "level", "provider")) {
      String question = plainWindow + "&by=" + by + "&interval=auto";

      same(by, stats(server, question), index(server, question));
    }
    String noBuckets = plainWindow + "&by=model&size=3";
    same("top 3 models", stats(server, noBuckets), index(server, noBuckets));
  }

  @Test
  @Order(2)
  void stats_sampledCalls_countEachCallByItsWeightAndPercentilesWithinTheSketchError() {
    String question = sampledWindow + "&by=model&interval=1h";
    JsonNode rollups = stats(server, question);
    JsonNode index = index(server, question);

    assertThat(rollups.path("computed").asText()).isEqualTo("rollups");
    assertThat(rollups.path("percentiles").path("weighted").asBoolean()).isTrue();
    counts("totals", rollups.path("totals"), index.path("totals"));
    checkWeighted("totals", rollups.path("totals"), sampled);
    assertThat(rollups.path("groups")).hasSize(GeneratedCalls.MODELS.size());
    for (int i = 0; i < rollups.path("groups").size(); i++) {
      JsonNode group = rollups.path("groups").get(i);
      String model = group.path("key").asText();
      assertThat(model).isEqualTo(index.path("groups").get(i).path("key").asText());
      counts(model, group, index.path("groups").get(i));
      checkWeighted(model, group, GeneratedCalls.where(sampled, c -> c.model().equals(model)));
      for (int b = 0; b < group.path("buckets").size(); b++) {
        counts(
            model + " bucket " + b,
            group.path("buckets").get(b),
            index.path("groups").get(i).path("buckets").get(b));
      }
    }
  }

  @Test
  @Order(3)
  void stats_filterOrFieldOrIntervalTheRollupsDoNotKeep_answeredFromTheIndex() {
    String filtered =
        plainWindow + "&q=" + URLEncoder.encode("service:plain", StandardCharsets.UTF_8);
    assertThat(stats(server, filtered).path("computed").asText()).isEqualTo("index");
    assertThat(stats(server, plainWindow + "&by=user_id").path("computed").asText())
        .isEqualTo("index");
    assertThat(
            stats(server, plainWindow + "&by=model&size=1&interval=90s").path("computed").asText())
        .isEqualTo("index");
    Http.Answer bad = new Http(TestServers.api(server)).get("/api/v1/stats?compute=exact");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().path("error").path("parameter").asText()).isEqualTo("compute");
  }

  @Test
  @Order(4)
  void stats_afterARestart_answeredFromTheStoredRollupsUnchanged() {
    String question = plainWindow + "&by=model&interval=auto";
    JsonNode before = stats(server, question);
    server.close();
    server = TestServers.onSharedEngine(engine, Map.of());

    JsonNode after = stats(server, question);

    same("after restart", after, index(server, question));
    // The same rollups, maybe merged into coarser units since: sums added in another order.
    same("after restart against before", after, before);
    // Not "nothing rebuilt": the new server's background round may seal units that became due
    // while it started (a minute boundary passing), which is right; the answer itself must
    // come from the rollups the first server stored.
    assertThat(after.path("computed").asText()).isEqualTo("rollups");
  }

  @Test
  @Order(5)
  void stats_secondServerOnTheSameEngine_sameAnswersWithoutWritingItsOwn() throws Exception {
    second = TestServers.onSharedEngine(engine, Map.of());
    engine.refresh(engine.indexPrefix() + "llm-rollups-*");
    long minutes = minuteDocuments();

    for (String question :
        List.of(
            plainWindow + "&by=model&interval=auto", sampledWindow + "&by=service&interval=3h")) {
      JsonNode fromSecond = stats(second, question);
      same("second server", fromSecond, stats(server, question));
      counts("second server", fromSecond.path("totals"), index(second, question).path("totals"));
    }
    // Either server may merge minutes into coarser units (the same documents, by id); neither
    // rolls up a minute again that the other stored.
    engine.refresh(engine.indexPrefix() + "llm-rollups-*");
    assertThat(minuteDocuments()).isEqualTo(minutes);
    assertThat(rebuilt(second)).isZero();
  }

  @Test
  @Order(6)
  void stats_minutesMergedIntoCoarserUnits_sameAnswers() throws Exception {
    // The sampled day is within every server's sealing rounds; the plain day was handed to the
    // first server's rounds by its answers. Both are merged into coarser units within a round.
    long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
    while ((coarserDocuments(plainEnd.minus(Duration.ofDays(1)), plainEnd) == 0
            || coarserDocuments(sampledEnd.minus(Duration.ofHours(20)), sampledEnd) == 0)
        && System.nanoTime() < deadline) {
      stats(server, plainWindow + "&by=model");
      Thread.sleep(1_000);
    }
    assertThat(coarserDocuments(plainEnd.minus(Duration.ofDays(1)), plainEnd)).isPositive();
    assertThat(coarserDocuments(sampledEnd.minus(Duration.ofHours(20)), sampledEnd)).isPositive();

    for (String question :
        List.of(plainWindow + "&by=model&interval=auto", plainWindow + "&by=stop_reason")) {
      same(question, stats(second, question), index(second, question));
    }
    // Weighted calls: against their exact numbers (the index's weighted percentiles have a rank
    // error of their own).
    JsonNode rollups = stats(second, sampledWindow + "&by=model&interval=auto");
    assertThat(rollups.path("computed").asText()).isEqualTo("rollups");
    checkWeighted("sampled totals", rollups.path("totals"), sampled);
  }

  @Test
  @Order(7)
  void stats_rollupsMissingOrOutdated_rebuiltFromTheCalls() throws Exception {
    String question = plainWindow + "&by=model&interval=auto";
    // A restored day, a new deployment: the calls are there, their rollups are not.
    engine.deleteIndices(engine.indexPrefix() + "llm-rollups-stats-*");

    same("rollups missing", stats(second, question), index(second, question));
    assertThat(rebuilt(second)).isGreaterThan(0);
    engine.refresh(engine.indexPrefix() + "llm-rollups-*");
    assertThat(engine.count(engine.indexPrefix() + "llm-rollups-stats-*")).isPositive();

    // A minute whose total cannot be read (damaged, or of another version): rolled up again.
    JsonNode hit =
        JSON.readTree(
                engine.post(
                    "/" + engine.indexPrefix() + "llm-rollups-stats-*/_search",
                    "{\"size\":1,\"query\":{\"bool\":{\"filter\":[{\"term\":{\"width\":60000}},"
                        + "{\"term\":{\"series\":\"*\"}}]}}}"))
            .path("hits")
            .path("hits")
            .get(0);
    ObjectNode damaged = ((ObjectNode) hit.path("_source")).deepCopy();
    damaged
        .putObject("aggregate")
        .putObject("all")
        .put("stored", 1)
        .putObject("bins")
        .putObject("latency_ms")
        .put("b", "not base64!");
    engine.put(
        "/"
            + hit.path("_index").asText()
            + "/_doc/"
            + URLEncoder.encode(hit.path("_id").asText(), StandardCharsets.UTF_8)
            + "?refresh=true",
        damaged.toString());
    // ... and its fields' documents gone: nothing of the minute is readable.
    JsonNode fields =
        JSON.readTree(
                engine.post(
                    "/" + hit.path("_index").asText() + "/_search",
                    "{\"size\":100,\"query\":{\"bool\":{\"filter\":[{\"term\":{\"width\":60000}},"
                        + "{\"term\":{\"minute\":"
                        + hit.path("_source").path("minute").asLong()
                        + "}}],\"must_not\":[{\"term\":{\"series\":\"*\"}}]}}}"))
            .path("hits")
            .path("hits");
    assertThat(fields.size()).isPositive();
    for (JsonNode field : fields) {
      engine.send(
          "DELETE",
          "/"
              + field.path("_index").asText()
              + "/_doc/"
              + URLEncoder.encode(field.path("_id").asText(), StandardCharsets.UTF_8)
              + "?refresh=true",
          null);
    }
    double before = rebuilt(second);

    same("a damaged rollup", stats(second, question), index(second, question));
    assertThat(rebuilt(second)).isGreaterThan(before);

    // Calls that arrive late, into units rolled up already.
    List<Call> more =
        GeneratedCalls.generate(
            43, 50, "late", plainEnd.minus(Duration.ofHours(12)), Duration.ofMinutes(10));
    GeneratedCalls.bulk(new Http(TestServers.es(server)), more, 50);
    engine.refresh(engine.indexPrefix() + "llm-logs-*");

    JsonNode rollups = stats(server, question);
    same("late calls", rollups, index(server, question));
    assertThat(rollups.path("totals").path("stored").asLong())
        .isEqualTo(plain.size() + more.size());
  }

  @Test
  @Order(8)
  void stats_callsOfADayGone_theirRollupsDeletedWithinTheFirstSealingRound()
      throws InterruptedException {
    String day = Timestamps.day(plainEnd.minusSeconds(60));
    String kept = Timestamps.day(plainEnd.minus(Duration.ofDays(1)).plusSeconds(60));
    String rollups = engine.indexPrefix() + "llm-rollups-stats-" + day;
    assertThat(exists(rollups)).isTrue();
    // What the lifecycle does to a day archived or past its retention.
    engine.deleteIndices(engine.indexPrefix() + "llm-logs-" + day);
    second.close();
    second =
        TestServers.onSharedEngine(engine, Map.of("alerts", Map.of("evaluation_interval", "1s")));

    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (exists(rollups) && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }

    assertThat(exists(rollups)).as(rollups).isFalse();
    if (!kept.equals(day)) {
      assertThat(exists(engine.indexPrefix() + "llm-rollups-stats-" + kept))
          .as("the rollups of a day whose calls are kept")
          .isTrue();
    }
  }

  @Test
  @Order(9)
  void stats_tenDaysOfMinutes_mergedADayAtATime() throws Exception {
    // Calls in nearly every five-minute span of ten days (ending before the plain day), their
    // minutes rolled up by one question per half day. Merging the ten days at once would descend to
    // some 14,000 minutes: about 100,000 rollup documents asked by key, more than the engine takes
    // in one query (65,536 terms), and gigabytes of sketches. The sealing rounds merge a day at a
    // time; until then the question is answered from the index.
    Instant end = plainEnd.minus(Duration.ofDays(2));
    Instant from = end.minus(Duration.ofDays(10));
    List<Call> days = GeneratedCalls.generate(47, 10_000, "ten-days", end, Duration.ofDays(10));
    GeneratedCalls.bulk(new Http(TestServers.es(server)), days, 5_000);
    engine.refresh(engine.indexPrefix() + "llm-logs-*");
    for (Instant half = from; half.isBefore(end); half = half.plus(Duration.ofHours(12))) {
      stats(server, window(half, half.plus(Duration.ofHours(12)).minusMillis(1)) + "&by=model");
    }
    String question = window(from, end) + "&by=model&interval=auto";

    long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
    while (dayUnits(from, end) < 9 && System.nanoTime() < deadline) {
      stats(server, question);
      Thread.sleep(1_000);
    }

    assertThat(dayUnits(from, end)).as("calendar days merged").isGreaterThanOrEqualTo(9);
    JsonNode rollups = stats(server, question);
    assertThat(rollups.path("computed").asText()).isEqualTo("rollups");
    same("ten days", rollups, index(server, question));
    assertThat(rollups.path("totals").path("calls").asLong()).isEqualTo(days.size());
  }

  // --- asking ---

  /** Rollup documents of units wider than a minute starting in {@code [from, to)}. */
  private long coarserDocuments(Instant from, Instant to) throws java.io.IOException {
    return rollupDocuments("{\"range\":{\"width\":{\"gt\":60000}}}", from, to);
  }

  /** Days (of calendar days starting in {@code [from, to)}) whose whole-day unit is stored. */
  private long dayUnits(Instant from, Instant to) throws java.io.IOException {
    return rollupDocuments(
        "{\"term\":{\"width\":86400000}},{\"term\":{\"series\":\"*\"}}", from, to);
  }

  /** Rollup documents matching {@code filters} of units starting in {@code [from, to)}. */
  private long rollupDocuments(String filters, Instant from, Instant to)
      throws java.io.IOException {
    engine.refresh(engine.indexPrefix() + "llm-rollups-*");
    String query =
        "{\"query\":{\"bool\":{\"filter\":["
            + filters
            + ",{\"range\":{\"minute\":{\"gte\":"
            + from.toEpochMilli()
            + ",\"lt\":"
            + to.toEpochMilli()
            + "}}}]}}}";
    String body = engine.post("/" + engine.indexPrefix() + "llm-rollups-stats-*/_count", query);
    return JSON.readTree(body).path("count").asLong();
  }

  private long minuteDocuments() throws java.io.IOException {
    String body =
        engine.post(
            "/" + engine.indexPrefix() + "llm-rollups-stats-*/_count",
            "{\"query\":{\"term\":{\"width\":60000}}}");
    return JSON.readTree(body).path("count").asLong();
  }

  private boolean exists(String index) {
    return engine.send("HEAD", "/" + index, null).statusCode() == 200;
  }

  private static String window(Instant from, Instant to) {
    return "from=" + from + "&to=" + to;
  }

  private static JsonNode stats(LlmlogServer server, String query) {
    Http.Answer answer = new Http(TestServers.api(server)).get("/api/v1/stats?" + query);
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    return answer.json();
  }

  private static JsonNode index(LlmlogServer server, String query) {
    JsonNode answer = stats(server, query + "&compute=index");
    assertThat(answer.path("computed").asText()).isEqualTo("index");
    return answer;
  }

  private static double rebuilt(LlmlogServer server) {
    String metrics = new Http(TestServers.api(server)).get("/metrics").body();
    Matcher m = REBUILT.matcher(metrics);
    assertThat(m.find()).as("rebuilt counter in %s", metrics.length()).isTrue();
    return Double.parseDouble(m.group(1));
  }

  // --- comparing ---

  /** Against the generated calls' exact weighted numbers, percentiles within the buckets' error. */
  private static void checkWeighted(String what, JsonNode metrics, List<Call> calls) {
    double error = RollupStats.MAX_RELATIVE_ERROR_PCT / 100;
    StatsApiIT.check(what, metrics, calls, 0, error, error);
  }

  /** The same answer, whole: every group and bucket, percentiles within 1%. */
  private static void same(String what, JsonNode rollups, JsonNode index) {
    assertThat(rollups.path("computed").asText()).as(what).isEqualTo("rollups");
    assertThat(rollups.path("interval")).as(what).isEqualTo(index.path("interval"));
    assertThat(rollups.path("percentiles").path("method").asText()).as(what).isEqualTo("buckets");
    assertThat(rollups.path("percentiles").path("max_relative_error_pct").asDouble())
        .as(what)
        .isEqualTo(RollupStats.MAX_RELATIVE_ERROR_PCT);
    assertThat(rollups.path("percentiles").path("weighted"))
        .as(what)
        .isEqualTo(index.path("percentiles").path("weighted"));
    assertThat(rollups.path("other_calls").asDouble())
        .as(what + " other calls")
        .isEqualTo(index.path("other_calls").asDouble());
    block(what + " totals", rollups.path("totals"), index.path("totals"));
    assertThat(rollups.path("groups").size())
        .as(what + " groups")
        .isEqualTo(index.path("groups").size());
    for (int i = 0; i < index.path("groups").size(); i++) {
      JsonNode group = index.path("groups").get(i);
      assertThat(rollups.path("groups").get(i).path("key").asText())
          .as(what + " group " + i)
          .isEqualTo(group.path("key").asText());
      block(what + " " + group.path("key").asText(), rollups.path("groups").get(i), group);
    }
  }

  private static void block(String what, JsonNode rollups, JsonNode index) {
    metrics(what, rollups, index);
    assertThat(rollups.path("buckets").size())
        .as(what + " buckets")
        .isEqualTo(index.path("buckets").size());
    for (int b = 0; b < index.path("buckets").size(); b++) {
      JsonNode bucket = index.path("buckets").get(b);
      assertThat(rollups.path("buckets").get(b).path("start")).isEqualTo(bucket.path("start"));
      metrics(what + " " + bucket.path("start").asText(), rollups.path("buckets").get(b), bucket);
    }
  }

  private static void metrics(String what, JsonNode rollups, JsonNode index) {
    counts(what, rollups, index);
    for (String field :
        List.of("error_rate", "input_tokens", "output_tokens", "cost_usd", "tokens_per_second")) {
      close(what + " " + field, rollups.path(field), index.path(field), 1e-7);
    }
    close(
        what + " latency avg",
        rollups.path("latency_ms").path("avg"),
        index.path("latency_ms").path("avg"),
        1e-7);
    for (String p : List.of("p50", "p95", "p99")) {
      close(
          what + " latency " + p,
          rollups.path("latency_ms").path(p),
          index.path("latency_ms").path(p),
          1);
    }
    for (String p : List.of("p50", "p95")) {
      close(what + " ttft " + p, rollups.path("ttft_ms").path(p), index.path("ttft_ms").path(p), 1);
    }
  }

  /** Counts are exact. */
  private static void counts(String what, JsonNode rollups, JsonNode index) {
    assertThat(rollups.path("calls").asDouble())
        .as(what + " calls")
        .isEqualTo(index.path("calls").asDouble());
    assertThat(rollups.path("stored").asLong())
        .as(what + " stored")
        .isEqualTo(index.path("stored").asLong());
    assertThat(rollups.path("errors").asDouble())
        .as(what + " errors")
        .isEqualTo(index.path("errors").asDouble());
  }

  /** Both absent (nothing to compute from), or within {@code percent}. */
  private static void close(String what, JsonNode rollups, JsonNode index, double percent) {
    if (!index.isNumber()) {
      assertThat(rollups.isNumber()).as(what + ": " + rollups).isFalse();
      return;
    }
    assertThat(rollups.asDouble()).as(what).isCloseTo(index.asDouble(), withPercentage(percent));
  }
}

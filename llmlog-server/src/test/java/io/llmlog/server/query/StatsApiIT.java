package io.llmlog.server.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;
import static org.assertj.core.data.Percentage.withPercentage;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code /api/v1/stats} against numbers computed exactly from the generated calls.
 *
 * <p><b>Percentile tolerance.</b> The engine's HDR histograms keep 3 significant digits: a reported
 * value is at most 1/1024 above a value of the data at the requested rank (HdrHistogram reports the
 * top of the value's bucket). So the check is on ranks, not on a fudge factor: the exact (weighted)
 * share of calls at or below the reported value must reach p − δ, and the share strictly below the
 * reported value shrunk by 10⁻³ must not exceed p + δ. For one weight class δ is one call (HDR's
 * nearest rank, 100/n percentage points); for sampled calls δ is the 1 percentage point of {@link
 * WeightedQuantiles} plus one call of the smallest class.
 *
 * <p>Counts, error rates and token sums are exact (sums of whole numbers and of the float weights
 * as stored); cost and averages are compared to 10⁻⁹ relative, the rounding of double sums.
 */
@ExtendWith(SharedEngineExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatsApiIT {
  /** HDR's relative value error with 3 significant digits: buckets are at most 1/1024 wide. */
  private static final double HDR_VALUE_ERROR = 1e-3;

  private LlmlogServer server;
  private Http api;
  private List<Call> full;
  private List<Call> sampledPopulation;
  private List<Call> sampled;

  @BeforeAll
  void start(TestEngine engine) {
    server = TestServers.onSharedEngine(engine, Map.of());
    api = new Http(TestServers.api(server));
    Http es = new Http(TestServers.es(server));
    Instant end = Instant.now().minus(Duration.ofMinutes(10));
    full = GeneratedCalls.generate(7, 20_000, "full", end, Duration.ofDays(2));
    sampledPopulation = GeneratedCalls.generate(11, 40_000, "sampled", end, Duration.ofDays(2));
    sampled = GeneratedCalls.sample(sampledPopulation, 13, 0.25, 5000);
    List<Call> all = new ArrayList<>(full);
    all.addAll(sampled);
    GeneratedCalls.bulk(es, all, 10_000);
    engine.refresh(engine.indexPrefix() + "llm-logs-*");
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private JsonNode stats(String query) {
    Http.Answer answer = api.get("/api/v1/stats?" + query);
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    return answer.json();
  }

  private static String q(String kql) {
    return "q=" + URLEncoder.encode(kql, StandardCharsets.UTF_8);
  }

  @Test
  void stats_unweightedCalls_matchExactCountsErrorRatesSumsAndPercentiles() {
    JsonNode stats = stats(q("service:full") + "&from=now-3d&by=model");

    assertThat(stats.path("percentiles").path("weighted").asBoolean()).isFalse();
    assertThat(stats.path("groups")).hasSize(GeneratedCalls.MODELS.size());
    assertThat(stats.path("other_calls").asDouble()).isZero();
    check("totals", stats.path("totals"), full, 0);
    for (JsonNode group : stats.path("groups")) {
      String model = group.path("key").asText();
      check(model, group, GeneratedCalls.where(full, c -> c.model().equals(model)), 0);
    }
  }

  @Test
  void stats_sampledCalls_countEachStoredCallByItsWeight() {
    JsonNode stats = stats(q("service:sampled") + "&from=now-3d&by=model");

    assertThat(stats.path("percentiles").path("weighted").asBoolean()).isTrue();
    check("sampled totals", stats.path("totals"), sampled, WeightedQuantiles.MAX_RANK_ERROR);
    for (JsonNode group : stats.path("groups")) {
      String model = group.path("key").asText();
      check(
          "sampled " + model,
          group,
          GeneratedCalls.where(sampled, c -> c.model().equals(model)),
          WeightedQuantiles.MAX_RANK_ERROR);
    }
    // Fixed seeds, so this is deterministic: the weighted count estimates the calls before
    // sampling.
    assertThat(stats.path("totals").path("calls").asDouble())
        .isCloseTo(sampledPopulation.size(), withPercentage(3));
    assertThat(stats.path("totals").path("stored").asLong())
        .isLessThan(sampledPopulation.size() / 2);
  }

  @Test
  void stats_sampledCalls_weightedP95IsNotTheStoredCallsP95() {
    JsonNode totals = stats(q("service:sampled") + "&from=now-3d").path("totals");

    // Sampling keeps every slow call, so the stored calls' own p95 is far too high.
    double[] stored = sampled.stream().mapToDouble(Call::latencyMs).sorted().toArray();
    double storedP95 = stored[(int) Math.ceil(0.95 * stored.length) - 1];
    double populationP95 =
        sampledPopulation.stream()
            .mapToDouble(Call::latencyMs)
            .sorted()
            .toArray()[(int) Math.ceil(0.95 * sampledPopulation.size()) - 1];
    double reported = totals.path("latency_ms").path("p95").asDouble();
    System.out.printf(
        "AC3 sampled p95 latency: reported %.1f, exact weighted see check(), population before sampling %.1f, stored calls unweighted %.1f%n",
        reported, populationP95, storedP95);
    assertThat(reported).isLessThan(storedP95 * 0.8);
    assertThat(reported).isCloseTo(populationP95, withPercentage(5));
  }

  @Test
  void stats_autoInterval_bucketsAddUpToTheTotals() {
    JsonNode stats = stats(q("service:full") + "&from=now-3d&interval=auto&size=2");

    assertThat(stats.path("interval").asText()).isEqualTo("2h");
    JsonNode buckets = stats.path("totals").path("buckets");
    assertThat(buckets.size()).isBetween(36, 38);
    assertThat(sum(buckets, "calls")).isEqualTo(full.size());
    assertThat(sum(buckets, "errors")).isEqualTo(full.stream().filter(Call::error).count());
    for (JsonNode group : stats.path("groups")) {
      assertThat(sum(group.path("buckets"), "calls")).isEqualTo(group.path("calls").asDouble());
      assertThat(group.path("buckets").size()).isEqualTo(buckets.size());
    }
    List<Instant> starts = new ArrayList<>();
    buckets.forEach(b -> starts.add(Instant.parse(b.path("start").asText())));
    assertThat(starts).isSorted();
    assertThat(Duration.between(starts.get(0), starts.get(1))).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void stats_byAnotherKeyword_groupsByIt() {
    JsonNode stats = stats(q("service:full") + "&from=now-3d&by=level");

    List<String> keys = new ArrayList<>();
    stats.path("groups").forEach(g -> keys.add(g.path("key").asText()));
    assertThat(keys).containsExactly("info", "warning", "error");
    JsonNode error = stats.path("groups").get(2);
    assertThat(error.path("error_rate").asDouble()).isEqualTo(1.0);
    assertThat(stats.path("groups").get(0).path("error_rate").asDouble()).isZero();
  }

  @Test
  void stats_postBody_takesTheSameParameters() {
    Http.Answer answer =
        api.postJson(
            "/api/v1/stats",
            "{\"q\": \"service:full and model:gpt-4\", \"from\": \"now-3d\", \"by\": \"stop_reason\"}");

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.json().path("totals").path("calls").asLong())
        .isEqualTo(full.stream().filter(c -> c.model().equals("gpt-4")).count());
    assertThat(answer.json().path("by").asText()).isEqualTo("stop_reason");
  }

  @Test
  void stats_nothingSelected_isZeroCallsAndNoRates() {
    JsonNode stats = stats(q("service:nothing-here") + "&from=now-3d");

    assertThat(stats.path("groups")).isEmpty();
    JsonNode totals = stats.path("totals");
    assertThat(totals.path("calls").asLong()).isZero();
    assertThat(totals.path("error_rate").isNull()).isTrue();
    assertThat(totals.path("latency_ms").path("p95").isNull()).isTrue();
    assertThat(totals.path("tokens_per_second").isNull()).isTrue();
  }

  @Test
  void stats_toWithoutFrom_coversTheDayBeforeIt() {
    JsonNode stats = stats(q("service:full") + "&to=now-1d");

    Instant to = Instant.parse(stats.path("to").asText());
    assertThat(Duration.between(Instant.parse(stats.path("from").asText()), to))
        .isEqualTo(Duration.ofHours(24));
    assertThat(stats.path("totals").path("calls").asLong())
        .isEqualTo(
            full.stream()
                .filter(
                    c ->
                        !c.timestamp().isAfter(to)
                            && !c.timestamp().isBefore(to.minus(Duration.ofHours(24))))
                .count());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "by=prompt                    | by",
        "by=latency_ms                | by",
        "interval=5x                  | interval",
        "from=now-3d&interval=1s      | interval",
        "from=the%20beginning         | from",
        "size=0                       | size",
      })
  void stats_badParameter_is400NamingIt(String query, String parameter) {
    Http.Answer answer = api.get("/api/v1/stats?" + query);

    assertThat(answer.status()).as(answer.body()).isEqualTo(400);
    assertThat(answer.json().path("error").path("parameter").asText()).isEqualTo(parameter);
  }

  // --- the exact computation ---

  static void check(String what, JsonNode metrics, List<Call> calls, double weightedRankError) {
    check(what, metrics, calls, weightedRankError, 0, HDR_VALUE_ERROR);
  }

  /**
   * @param lowError how far below the exact value at its rank a reported percentile may be,
   *     relative
   * @param highError how far above, relative
   */
  static void check(
      String what,
      JsonNode metrics,
      List<Call> calls,
      double weightedRankError,
      double lowError,
      double highError) {
    double weighted = calls.stream().mapToDouble(Call::weight).sum();
    double errors = calls.stream().filter(Call::error).mapToDouble(Call::weight).sum();
    assertThat(metrics.path("calls").asDouble()).as(what + " calls").isEqualTo(weighted);
    assertThat(metrics.path("stored").asLong()).as(what + " stored").isEqualTo(calls.size());
    assertThat(metrics.path("errors").asDouble()).as(what + " errors").isEqualTo(errors);
    assertThat(metrics.path("error_rate").asDouble())
        .as(what + " error rate")
        .isCloseTo(errors / weighted, offset(1e-15));
    assertThat(metrics.path("input_tokens").asDouble())
        .as(what + " input tokens")
        .isEqualTo(calls.stream().mapToDouble(c -> c.weight() * c.inputTokens()).sum());
    assertThat(metrics.path("output_tokens").asDouble())
        .as(what + " output tokens")
        .isEqualTo(calls.stream().mapToDouble(c -> c.weight() * c.outputTokens()).sum());
    assertThat(metrics.path("cost_usd").asDouble())
        .as(what + " cost")
        .isCloseTo(
            calls.stream().mapToDouble(c -> c.weight() * c.costUsd()).sum(), withPercentage(1e-7));
    assertThat(metrics.path("latency_ms").path("avg").asDouble())
        .as(what + " latency avg")
        .isCloseTo(
            calls.stream().mapToDouble(c -> c.weight() * c.latencyMs()).sum() / weighted,
            withPercentage(1e-7));
    assertThat(metrics.path("tokens_per_second").asDouble())
        .as(what + " tokens/s")
        .isCloseTo(
            calls.stream().mapToDouble(c -> c.weight() * c.tokensPerSecond()).sum() / weighted,
            withPercentage(1e-7));

    JsonNode latency = metrics.path("latency_ms");
    JsonNode ttft = metrics.path("ttft_ms");
    percentile(
        what + " latency p50",
        calls,
        Call::latencyMs,
        latency.path("p50").asDouble(),
        50,
        weightedRankError,
        lowError,
        highError);
    percentile(
        what + " latency p95",
        calls,
        Call::latencyMs,
        latency.path("p95").asDouble(),
        95,
        weightedRankError,
        lowError,
        highError);
    percentile(
        what + " latency p99",
        calls,
        Call::latencyMs,
        latency.path("p99").asDouble(),
        99,
        weightedRankError,
        lowError,
        highError);
    percentile(
        what + " ttft p50",
        calls,
        Call::ttftMs,
        ttft.path("p50").asDouble(),
        50,
        weightedRankError,
        lowError,
        highError);
    percentile(
        what + " ttft p95",
        calls,
        Call::ttftMs,
        ttft.path("p95").asDouble(),
        95,
        weightedRankError,
        lowError,
        highError);
  }

  /**
   * See the class comment: the reported value's exact weighted rank is within δ of the requested
   * one.
   */
  private static void percentile(
      String what,
      List<Call> calls,
      ToDoubleFunction<Call> value,
      double reported,
      double percent,
      double weightedRankError,
      double lowError,
      double highError) {
    double total = calls.stream().mapToDouble(Call::weight).sum();
    double smallestClass = calls.stream().filter(c -> c.weight() == 1).count();
    if (weightedRankError > 0) {
      smallestClass = Math.min(smallestClass, calls.stream().filter(c -> c.weight() != 1).count());
    }
    double delta = weightedRankError + 100.0 / smallestClass;
    double atOrBelow =
        100
            * calls.stream()
                .filter(c -> value.applyAsDouble(c) <= reported * (1 + lowError))
                .mapToDouble(Call::weight)
                .sum()
            / total;
    double shrunk = reported / (1 + highError);
    double below =
        100
            * calls.stream()
                .filter(c -> value.applyAsDouble(c) < shrunk)
                .mapToDouble(Call::weight)
                .sum()
            / total;
    System.out.printf(
        "AC3 %-32s reported %10.1f  exact %10.1f  exact weighted rank of reported [%.3f, %.3f] %%, allowed p%.0f ± %.3f%n",
        what, reported, exact(calls, value, percent), below, atOrBelow, percent, delta);
    assertThat(atOrBelow)
        .as(what + ": share at or below " + reported)
        .isGreaterThanOrEqualTo(percent - delta);
    assertThat(below).as(what + ": share below " + shrunk).isLessThanOrEqualTo(percent + delta);
  }

  /**
   * The exact weighted percentile: the smallest value with at least p % of the weight at or below
   * it.
   */
  private static double exact(List<Call> calls, ToDoubleFunction<Call> value, double percent) {
    List<Call> sorted = new ArrayList<>(calls);
    sorted.sort((a, b) -> Double.compare(value.applyAsDouble(a), value.applyAsDouble(b)));
    double total = calls.stream().mapToDouble(Call::weight).sum();
    double cumulative = 0;
    for (Call call : sorted) {
      cumulative += call.weight();
      if (cumulative >= percent / 100 * total) {
        return value.applyAsDouble(call);
      }
    }
    return value.applyAsDouble(sorted.get(sorted.size() - 1));
  }

  private static double sum(JsonNode buckets, String field) {
    double sum = 0;
    for (JsonNode bucket : buckets) {
      sum += bucket.path(field).asDouble();
    }
    return sum;
  }
}

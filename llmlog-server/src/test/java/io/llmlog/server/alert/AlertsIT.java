package io.llmlog.server.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmlog.core.Timestamps;
import io.llmlog.engine.junit.SharedEngineExtension;
import io.llmlog.engine.junit.TestEngine;
import io.llmlog.server.Http;
import io.llmlog.server.LlmlogServer;
import io.llmlog.server.MutableClock;
import io.llmlog.server.TestServers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The brief's two rules, out of the box, end to end: synthetic calls through a real server's ingest
 * API, the server's clock moved by the test 15 s (one evaluation interval) per step, a real HTTP
 * webhook receiver. An independent model of the traffic says at which evaluation each rule's window
 * condition starts and stops holding; the notifications must come at exactly those evaluations:
 * within one interval of the condition holding, and never before.
 */
@ExtendWith(SharedEngineExtension.class)
class AlertsIT {
  static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  static final Duration INTERVAL = Duration.ofSeconds(15);
  static final int CALLS_PER_STEP = 20;

  final MutableClock clock = new MutableClock(T0);
  final Traffic traffic = new Traffic(7L);
  final WebhookReceiver receiver = new WebhookReceiver();
  final List<String> expected = new ArrayList<>();

  /**
   * The model's exact p95 at each evaluation, computed then (later calls of the same minute do not
   * count).
   */
  final Map<Instant, Double> p95At = new LinkedHashMap<>();

  LlmlogServer server;
  Http api;
  boolean errorsFiring;
  boolean slowFiring;
  int step;

  @BeforeEach
  void start(TestEngine engine) {
    Map<String, Object> alerts = new LinkedHashMap<>();
    alerts.put("evaluation_interval", "15s");
    alerts.put("webhooks", List.of(Map.of("url", receiver.url("/alerts").toString())));
    alerts.put("retry", Map.of("initial_backoff", "10ms"));
    server = TestServers.onSharedEngine(engine, Map.of("alerts", alerts), clock);
    api = new Http(TestServers.api(server));
    awaitEvaluation(clock.instant());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    receiver.close();
  }

  /**
   * Calls for one step: {@code errors} of them errors, {@code slow} of them from the slow regime.
   */
  List<Traffic.Call> calls(int errors, int slow) {
    List<Traffic.Call> calls = new ArrayList<>();
    for (int i = 0; i < CALLS_PER_STEP; i++) {
      calls.add(
          new Traffic.Call(
              i < slow ? traffic.slowLatency() : traffic.normalLatency(),
              i >= CALLS_PER_STEP - errors));
    }
    return calls;
  }

  /**
   * Sends a step's calls at the current time, moves the clock one interval and checks that
   * evaluation's notifications.
   */
  void step(List<Traffic.Call> calls) {
    traffic.send(api, clock.instant(), calls);
    clock.advance(INTERVAL);
    step++;
    Instant evaluation = clock.instant();
    awaitEvaluation(evaluation);
    expect("HighErrorRate", traffic.errorRate(evaluation) > 0.05, evaluation);
    p95At.put(evaluation, traffic.p95(evaluation));
    expect("SlowInference", traffic.p95(evaluation) > 10000, evaluation);
    if (receiver.received().size() < expected.size()) {
      receiver.await(body -> receiver.received().size() >= expected.size(), Duration.ofSeconds(20));
    }
    assertThat(notifications())
        .as("notifications after the evaluation at %s (step %d)", evaluation, step)
        .isEqualTo(expected);
  }

  /**
   * What the model says the rule does at this evaluation: fire when it starts holding, resolve when
   * it stops.
   */
  void expect(String alert, boolean holds, Instant at) {
    boolean firing = alert.equals("HighErrorRate") ? errorsFiring : slowFiring;
    if (holds != firing) {
      expected.add(alert + " " + (holds ? "firing" : "resolved") + " " + Timestamps.format(at));
      if (alert.equals("HighErrorRate")) {
        errorsFiring = holds;
      } else {
        slowFiring = holds;
      }
    }
  }

  /**
   * The notifications received, as "alert status time" with the time they say it fired or resolved.
   */
  List<String> notifications() {
    List<String> seen = new ArrayList<>();
    for (JsonNode body : receiver.bodies()) {
      String status = body.path("status").asText();
      seen.add(
          body.path("alert").asText()
              + " "
              + status
              + " "
              + body.path(status.equals("firing") ? "startsAt" : "endsAt").asText());
    }
    return seen;
  }

  void awaitEvaluation(Instant at) {
    String wanted = Timestamps.format(at);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode evaluation = api.get("/api/v1/alerts").json().path("evaluation");
      if (wanted.equals(evaluation.path("last_run").asText())
          && "leader".equals(evaluation.path("role").asText())) {
        return;
      }
      sleep(20);
    }
    throw new AssertionError(
        "no evaluation at " + wanted + ": " + api.get("/api/v1/alerts").body());
  }

  /**
   * Steps with the calls of {@code calls} until the model's alert state is as wanted, then {@code
   * extra} more; bounded.
   */
  int until(
      IntFunction<List<Traffic.Call>> calls,
      java.util.function.BooleanSupplier done,
      int extra,
      int max) {
    int steps = 0;
    while (!done.getAsBoolean()) {
      assertThat(steps).as("steps before the condition changed").isLessThan(max);
      step(calls.apply(steps++));
    }
    int at = step;
    for (int i = 0; i < extra; i++) {
      step(calls.apply(steps++));
    }
    return at;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  JsonNode rule(String name) {
    for (JsonNode rule : api.get("/api/v1/alerts").json().path("rules")) {
      if (rule.path("alert").asText().equals(name)) {
        return rule;
      }
    }
    throw new AssertionError("no rule " + name);
  }

  @Test
  void defaultRules_errorRateAndLatencyRiseAndFall_fireAndResolveAtTheEvaluationTheWindowChanges() {
    // Five minutes at 1% errors (one error every fifth step of twenty calls), normal latencies.
    for (int i = 0; i < 20; i++) {
      step(calls(i % 5 == 0 ? 1 : 0, 0));
    }
    assertThat(expected).isEmpty();
    assertThat(rule("HighErrorRate").path("state").asText()).isEqualTo("inactive");
    assertThat(rule("HighErrorRate").path("value").asDouble()).isCloseTo(0.01, within(0.005));

    // 10% errors until HighErrorRate fires, then a few more steps: no second notification.
    int fired = until(i -> calls(2, 0), () -> errorsFiring, 4, 40);
    JsonNode firing = receiver.bodies().get(0);
    assertThat(firing.path("value").asDouble()).isGreaterThan(0.05).isLessThanOrEqualTo(0.1);
    assertThat(firing.path("threshold").asDouble()).isEqualTo(0.05);
    assertThat(firing.path("severity").asText()).isEqualTo("critical");
    assertThat(firing.path("window").asText()).isEqualTo("5m");
    assertThat(firing.path("summary").asText()).contains("of LLM calls failed in the last 5m");
    JsonNode errorRule = rule("HighErrorRate");
    assertThat(errorRule.path("state").asText()).isEqualTo("firing");
    assertThat(errorRule.path("value").asDouble())
        .isCloseTo(traffic.errorRate(clock.instant()), within(1e-9));
    assertThat(errorRule.path("since").asText()).isEqualTo(firing.path("startsAt").asText());

    // Back to 1% until it resolves.
    int[] n = {0};
    int resolved = until(i -> calls(n[0]++ % 5 == 0 ? 1 : 0, 0), () -> !errorsFiring, 2, 60);

    // 20% of calls slow (15-30 s), 1% errors, until SlowInference fires.
    int slowFired = until(i -> calls(n[0]++ % 5 == 0 ? 1 : 0, 4), () -> slowFiring, 2, 60);
    JsonNode slow = receiver.bodies().get(2);
    assertThat(slow.path("alert").asText()).isEqualTo("SlowInference");
    double exactP95 = p95At.get(Instant.parse(slow.path("startsAt").asText()));
    assertThat(slow.path("value").asDouble()).isCloseTo(exactP95, within(exactP95 * 0.01));
    assertThat(rule("SlowInference").path("state").asText()).isEqualTo("firing");

    // Normal latencies again until it resolves.
    int slowResolved = until(i -> calls(n[0]++ % 5 == 0 ? 1 : 0, 0), () -> !slowFiring, 2, 80);

    assertThat(notifications()).hasSize(4);
    System.out.printf(
        "HighErrorRate fired at step %d, resolved at step %d; SlowInference fired at step %d (p95 %.0f ms, exact %.0f ms), "
            + "resolved at step %d; every notification at the first evaluation whose window held (or no longer held)%n",
        fired, resolved, slowFired, slow.path("value").asDouble(), exactP95, slowResolved);

    JsonNode history = awaitHistory(4);
    assertThat(history.path("transitions"))
        .extracting(t -> t.path("alert").asText() + " " + t.path("to").asText())
        .containsExactly(
            "SlowInference resolved",
            "SlowInference firing",
            "HighErrorRate resolved",
            "HighErrorRate firing");

    JsonNode live = api.get("/api/v1/live?minutes=5").json();
    assertThat(live.path("totals").path("window").path("count").asDouble())
        .isEqualTo(traffic.window(clock.instant(), 5).size());
    assertThat(live.path("series"))
        .extracting(s -> s.path("labels").path("model").asText())
        .containsExactlyInAnyOrder("gpt-4", "claude-3");
  }

  JsonNode awaitHistory(int transitions) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode history = null;
    while (System.nanoTime() < deadline) {
      history = api.get("/api/v1/alerts/history").json();
      if (history.path("total").asInt() >= transitions) {
        return history;
      }
      sleep(200);
    }
    throw new AssertionError("history has fewer than " + transitions + " transitions: " + history);
  }
}

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two llmlog servers on one engine (same index prefix), the traffic split between them so that
 * neither alone sees the real error rate: server A gets 20% errors, B none, together 10%. The rule
 * must see the merged rate, fire once (not once per server), and when the leader stops the standby
 * must take over without notifying the same firing again, then resolve it once.
 */
@ExtendWith(SharedEngineExtension.class)
class TwoServersIT {
  static final Instant T0 = Instant.parse("2026-03-02T12:00:00Z");
  static final Duration INTERVAL = Duration.ofSeconds(15);

  final MutableClock clock = new MutableClock(T0);
  final WebhookReceiver receiver = new WebhookReceiver();
  final Traffic traffic = new Traffic(11L);
  final List<LlmlogServer> servers = new ArrayList<>();
  TestEngine engine;

  @AfterEach
  void stop() {
    servers.forEach(LlmlogServer::close);
    receiver.close();
  }

  LlmlogServer start(String name) {
    Map<String, Object> alerts = new LinkedHashMap<>();
    alerts.put("evaluation_interval", "15s");
    alerts.put("webhooks", List.of(Map.of("url", receiver.url("/" + name).toString())));
    alerts.put("retry", Map.of("initial_backoff", "10ms"));
    LlmlogServer server = TestServers.onSharedEngine(engine, Map.of("alerts", alerts), clock);
    servers.add(server);
    return server;
  }

  static Http api(LlmlogServer server) {
    return new Http(TestServers.api(server));
  }

  List<Traffic.Call> calls(int count, int errors) {
    List<Traffic.Call> calls = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      calls.add(new Traffic.Call(traffic.normalLatency(), i < errors));
    }
    return calls;
  }

  /**
   * Moves the clock one interval, waits until every running server evaluated, and makes the rollups
   * searchable.
   */
  void tick(List<LlmlogServer> running) {
    clock.advance(INTERVAL);
    String wanted = Timestamps.format(clock.instant());
    for (LlmlogServer server : running) {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!wanted.equals(evaluation(server).path("last_run").asText())) {
        assertThat(System.nanoTime())
            .as("evaluation at %s: %s", wanted, evaluation(server))
            .isLessThan(deadline);
        AlertsIT.sleep(20);
      }
    }
    engine.refresh(engine.indexPrefix() + "llm-rollups-*");
  }

  static JsonNode evaluation(LlmlogServer server) {
    return api(server).get("/api/v1/alerts").json().path("evaluation");
  }

  static JsonNode highErrorRate(LlmlogServer server) {
    for (JsonNode rule : api(server).get("/api/v1/alerts").json().path("rules")) {
      if (rule.path("alert").asText().equals("HighErrorRate")) {
        return rule;
      }
    }
    throw new AssertionError("no HighErrorRate");
  }

  List<String> notifications() {
    List<String> seen = new ArrayList<>();
    receiver
        .received()
        .forEach(
            r ->
                seen.add(
                    r.path()
                        + " "
                        + r.body().path("alert").asText()
                        + " "
                        + r.body().path("status").asText()));
    return seen;
  }

  @Test
  void twoServers_trafficSplit_oneFiringWithTheMergedRate_andStandbyTakesOverWithoutRenotifying(
      TestEngine engine) {
    this.engine = engine;
    LlmlogServer a = start("a");
    LlmlogServer b = start("b");
    List<LlmlogServer> both = List.of(a, b);
    // At start both may try to create the lease at once; a few evaluations settle who holds it.
    for (int i = 0;
        i < 5 && (evaluation(a).path("leader").isNull() || evaluation(b).path("leader").isNull());
        i++) {
      tick(both);
    }
    String leader = evaluation(a).path("leader").asText();
    assertThat(evaluation(b).path("leader").asText()).isEqualTo(leader);
    assertThat(List.of(evaluation(a).path("role").asText(), evaluation(b).path("role").asText()))
        .containsExactlyInAnyOrder("leader", "standby");

    // Eight steps: A sees 20% errors, B none; together 10%.
    for (int step = 0; step < 8; step++) {
      traffic.send(api(a), clock.instant(), calls(10, 2));
      traffic.send(api(b), clock.instant(), calls(10, 0));
      tick(both);
    }
    // Two quiet steps, so that the leader has read every rollup the other server published.
    tick(both);
    tick(both);

    assertThat(notifications()).as("one notification, from the leader only").hasSize(1);
    JsonNode firing = receiver.bodies().get(0);
    assertThat(firing.path("status").asText()).isEqualTo("firing");
    assertThat(firing.path("server").asText()).isEqualTo(leader);
    for (LlmlogServer server : both) {
      JsonNode rule = highErrorRate(server);
      assertThat(rule.path("state").asText()).isEqualTo("firing");
      assertThat(rule.path("value").asDouble())
          .as("the merged error rate, not one server's")
          .isCloseTo(0.1, within(1e-9));
      assertThat(rule.path("instances").get(0).path("calls").asDouble()).isEqualTo(160);
    }

    // The leader stops (handing its lease back); the standby takes over and carries on.
    LlmlogServer leading = evaluation(a).path("role").asText().equals("leader") ? a : b;
    LlmlogServer standby = leading == a ? b : a;
    String standbyName = standby == a ? "/a" : "/b";
    leading.close();
    servers.remove(leading);
    for (int step = 0; step < 4; step++) {
      traffic.send(api(standby), clock.instant(), calls(20, 2));
      tick(List.of(standby));
    }
    assertThat(evaluation(standby).path("role").asText()).isEqualTo("leader");
    assertThat(notifications()).as("the firing is not notified again by the new leader").hasSize(1);

    // Errors stop: the new leader resolves the alert, once.
    for (int step = 0;
        step < 40 && highErrorRate(standby).path("state").asText().equals("firing");
        step++) {
      traffic.send(api(standby), clock.instant(), calls(20, 0));
      tick(List.of(standby));
    }
    tick(List.of(standby));
    assertThat(notifications())
        .containsExactly(
            (leading == a ? "/a" : "/b") + " HighErrorRate firing",
            standbyName + " HighErrorRate resolved");
    JsonNode resolved = receiver.bodies().get(1);
    assertThat(resolved.path("startsAt").asText()).isEqualTo(firing.path("startsAt").asText());
    System.out.printf(
        "two servers: 1 firing notification (value %.4f, merged rate 0.1000) from %s; resolved once by %s after takeover%n",
        firing.path("value").asDouble(),
        firing.path("server").asText(),
        resolved.path("server").asText());
  }
}

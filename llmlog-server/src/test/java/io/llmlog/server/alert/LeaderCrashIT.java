package io.llmlog.server.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmlog.engine.junit.SharedEngineExtension;
import io.llmlog.engine.junit.TestEngine;
import io.llmlog.server.Http;
import io.llmlog.server.ServerProcesses;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert leader dies without handing its lease back (kill -9 of its process, not a clean stop as
 * in {@link TwoServersIT}): the other server on the same engine takes over once the lease has
 * expired, not before, and notifies the webhook of a rule that fires afterwards.
 *
 * <p>Nobody evaluates between the leader's last evaluation and the takeover (about {@link #LEASE}),
 * so the new leader sees the calls of that gap only through a window that reaches back to their
 * minute. So the rule's window is 5 minutes, and the errors are stamped a minute before they are
 * sent: their minute is always before the takeover's, as it is by chance whenever the gap crosses a
 * minute boundary. With {@code window: 1m} (the current minute only) the new leader would never see
 * them.
 */
@ExtendWith(SharedEngineExtension.class)
class LeaderCrashIT {
  static final Duration INTERVAL = Duration.ofSeconds(1);
  static final Duration LEASE = Duration.ofSeconds(8);

  /** Start-up of two server JVMs and one takeover on a busy machine; far more than either needs. */
  static final Duration WAIT = Duration.ofSeconds(120);

  @TempDir Path dir;
  final WebhookReceiver receiver = new WebhookReceiver();
  final List<Server> servers = new ArrayList<>();

  /** A {@code llmlog serve} process and its API. */
  record Server(String name, Process process, Http api) {
    JsonNode evaluation() {
      return api.get("/api/v1/alerts").json().path("evaluation");
    }
  }

  @AfterEach
  void stop() throws InterruptedException {
    for (Server server : servers) {
      server.process().destroy();
      server.process().waitFor();
    }
    receiver.close();
  }

  @Test
  void leaderKilled_standbyTakesOverWhenTheLeaseExpiresAndNotifies(TestEngine engine)
      throws Exception {
    long started = System.nanoTime();
    Server a = start(engine, "a");
    Server b = start(engine, "b");
    ServerProcesses.awaitHealthy(a.api(), a.process());
    ServerProcesses.awaitHealthy(b.api(), b.process());
    String leaderId =
        await(
            "a leader both servers agree on",
            () -> {
              String leader = a.evaluation().path("leader").asText(null);
              return leader != null && leader.equals(b.evaluation().path("leader").asText(null))
                  ? leader
                  : null;
            });
    Server leader = a.evaluation().path("server").asText().equals(leaderId) ? a : b;
    Server standby = leader == a ? b : a;
    String standbyId = standby.evaluation().path("server").asText();
    assertThat(standby.evaluation().path("role").asText()).isEqualTo("standby");

    leader.process().destroyForcibly().waitFor();
    long killedAt = System.currentTimeMillis();
    JsonNode lease =
        Http.JSON
            .readTree(engine.get("/" + engine.index(LeaseStore.INDEX) + "/_doc/" + LeaseStore.ID))
            .path("_source");
    assertThat(lease.path("holder").asText()).isEqualTo(leaderId);
    long expiresAt = lease.path("expires_at").asLong();
    // Errors only now, so that nothing but the standby can notify them; in the minute before.
    Instant stamped = Instant.now().minus(Duration.ofMinutes(1));
    StringBuilder errors = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      errors
          .append("{\"request_id\":\"crash-")
          .append(i)
          .append("\",\"timestamp\":\"")
          .append(stamped)
          .append(
              "\",\"model\":\"gpt-4o\","
                  + "\"level\":\"error\",\"latency_ms\":120,\"error\":{\"type\":\"timeout\",\"message\":\"upstream timed out\"}}\n");
    }
    Http.Answer sent =
        standby.api().post("/api/v1/logs", "application/x-ndjson", errors.toString());
    assertThat(sent.status()).as(sent.body()).isEqualTo(200);

    long takenOverAt =
        await(
            "the standby leading",
            () -> {
              long now = System.currentTimeMillis();
              return standby.evaluation().path("role").asText().equals("leader") ? now : null;
            });
    JsonNode firing =
        receiver.await(body -> body.path("alert").asText().equals("ErrorsSeen"), WAIT);
    long notifiedAt = System.currentTimeMillis();

    System.out.printf(
        "LeaderCrashIT: leader killed (-9) %d ms before its lease (%d s) expired; the standby led %d ms after the kill, "
            + "notified %d ms after it; %.1f s in all%n",
        expiresAt - killedAt,
        LEASE.toSeconds(),
        takenOverAt - killedAt,
        notifiedAt - killedAt,
        (System.nanoTime() - started) / 1e9);
    assertThat(takenOverAt)
        .as("not before the dead leader's lease expired")
        .isGreaterThanOrEqualTo(expiresAt);
    assertThat(takenOverAt - expiresAt)
        .as("within a few evaluations of the expiry")
        .isLessThan(LEASE.toMillis() * 3);
    assertThat(firing).as(() -> "no notification; the standby's log:\n" + log(standby)).isNotNull();
    assertThat(firing.path("status").asText()).isEqualTo("firing");
    assertThat(firing.path("server").asText()).isEqualTo(standbyId);
    assertThat(firing.path("value").asDouble()).isEqualTo(5);
    assertThat(receiver.received())
        .singleElement()
        .satisfies(r -> assertThat(r.path()).isEqualTo("/" + standby.name()));
  }

  /** The end of a server's log, to say why it did what it did when the test fails. */
  private String log(Server server) {
    try (var logs = Files.list(dir.resolve(server.name()))) {
      StringBuilder text = new StringBuilder();
      for (Path file : logs.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
        List<String> lines = Files.readAllLines(file);
        lines
            .subList(Math.max(0, lines.size() - 60), lines.size())
            .forEach(l -> text.append(l).append('\n'));
      }
      return text.toString();
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  private Server start(TestEngine engine, String name) throws IOException {
    Path data = Files.createDirectories(dir.resolve(name));
    Path config = data.resolve("llmlog.yaml");
    Files.writeString(
        config,
        """
        engine:
          url: %s
          index_prefix: %s
          refresh_interval: 1s
        lifecycle:
          enabled: false
        alerts:
          evaluation_interval: %ds
          lease_ttl: %ds
          default_rules: false
          retry:
            initial_backoff: 100ms
          webhooks:
            - url: %s
          rules:
            - alert: ErrorsSeen
              condition: count(errors) > 0
              window: 5m
              severity: critical
        """
            .formatted(
                engine.uri(),
                engine.indexPrefix(),
                INTERVAL.toSeconds(),
                LEASE.toSeconds(),
                receiver.url("/" + name)));
    int port = ServerProcesses.freePort();
    Process process =
        ServerProcesses.start(
            data,
            Map.of(),
            "--config",
            config.toString(),
            "--port",
            String.valueOf(port),
            "--es-port",
            "0");
    Server server =
        new Server(name, process, new Http(URI.create("http://127.0.0.1:" + port + "/")));
    servers.add(server);
    return server;
  }

  /** Polls until {@code probe} answers something, failing after {@link #WAIT}. */
  private static <T> T await(String what, Probe<T> probe) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      T value = probe.get();
      if (value != null) {
        return value;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no " + what + " within " + WAIT);
  }

  @FunctionalInterface
  private interface Probe<T> {
    T get();
  }
}

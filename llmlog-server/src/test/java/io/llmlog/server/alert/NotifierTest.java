package io.llmlog.server.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NotifierTest {
  static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  final WebhookReceiver receiver = new WebhookReceiver();
  final List<Duration> slept = new ArrayList<>();
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final ObjectMapper json = new ObjectMapper();

  @AfterEach
  void stop() {
    receiver.close();
  }

  Notifier notifier(Webhook... webhooks) {
    return new Notifier(
        List.of(webhooks),
        new Notifier.Backoff(4, Duration.ofSeconds(1), Duration.ofSeconds(3)),
        Duration.ofSeconds(5),
        json,
        slept::add,
        meters,
        "server-1");
  }

  static Notification firing() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("alertname", "HighErrorRate");
    labels.put("severity", "critical");
    labels.put("model", "gpt-4");
    return new Notification(
        "firing",
        "HighErrorRate",
        "critical",
        labels,
        0.1,
        0.05,
        200,
        "count(errors) / count(all) > 0.05",
        "5m",
        "10% of LLM calls failed",
        T0,
        null,
        false);
  }

  @Test
  void deliver_serverErrorsThenOk_retriesWithExponentialBackoff() throws Exception {
    receiver.answer(500, 503, 429);
    Webhook webhook =
        new Webhook(receiver.url("/hook"), "json", Map.of("Authorization", "Bearer t0ken"));

    boolean delivered = notifier(webhook).deliver(webhook, firing());

    assertThat(delivered).isTrue();
    assertThat(slept)
        .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3));
    assertThat(receiver.received())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.path()).isEqualTo("/hook");
              assertThat(r.authorization()).isEqualTo("Bearer t0ken");
            });
    assertThat(meters.counter("llmlog.alerts.notifications", "result", "delivered").count())
        .isEqualTo(1);
  }

  @Test
  void deliver_failingEveryAttempt_givesUpAfterMaxAttempts() throws Exception {
    receiver.answer(500, 500, 500, 500, 500);
    Webhook webhook = new Webhook(receiver.url("/hook"), "json", Map.of());

    assertThat(notifier(webhook).deliver(webhook, firing())).isFalse();
    assertThat(slept).hasSize(3);
    assertThat(meters.counter("llmlog.alerts.notifications", "result", "failed").count())
        .isEqualTo(1);
  }

  @Test
  void deliver_clientError_isNotRetried() throws Exception {
    receiver.answer(400);
    Webhook webhook = new Webhook(receiver.url("/hook"), "json", Map.of());

    assertThat(notifier(webhook).deliver(webhook, firing())).isFalse();
    assertThat(slept).isEmpty();
  }

  @Test
  void send_jsonFormat_postsTheDocumentedBody() {
    Webhook webhook = new Webhook(receiver.url("/hook"), "json", Map.of());
    try (Notifier notifier = notifier(webhook)) {
      notifier.send(List.of(firing()));
      JsonNode body = receiver.await(b -> true, Duration.ofSeconds(10));

      assertThat(body).isNotNull();
      assertThat(body.path("status").asText()).isEqualTo("firing");
      assertThat(body.path("alert").asText()).isEqualTo("HighErrorRate");
      assertThat(body.path("severity").asText()).isEqualTo("critical");
      assertThat(body.path("labels").path("model").asText()).isEqualTo("gpt-4");
      assertThat(body.path("value").asDouble()).isEqualTo(0.1);
      assertThat(body.path("threshold").asDouble()).isEqualTo(0.05);
      assertThat(body.path("window").asText()).isEqualTo("5m");
      assertThat(body.path("startsAt").asText()).isEqualTo("2026-03-02T10:00:00Z");
      assertThat(body.path("endsAt").isNull()).isTrue();
      assertThat(body.path("fingerprint").asText()).hasSize(16);
      assertThat(body.path("server").asText()).isEqualTo("server-1");
    }
  }

  @Test
  void send_slackFormat_postsTextAndAttachment() {
    Webhook webhook = new Webhook(receiver.url("/slack"), "slack", Map.of());
    try (Notifier notifier = notifier(webhook)) {
      notifier.send(List.of(firing()));
      JsonNode body = receiver.await(b -> true, Duration.ofSeconds(10));

      assertThat(body.path("text").asText())
          .isEqualTo(":rotating_light: [FIRING] HighErrorRate (critical): 10% of LLM calls failed");
      JsonNode attachment = body.path("attachments").get(0);
      assertThat(attachment.path("color").asText()).isEqualTo("#d62728");
      assertThat(attachment.path("fields").toString())
          .contains("\"title\":\"model\",\"value\":\"gpt-4\"");
    }
  }
}

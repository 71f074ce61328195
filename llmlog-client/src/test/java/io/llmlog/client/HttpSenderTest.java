package io.llmlog.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmlog.client.Sender.SendOutcome;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** How replies map onto outcomes; {@code HttpReporterIT} covers the wire. */
class HttpSenderTest {
  final HttpSender sender =
      new HttpSender(
          URI.create("http://localhost:8080/"),
          "k",
          Duration.ofSeconds(1),
          Duration.ofSeconds(1),
          1 << 20,
          Clock.fixed(RetryAfterTest.NOW, ZoneOffset.UTC));

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void outcome_200WithRejections_isDeliveredMinusRejected() {
    SendOutcome outcome =
        sender.outcome(
            200,
            null,
            bytes(
                "{\"accepted\":3,\"rejected\":2,\"errors\":[{\"line\":2,\"field\":\"temperature\",\"reason\":\"must be between 0 and 2\"},{\"line\":4}]}"));

    assertThat(outcome)
        .isEqualTo(
            new SendOutcome.Delivered(
                2, 0, "line 2, field temperature, reason must be between 0 and 2"));
  }

  @Test
  void outcome_200AllAcceptedOrUnreadable_isDelivered() {
    assertThat(sender.outcome(200, null, bytes("{\"accepted\":3,\"rejected\":0,\"errors\":[]}")))
        .isEqualTo(SendOutcome.Delivered.ALL);
    assertThat(sender.outcome(204, null, new byte[0])).isEqualTo(SendOutcome.Delivered.ALL);
    assertThat(sender.outcome(200, null, bytes("not json"))).isEqualTo(SendOutcome.Delivered.ALL);
  }

  @Test
  void outcome_413_isTooLarge() {
    assertThat(sender.outcome(413, null, bytes("body too large")))
        .isInstanceOf(SendOutcome.TooLarge.class);
  }

  @Test
  void outcome_429And503_areRetriedAfterRetryAfter() {
    assertThat(sender.outcome(429, "7", null))
        .isEqualTo(new SendOutcome.Retry("HTTP 429", Duration.ofSeconds(7), null));
    assertThat(sender.outcome(503, "Sat, 28 Nov 2026 08:49:47 GMT", bytes("busy")))
        .isEqualTo(new SendOutcome.Retry("HTTP 503: busy", Duration.ofSeconds(10), null));
  }

  @Test
  void outcome_otherServerErrors_areRetried() {
    assertThat(sender.outcome(500, null, null)).isInstanceOf(SendOutcome.Retry.class);
    assertThat(sender.outcome(502, null, null)).isInstanceOf(SendOutcome.Retry.class);
  }

  @Test
  void outcome_other4xx_failsWithoutRetry() {
    for (int status : new int[] {400, 401, 403, 404, 408, 422}) {
      assertThat(sender.outcome(status, "1", null))
          .as("HTTP %d", status)
          .isInstanceOf(SendOutcome.Fail.class);
    }
  }

  @Test
  void gzipNdjson_isOneRecordPerLineCompressed() throws IOException {
    byte[] body = HttpSender.gzipNdjson(List.of(bytes("{\"a\":1}"), bytes("{\"b\":\"机器\"}")));

    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("{\"a\":1}\n{\"b\":\"机器\"}\n");
    }
  }

  @Test
  void toString_isTheEndpoint() {
    assertThat(sender).hasToString("http://localhost:8080");
  }
}

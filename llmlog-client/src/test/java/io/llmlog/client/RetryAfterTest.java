package io.llmlog.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  static final Instant NOW = Instant.parse("2026-11-28T08:49:37Z");

  @Test
  void parse_seconds_isThatManySeconds() {
    assertThat(RetryAfter.parse("120", NOW)).isEqualTo(Duration.ofSeconds(120));
    assertThat(RetryAfter.parse(" 0 ", NOW)).isEqualTo(Duration.ZERO);
  }

  @Test
  void parse_httpDate_isTheTimeUntilThen() {
    assertThat(RetryAfter.parse("Sat, 28 Nov 2026 08:50:07 GMT", NOW))
        .isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void parse_httpDateInThePast_isZero() {
    assertThat(RetryAfter.parse("Sat, 28 Nov 2026 08:00:00 GMT", NOW)).isEqualTo(Duration.ZERO);
  }

  @Test
  void parse_absentOrUnreadable_isNull() {
    assertThat(RetryAfter.parse(null, NOW)).isNull();
    assertThat(RetryAfter.parse("", NOW)).isNull();
    assertThat(RetryAfter.parse("-5", NOW)).isNull();
    assertThat(RetryAfter.parse("soon", NOW)).isNull();
    assertThat(RetryAfter.parse("99999999999999999999999", NOW)).isNull();
  }
}

package io.llmlog.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class TimestampsTest {
  @Test
  void parse_formatsApplicationsWrite_sameInstant() {
    Instant expected = Instant.parse("2026-11-28T08:30:15.123Z");

    assertThat(Timestamps.parse("2026-11-28T08:30:15.123Z")).isEqualTo(expected);
    assertThat(Timestamps.parse("2026-11-28T16:30:15.123+08:00")).isEqualTo(expected);
    assertThat(Timestamps.parse("2026-11-28T16:30:15.123+0800")).isEqualTo(expected);
    assertThat(Timestamps.parse("2026-11-28 08:30:15.123")).isEqualTo(expected);
    assertThat(Timestamps.parse("2026-11-28T08:30:15.123")).isEqualTo(expected);
    assertThat(Timestamps.parse("1795854615123")).isEqualTo(expected);
    assertThat(Timestamps.parse("1795854615.123")).isEqualTo(expected);
  }

  @Test
  void parse_canonicalUtc_agreesWithInstantParse() {
    java.util.Random random = new java.util.Random(42);
    for (int i = 0; i < 10_000; i++) {
      Instant instant =
          Instant.ofEpochSecond(
              random.nextLong(-62_135_596_800L, 253_402_300_799L),
              random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000));
      if (random.nextBoolean()) {
        instant = instant.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
      }
      String text = Timestamps.format(instant);
      assertThat(Timestamps.parse(text)).as(text).isEqualTo(instant);
    }
    assertThat(Timestamps.parse("2024-02-29T23:59:59.5Z"))
        .isEqualTo(Instant.parse("2024-02-29T23:59:59.500Z"));
    assertThat(Timestamps.parse("2026-11-28T08:30:15.000000001Z"))
        .isEqualTo(Instant.parse("2026-11-28T08:30:15.000000001Z"));
  }

  @Test
  void parse_almostCanonical_generalPathDecidesAsBefore() {
    assertThat(Timestamps.parse("2026-11-28T08:30Z"))
        .isEqualTo(Instant.parse("2026-11-28T08:30:00Z"));
    assertThat(Timestamps.parse("2026-11-28t08:30:15z"))
        .isEqualTo(Instant.parse("2026-11-28T08:30:15Z"));
    // java.time's smart resolver: the last day of the month, midnight of the next day, an empty
    // fraction.
    assertThat(Timestamps.parse("2026-02-29T00:00:00Z"))
        .isEqualTo(Instant.parse("2026-02-28T00:00:00Z"));
    assertThat(Timestamps.parse("2026-11-28T24:00:00Z"))
        .isEqualTo(Instant.parse("2026-11-29T00:00:00Z"));
    assertThat(Timestamps.parse("2026-11-28T08:30:15.Z"))
        .isEqualTo(Instant.parse("2026-11-28T08:30:15Z"));
    for (String invalid :
        new String[] {
          "2026-13-01T00:00:00Z", "2026-11-28T08:30:15.1234567890Z", "2026-11-28T08:3a:15Z"
        }) {
      assertThatThrownBy(() -> Timestamps.parse(invalid))
          .as(invalid)
          .isInstanceOf(InvalidFieldException.class);
    }
  }

  @Test
  void parse_naiveTimeInGivenZone_convertsToUtc() {
    assertThat(Timestamps.parse("2026-11-28T16:30:15", ZoneId.of("Asia/Shanghai")))
        .isEqualTo(Instant.parse("2026-11-28T08:30:15Z"));
  }

  @Test
  void parse_garbage_namesTimestamp() {
    assertThatThrownBy(() -> Timestamps.parse("yesterday"))
        .isInstanceOfSatisfying(
            InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("timestamp"));
  }

  @Test
  void day_utcDay_isTheBriefsIndexSuffix() {
    assertThat(Timestamps.day(Instant.parse("2026-01-05T23:59:59Z"))).isEqualTo("2026.01.05");
    assertThat(Timestamps.day(Instant.parse("2026-11-28T00:00:00Z"))).isEqualTo("2026.11.28");
  }
}

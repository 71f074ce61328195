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
  void parse_naiveTimeInGivenZone_convertsToUtc() {
    assertThat(Timestamps.parse("2026-11-28T16:30:15", ZoneId.of("Asia/Shanghai")))
        .isEqualTo(Instant.parse("2026-11-28T08:30:15Z"));
  }

  @Test
  void parse_garbage_namesTimestamp() {
    assertThatThrownBy(() -> Timestamps.parse("yesterday"))
        .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("timestamp"));
  }

  @Test
  void day_utcDay_isTheBriefsIndexSuffix() {
    assertThat(Timestamps.day(Instant.parse("2026-01-05T23:59:59Z"))).isEqualTo("2026.01.05");
    assertThat(Timestamps.day(Instant.parse("2026-11-28T00:00:00Z"))).isEqualTo("2026.11.28");
  }
}

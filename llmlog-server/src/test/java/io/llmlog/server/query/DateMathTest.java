package io.llmlog.server.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DateMathTest {
  /** A Saturday afternoon. */
  private static final Instant NOW = Instant.parse("2026-11-28T15:42:17.123Z");

  @ParameterizedTest(name = "{0} as lower bound is {1}")
  @CsvSource({
    "now,                      2026-11-28T15:42:17.123Z",
    "now-1h,                   2026-11-28T14:42:17.123Z",
    "now+30m,                  2026-11-28T16:12:17.123Z",
    "now/d,                    2026-11-28T00:00:00Z",
    "now-1d/d,                 2026-11-27T00:00:00Z",
    "now/w,                    2026-11-23T00:00:00Z",
    "now/M,                    2026-11-01T00:00:00Z",
    "now-1y/y,                 2025-01-01T00:00:00Z",
    "now-90s,                  2026-11-28T15:40:47.123Z",
    "now-2H,                   2026-11-28T13:42:17.123Z",
    "2026-11-27,               2026-11-27T00:00:00Z",
    "2026-11-27T08:30,         2026-11-27T08:30:00Z",
    "2026-11-27 08:30:15,      2026-11-27T08:30:15Z",
    "2026-11-27T08:30:15+08:00, 2026-11-27T00:30:15Z",
    "2026-11-27T08:30:15.250Z, 2026-11-27T08:30:15.250Z",
    "2026-11-27||+1M/d,        2026-12-27T00:00:00Z",
    "1764316800000,            2025-11-28T08:00:00Z",
  })
  void resolve_lowerBound_roundsDown(String text, String expected) {
    assertThat(DateMath.resolve(text, NOW, false)).isEqualTo(Instant.parse(expected));
  }

  @ParameterizedTest(name = "{0} as upper bound is {1}")
  @CsvSource({
    "now,                2026-11-28T15:42:17.123Z",
    "now-1h,             2026-11-28T14:42:17.123Z",
    "now/d,              2026-11-28T23:59:59.999Z",
    "now-1d/d,           2026-11-27T23:59:59.999Z",
    "now/M,              2026-11-30T23:59:59.999Z",
    "2026-11-27,         2026-11-27T23:59:59.999Z",
    "2026-11-27T08:30,   2026-11-27T08:30:59.999Z",
    "2026-11-27T08:30:15Z, 2026-11-27T08:30:15.999Z",
    "2026-11-27T08:30:15.5Z, 2026-11-27T08:30:15.500Z",
    "2026-11-27||+1d,    2026-11-28T00:00:00Z",
  })
  void resolve_upperBound_roundsUpToTheEndOfItsUnit(String text, String expected) {
    assertThat(DateMath.resolve(text, NOW, true)).isEqualTo(Instant.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "yesterday",
        "now-",
        "now-1",
        "now-1x",
        "now/",
        "now-1h/",
        "2026-13-01",
        "2026-11-27T25:00",
        "nowish",
        "now -1h",
        "||+1d",
        "2026-11-27||1d"
      })
  void resolve_garbage_saysWhatItExpects(String text) {
    assertThatThrownBy(() -> DateMath.resolve(text, NOW, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected an ISO-8601 time")
        .hasMessageContaining("'" + text + "'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"from", "to"})
  void timeRangeParse_garbage_namesTheParameter(String parameter) {
    String from = parameter.equals("from") ? "last tuesday" : null;
    String to = parameter.equals("to") ? "last tuesday" : null;

    assertThatThrownBy(() -> TimeRange.parse(from, to, NOW))
        .isInstanceOfSatisfying(
            InvalidParameterException.class, e -> assertThat(e.parameter()).isEqualTo(parameter))
        .hasMessageStartingWith(parameter + ": expected");
  }

  @org.junit.jupiter.api.Test
  void timeRangeParse_fromAfterTo_isRefused() {
    assertThatThrownBy(() -> TimeRange.parse("now", "now-1h", NOW))
        .isInstanceOfSatisfying(
            InvalidParameterException.class, e -> assertThat(e.parameter()).isEqualTo("from"))
        .hasMessageContaining("after");
  }
}

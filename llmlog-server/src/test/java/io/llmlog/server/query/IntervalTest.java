package io.llmlog.server.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IntervalTest {
  private static final Instant END = Instant.parse("2026-11-28T12:00:00Z");

  @ParameterizedTest(name = "auto over {0} is {1}")
  @CsvSource({"PT15M, 30s", "PT1H, 1m", "PT24H, 30m", "P7D, 3h", "P30D, 12h", "P365D, 7d"})
  void parse_auto_picksTheFirstRoundWidthWithAtMostSixtyBuckets(String span, String expected) {
    TimeRange range = new TimeRange(END.minus(Duration.parse(span)), END);

    Interval interval = Interval.parse("auto", range);

    assertThat(interval.text()).isEqualTo(expected);
    assertThat(Duration.parse(span).toMillis() / interval.duration().toMillis())
        .isLessThanOrEqualTo(Interval.AUTO_BUCKETS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"5 minutes", "0m", "1w", "1M", "-1h", "auto2"})
  void parse_garbage_namesTheIntervalParameter(String text) {
    assertThatThrownBy(() -> Interval.parse(text, new TimeRange(END.minusSeconds(3600), END)))
        .isInstanceOfSatisfying(
            InvalidParameterException.class, e -> assertThat(e.parameter()).isEqualTo("interval"));
  }

  @org.junit.jupiter.api.Test
  void parse_tooManyBuckets_isRefused() {
    assertThatThrownBy(
            () -> Interval.parse("1s", new TimeRange(END.minus(Duration.ofDays(1)), END)))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("wider interval");
  }
}

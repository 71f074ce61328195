package io.llmlog.server.live;

import static io.llmlog.server.live.RollupUnit.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RollupUnitTest {
  private static final long HOUR = 60 * MINUTE;
  private static final long DAY = 24 * HOUR;
  private static final long MIDNIGHT = Instant.parse("2026-08-01T00:00:00Z").toEpochMilli();

  @Test
  void cover_aDayFromOneMinutePastMidnight_widestUnitsThatFitInOrderWithoutGaps() {
    long first = MIDNIGHT + MINUTE;
    long last = MIDNIGHT + DAY + MINUTE;

    List<RollupUnit> units = RollupUnit.cover(first, last, 0);

    assertThat(units.get(0)).isEqualTo(new RollupUnit(first, MINUTE));
    assertThat(units).contains(new RollupUnit(MIDNIGHT + 3 * HOUR, 3 * HOUR));
    assertThat(units.get(units.size() - 1)).isEqualTo(new RollupUnit(MIDNIGHT + DAY, MINUTE));
    assertThat(units.size()).isLessThan(30);
    long position = first;
    for (RollupUnit unit : units) {
      assertThat(unit.start()).isEqualTo(position);
      assertThat(unit.start() % unit.width()).isZero();
      position = unit.end();
    }
    assertThat(position).isEqualTo(last);
  }

  @Test
  void cover_withBuckets_noUnitSpansTwoBuckets() {
    long bucket = 30 * MINUTE;

    List<RollupUnit> units = RollupUnit.cover(MIDNIGHT + 7 * MINUTE, MIDNIGHT + DAY, bucket);

    assertThat(units).allSatisfy(u -> assertThat(bucket % u.width()).isZero());
    assertThat(units).contains(new RollupUnit(MIDNIGHT + HOUR, bucket));
    assertThat(units.stream().mapToLong(RollupUnit::width).sum()).isEqualTo(DAY - 7 * MINUTE);
  }

  @Test
  void cover_aWholeDay_isOneUnit() {
    assertThat(RollupUnit.cover(MIDNIGHT, MIDNIGHT + DAY, 0))
        .containsExactly(new RollupUnit(MIDNIGHT, DAY));
  }

  @Test
  void children_areTheNextFinerLevelCoveringTheUnit() {
    assertThat(new RollupUnit(MIDNIGHT, DAY).children())
        .hasSize(8)
        .allSatisfy(u -> assertThat(u.width()).isEqualTo(3 * HOUR));
    assertThat(new RollupUnit(MIDNIGHT, 5 * MINUTE).children())
        .extracting(RollupUnit::start)
        .containsExactly(
            MIDNIGHT,
            MIDNIGHT + MINUTE,
            MIDNIGHT + 2 * MINUTE,
            MIDNIGHT + 3 * MINUTE,
            MIDNIGHT + 4 * MINUTE);
    assertThat(new RollupUnit(MIDNIGHT, MINUTE).children()).isEmpty();
  }
}

package io.llmlog.server.live;

import java.util.ArrayList;
import java.util.List;

/**
 * The span of time one stats rollup covers, {@code [start, start + width)}: a whole unit of one of
 * the {@link #LEVELS}, aligned to a multiple of its width since the epoch (a day to UTC midnight).
 * Each level's width divides the next one's, so a unit is made of whole units of every finer level
 * and lies in one day's index.
 */
record RollupUnit(long start, long width) {
  static final long MINUTE = 60_000L;

  /** The widest unit: no unit spans two days. */
  static final long DAY = 1_440 * MINUTE;

  /**
   * The widths rolled up, finest first: minutes, so that the ragged ends of a window read from the
   * calls are under a minute each; coarser ones, so that a day is a few documents; among them the
   * bucket widths the dashboard picks (30 minutes for a day, 3 hours for a week).
   */
  static final List<Long> LEVELS =
      List.of(MINUTE, 5 * MINUTE, 30 * MINUTE, 60 * MINUTE, 180 * MINUTE, DAY);

  long end() {
    return start + width;
  }

  /**
   * Whole units covering {@code [first, last)} (both multiples of a minute), the widest first at
   * each step: the largest level that starts at the position, ends within {@code last} and divides
   * {@code bucket} (when it is not 0), so that no unit spans two buckets of that width.
   */
  static List<RollupUnit> cover(long first, long last, long bucket) {
    List<RollupUnit> units = new ArrayList<>();
    long position = first;
    while (position < last) {
      long width = MINUTE;
      for (long level : LEVELS) {
        if (Math.floorMod(position, level) == 0
            && position + level <= last
            && (bucket == 0 || bucket % level == 0)) {
          width = level;
        }
      }
      units.add(new RollupUnit(position, width));
      position += width;
    }
    return units;
  }

  /** The units of the next finer level that make this one; none for a minute. */
  List<RollupUnit> children() {
    int level = LEVELS.indexOf(width);
    if (level <= 0) {
      return List.of();
    }
    long finer = LEVELS.get(level - 1);
    List<RollupUnit> children = new ArrayList<>();
    for (long s = start; s < end(); s += finer) {
      children.add(new RollupUnit(s, finer));
    }
    return children;
  }
}

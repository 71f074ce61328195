package io.llmlog.server.query;

import java.time.Duration;
import java.time.Instant;

/**
 * Stats answered from durable rollups instead of the calls: what {@link StatsService} asks first
 * when a question has no KQL filter. An implementation answers exactly what the index would (counts
 * and sums exactly, percentiles within {@link #MAX_RELATIVE_ERROR_PCT}) or declines.
 */
public interface RollupStats {
  /**
   * The rollups' sketches keep a value's double with this many mantissa bits: buckets {@code
   * 1/2^bits} of their lower bound wide, percentiles reported at a bucket's middle.
   */
  int MANTISSA_BITS = 7;

  /** How far a percentile from rollups may be from the exact value at its rank, in percent. */
  double MAX_RELATIVE_ERROR_PCT = 100.0 / (1 << (MANTISSA_BITS + 1));

  /**
   * The stats of every call in {@code [from, to]} (both inclusive, as the index's window), grouped
   * by {@code by}, or null when the rollups cannot answer this question (a grouping field they do
   * not keep, an interval that is not a whole number of their units, too many calls not yet rolled
   * up).
   *
   * @param groups how many groups, the largest first (ties by key)
   * @param interval the bucket width as the API names it ({@code 30m}), or null for no buckets
   * @param width the bucket width, or null for no buckets
   */
  Stats answer(Instant from, Instant to, String by, int groups, String interval, Duration width);
}

package io.llmlog.server.live;

/**
 * What the live aggregates know about a set of calls (one series, one or more minutes, one or more
 * servers): weighted counts, sums and extremes of the numeric fields, and percentiles from
 * mergeable sketches. A value that does not exist (an average of nothing, a filter or sketch that
 * is not tracked) is {@link Double#NaN}.
 */
public interface Aggregate {

  /** Calls, each counted by its {@code sample_weight} (1 when absent). */
  double count();

  /** Calls with {@code level: error} or an {@code error.type}, weighted. */
  double errors();

  /** Calls matching a tracked KQL filter, weighted; NaN when the filter is not tracked. */
  double matching(String kql);

  /** The weighted sum of a numeric field over the calls that have it; 0 when none has. */
  double sum(String field);

  /** The weighted mean of a numeric field; NaN when no call has it. */
  double avg(String field);

  /** The smallest value of a numeric field; NaN when no call has it. */
  double min(String field);

  /** The largest value of a numeric field; NaN when no call has it. */
  double max(String field);

  /**
   * The value at a percentile (0 &lt; p &le; 100) of a field with a sketch, within 0.1% (three
   * significant digits); NaN when the field has no sketch or no values.
   */
  double percentile(String field, double p);
}

package io.llmlog.server.live;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's live numbers ({@code GET /api/v1/live}): per-minute totals and series of the
 * dashboard view over the last minutes, all servers' traffic when the engine answers.
 *
 * @param partialReason why other servers' minutes are missing, or null when nothing is
 */
public record LiveView(
    Instant now,
    int minutes,
    Duration retention,
    int maxSeriesPerMinute,
    List<String> groupBy,
    String partialReason,
    List<Point> points,
    Numbers window,
    List<Series> series) {

  /**
   * The numbers of a minute, a series or the window; a NaN is "no value" (no calls, or no call with
   * the field).
   *
   * @param sums {@code input_tokens}, {@code output_tokens}, {@code total_tokens}
   * @param distributions one per sketched field, by name
   */
  public record Numbers(
      double count,
      double errors,
      double errorRate,
      Map<String, Double> sums,
      double costUsd,
      Map<String, Distribution> distributions) {}

  /** A sketched field's average, percentiles (50, 90, 95, 99) and maximum. */
  public record Distribution(double avg, Map<Integer, Double> percentiles, double max) {}

  public record Point(Instant minute, Numbers numbers) {}

  /**
   * One series of the view, with its {@code group_by} labels; {@code overflow} is the series of
   * calls beyond the series limit.
   */
  public record Series(
      Map<String, String> labels, boolean overflow, Numbers window, List<Point> points) {}
}

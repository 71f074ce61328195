package io.llmlog.server.lifecycle;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the lifecycle answers the REST API and the dashboard: records, written as JSON by {@code
 * api}.
 */
public final class LifecycleReports {
  private LifecycleReports() {}

  /**
   * Every index and archive with its phase, and the settings in force.
   *
   * @param engineModeError why the engine's ISM/ILM policy could not be installed, or null
   * @param policies by family key ({@code logs}, {@code quality}, ...)
   * @param lastRun null before the first run
   * @param totals days per phase, every phase listed
   */
  public record Status(
      boolean enabled,
      String mode,
      Instant now,
      Duration interval,
      String archiveDir,
      String compression,
      Duration restoreKeep,
      String engineModeError,
      Map<String, LifecycleSettings.Policy> policies,
      DiskGuard.Status disk,
      Run lastRun,
      List<Day> days,
      Map<String, Integer> totals) {}

  /**
   * One day of one family.
   *
   * @param index its index, or null when there is none
   * @param archive its archive sets, or null when there are none
   * @param due when the next action is due, or null
   */
  public record Day(
      String family,
      String day,
      String indexName,
      String phase,
      double ageDays,
      IndexState index,
      ArchiveState archive,
      long documents,
      long sizeBytes,
      String nextAction,
      Instant due) {}

  /**
   * @param restore the restore marker's state, or null for an index that was never restored
   */
  public record IndexState(
      long documents,
      long sizeBytes,
      long segments,
      int shards,
      boolean readOnly,
      String restore,
      Instant restoredAt,
      Instant keptUntil) {}

  /** The complete sets summed; the last complete set's details are null when there is none. */
  public record ArchiveState(
      int sets,
      int incompleteSets,
      long documents,
      long bytes,
      long rawBytes,
      boolean verified,
      String compression,
      Instant createdAt,
      String minTime,
      String maxTime) {}

  /**
   * @param skipped why the run did nothing, or null
   */
  public record Run(
      Instant startedAt, Instant finishedAt, String skipped, long failures, List<Step> actions) {}

  public record Step(String index, String action, boolean ok, String message, long millis) {}

  /** What {@code POST /api/v1/lifecycle/run} did: a run, or, in engine mode, the policy install. */
  public record RunOutcome(boolean engineMode, boolean installed, String error, Run run) {}

  public record Restored(
      String index,
      String family,
      String day,
      String result,
      long documents,
      List<Integer> sets,
      Instant restoredAt,
      Instant keptUntil) {}

  /**
   * A page of an archive search.
   *
   * @param hits the matching documents as stored, with their day
   * @param next the cursor of the next page, or null at the end
   */
  public record ArchivePage(
      long scanned,
      List<ObjectNode> hits,
      String next,
      List<String> daysSearched,
      List<String> daysWithoutArchive) {}
}

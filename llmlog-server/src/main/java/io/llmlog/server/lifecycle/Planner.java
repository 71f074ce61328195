package io.llmlog.server.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmlog.server.store.IndexAdmin.IndexStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Decides a day's phase and next action from what exists, the policy and the time, and nothing
 * else: no state of its own, so a crash loses no decision and the status page shows exactly what
 * the manager will do.
 */
final class Planner {
  private Planner() {}

  /** What exists for one day: its index (or null) and its archive sets (maybe none). */
  record DayState(DayIndex day, IndexStatus index, List<ArchiveStore.ArchiveSet> sets) {
    DayState {
      sets = List.copyOf(sets);
    }

    boolean archived() {
      return sets.stream().anyMatch(ArchiveStore.ArchiveSet::complete);
    }

    /** {@code loading} or {@code restored} from the index's {@code _meta.llmlog}, or null. */
    String restoreState() {
      return index == null || index.meta() == null ? null : index.meta().path("state").asText(null);
    }

    Instant restoredAt() {
      JsonNode at = index == null || index.meta() == null ? null : index.meta().get("restored_at");
      return at == null || !at.isTextual() ? null : Instant.parse(at.asText());
    }
  }

  /** A phase, the next action and when it is due (null when there is none). */
  record Plan(Phase phase, Action next, Instant due) {
    boolean dueBy(Instant now) {
      return next != Action.NONE && due != null && !now.isBefore(due);
    }
  }

  static Plan plan(
      DayState state, LifecycleSettings.Policy policy, Duration restoreKeep, Instant now) {
    DayIndex day = state.day();
    Instant warmAt = day.when(policy.warmAfter());
    Instant coldAt = day.when(policy.coldAfter());
    Instant deleteAt = day.when(policy.deleteArchiveAfter());
    boolean pastDelete = deleteAt != null && !now.isBefore(deleteAt);
    IndexStatus index = state.index();
    if (index == null) {
      if (!state.archived()) {
        return new Plan(Phase.INCOMPLETE, Action.NONE, null);
      }
      return deleteAt == null
          ? new Plan(Phase.ARCHIVED, Action.NONE, null)
          : new Plan(Phase.ARCHIVED, Action.DELETE, deleteAt);
    }
    String restore = state.restoreState();
    if ("loading".equals(restore)) {
      return new Plan(Phase.RESTORING, Action.RESUME_RESTORE, now);
    }
    if ("restored".equals(restore)) {
      Instant restoredAt = state.restoredAt();
      Instant keepUntil = restoredAt == null ? now : restoredAt.plus(restoreKeep);
      Action after = pastDelete && !now.isBefore(keepUntil) ? Action.DELETE : Action.DROP_RESTORED;
      return new Plan(Phase.RESTORED, after, keepUntil);
    }
    if (pastDelete) {
      return new Plan(
          coldAt != null && !now.isBefore(coldAt) ? Phase.COLD : Phase.WARM,
          Action.DELETE,
          deleteAt);
    }
    if (coldAt != null && !now.isBefore(coldAt)) {
      return new Plan(Phase.COLD, Action.ARCHIVE, coldAt);
    }
    if (warmAt != null && !now.isBefore(warmAt)) {
      if (!index.warmDone()) {
        return new Plan(Phase.WARM, Action.WARM, warmAt);
      }
      return after(Phase.WARM, coldAt, deleteAt);
    }
    if (warmAt != null) {
      return new Plan(Phase.HOT, Action.WARM, warmAt);
    }
    return after(Phase.HOT, coldAt, deleteAt);
  }

  private static Plan after(Phase phase, Instant coldAt, Instant deleteAt) {
    if (coldAt != null) {
      return new Plan(phase, Action.ARCHIVE, coldAt);
    }
    return deleteAt != null
        ? new Plan(phase, Action.DELETE, deleteAt)
        : new Plan(phase, Action.NONE, null);
  }
}

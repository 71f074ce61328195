package io.llmlog.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.server.store.IndexAdmin.IndexStatus;
import io.llmlog.server.store.IndexFamily;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlannerTest {
  static final LifecycleSettings.Policy POLICY =
      new LifecycleSettings.Policy(Duration.ofDays(30), Duration.ofDays(90), Duration.ofDays(365));
  static final DayIndex DAY = DayIndex.of("p-", IndexFamily.LOGS, LocalDate.of(2026, 8, 1));
  static final Instant END_OF_DAY = Instant.parse("2026-08-02T00:00:00Z");
  static final Duration KEEP = Duration.ofDays(7);

  private static IndexStatus index(boolean blocked, long segments, String meta) throws Exception {
    return new IndexStatus(
        DAY.name(),
        "uuid-1",
        10,
        1000,
        segments,
        1,
        0,
        blocked,
        meta == null ? null : new ObjectMapper().readTree(meta));
  }

  private static Planner.Plan plan(
      IndexStatus index, List<ArchiveStore.ArchiveSet> sets, Instant now) {
    return Planner.plan(new Planner.DayState(DAY, index, sets), POLICY, KEEP, now);
  }

  private static ArchiveStore.ArchiveSet completeSet() {
    Manifest manifest =
        new Manifest(
            Manifest.FORMAT,
            "test",
            DAY.name(),
            "logs",
            DAY.day(),
            1,
            "uuid-1",
            END_OF_DAY,
            Compression.GZIP,
            10,
            null,
            null,
            "",
            "",
            List.of(),
            new ObjectMapper().createObjectNode(),
            new ObjectMapper().createObjectNode());
    return new ArchiveStore.ArchiveSet(DAY, 1, Path.of("/archive/1"), manifest, null);
  }

  @Test
  void plan_youngerThanWarmAfter_isHotWithWarmDueAtThirtyDaysAfterTheDayEnds() throws Exception {
    Planner.Plan plan =
        plan(index(false, 5, null), List.of(), END_OF_DAY.plus(Duration.ofDays(29)));

    assertThat(plan)
        .isEqualTo(new Planner.Plan(Phase.HOT, Action.WARM, END_OF_DAY.plus(Duration.ofDays(30))));
    assertThat(plan.dueBy(END_OF_DAY.plus(Duration.ofDays(29)))).isFalse();
  }

  @Test
  void plan_warmAgeNotYetMerged_isWarmWithWarmDue() throws Exception {
    Instant now = END_OF_DAY.plus(Duration.ofDays(31));

    assertThat(plan(index(true, 3, null), List.of(), now).next()).isEqualTo(Action.WARM);
    assertThat(plan(index(false, 1, null), List.of(), now).next()).isEqualTo(Action.WARM);
    Planner.Plan done = plan(index(true, 1, null), List.of(), now);
    assertThat(done)
        .isEqualTo(
            new Planner.Plan(Phase.WARM, Action.ARCHIVE, END_OF_DAY.plus(Duration.ofDays(90))));
    assertThat(done.dueBy(now)).isFalse();
  }

  @Test
  void plan_pastColdAfter_isColdWithArchiveDue() throws Exception {
    Instant now = END_OF_DAY.plus(Duration.ofDays(90));

    Planner.Plan plan = plan(index(true, 1, null), List.of(), now);

    assertThat(plan.phase()).isEqualTo(Phase.COLD);
    assertThat(plan.next()).isEqualTo(Action.ARCHIVE);
    assertThat(plan.dueBy(now)).isTrue();
  }

  @Test
  void plan_onlyArchive_isArchivedWithDeleteAtRetention() {
    Planner.Plan plan = plan(null, List.of(completeSet()), END_OF_DAY.plus(Duration.ofDays(100)));

    assertThat(plan)
        .isEqualTo(
            new Planner.Plan(Phase.ARCHIVED, Action.DELETE, END_OF_DAY.plus(Duration.ofDays(365))));
  }

  @Test
  void plan_restoredIndex_isKeptForItsKeepTimeWhateverItsAge() throws Exception {
    Instant restoredAt = END_OF_DAY.plus(Duration.ofDays(200));
    IndexStatus restored =
        index(true, 1, "{\"state\":\"restored\",\"restored_at\":\"" + restoredAt + "\"}");

    Planner.Plan during =
        plan(restored, List.of(completeSet()), restoredAt.plus(Duration.ofDays(1)));
    Planner.Plan after = plan(restored, List.of(completeSet()), restoredAt.plus(KEEP));

    assertThat(during)
        .isEqualTo(new Planner.Plan(Phase.RESTORED, Action.DROP_RESTORED, restoredAt.plus(KEEP)));
    assertThat(during.dueBy(restoredAt.plus(Duration.ofDays(1)))).isFalse();
    assertThat(after.dueBy(restoredAt.plus(KEEP))).isTrue();
  }

  @Test
  void plan_interruptedRestore_isResumedNow() throws Exception {
    Instant now = END_OF_DAY.plus(Duration.ofDays(200));

    Planner.Plan plan =
        plan(index(false, 2, "{\"state\":\"loading\"}"), List.of(completeSet()), now);

    assertThat(plan).isEqualTo(new Planner.Plan(Phase.RESTORING, Action.RESUME_RESTORE, now));
  }

  @Test
  void plan_incompleteSetWithoutIndex_touchesNothing() {
    ArchiveStore.ArchiveSet incomplete =
        new ArchiveStore.ArchiveSet(DAY, 1, Path.of("/archive/1"), null, null);

    assertThat(plan(null, List.of(incomplete), END_OF_DAY.plus(Duration.ofDays(400))))
        .isEqualTo(new Planner.Plan(Phase.INCOMPLETE, Action.NONE, null));
  }

  @Test
  void plan_futureDay_isHot() throws Exception {
    assertThat(
            plan(index(false, 4, null), List.of(), END_OF_DAY.minus(Duration.ofDays(10))).phase())
        .isEqualTo(Phase.HOT);
  }
}

package io.llmlog.server.lifecycle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.server.store.IndexAdmin;
import io.llmlog.server.store.IndexAdmin.IndexStatus;
import io.llmlog.server.store.IndexFamily;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.channels.FileLock;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One run of the lifecycle: finds every day of every family (its index, its archive sets), plans
 * each with {@link Planner} and carries out the actions that are due, oldest day first. A failed
 * step is logged and reported and the run goes on with the next day; the step is tried again on the
 * next run. Not thread-safe: {@link Lifecycle} runs it on one thread.
 */
final class LifecycleManager {
  private static final Logger LOG = LogManager.getLogger(LifecycleManager.class);

  private final IndexAdmin admin;
  private final ArchiveStore archives;
  private final Archiver archiver;
  private final Restorer restorer;
  private final LifecycleSettings settings;
  private final String prefix;
  private final Clock clock;
  private final MeterRegistry meters;
  private final ObjectMapper json;

  LifecycleManager(
      IndexAdmin admin,
      ArchiveStore archives,
      Archiver archiver,
      Restorer restorer,
      LifecycleSettings settings,
      String prefix,
      Clock clock,
      MeterRegistry meters,
      ObjectMapper json) {
    this.json = json;
    this.admin = admin;
    this.archives = archives;
    this.archiver = archiver;
    this.restorer = restorer;
    this.settings = settings;
    this.prefix = prefix;
    this.clock = clock;
    this.meters = meters;
  }

  /** One action of a run and how it went. */
  record Step(String index, Action action, boolean ok, String message, long millis) {}

  /** What a run did. */
  record RunReport(Instant startedAt, Instant finishedAt, List<Step> steps, String skipped) {
    long failures() {
      return steps.stream().filter(step -> !step.ok()).count();
    }
  }

  /** A day with its plan, as the status shows it. */
  record DayReport(Planner.DayState state, Planner.Plan plan) {}

  /** Every day of every family with its plan at {@code now}, oldest first. */
  List<DayReport> days(Instant now) {
    List<DayReport> days = new ArrayList<>();
    for (Planner.DayState state : gather()) {
      days.add(
          new DayReport(
              state,
              Planner.plan(
                  state, settings.policy(state.day().family()), settings.restoreKeep(), now)));
    }
    return days;
  }

  RunReport run() {
    reopenClosed();
    Instant started = clock.instant();
    List<DayReport> due = days(started).stream().filter(day -> day.plan().dueBy(started)).toList();
    if (due.isEmpty()) {
      return new RunReport(started, clock.instant(), List.of(), null);
    }
    FileLock lock;
    try {
      lock = archives.lock();
    } catch (IOException e) {
      return new RunReport(
          started,
          clock.instant(),
          List.of(),
          "cannot open " + archives.root() + ": " + e.getMessage());
    }
    if (lock == null) {
      return new RunReport(
          started,
          clock.instant(),
          List.of(),
          "another llmlog process is working on " + archives.root());
    }
    List<Step> steps = new ArrayList<>();
    try (var channel = lock.channel();
        lock) {
      archives.emptyTrash();
      // Planned again under the lock: another process may have acted since.
      for (DayReport day : days(clock.instant())) {
        if (day.plan().dueBy(clock.instant())) {
          steps.add(act(day.state(), day.plan().next()));
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.error("lifecycle run failed: {}", e.toString(), e);
      steps.add(new Step("", Action.NONE, false, "the run stopped: " + e.getMessage(), 0));
    }
    RunReport report = new RunReport(started, clock.instant(), List.copyOf(steps), null);
    if (!steps.isEmpty()) {
      LOG.info("lifecycle run: {} action(s), {} failed", steps.size(), report.failures());
    }
    return report;
  }

  private Step act(Planner.DayState state, Action action) {
    long start = System.nanoTime();
    String index = state.day().name();
    try {
      String message =
          switch (action) {
            case WARM -> warm(state.index());
            case ARCHIVE -> {
              ArchiveStore.ArchiveSet set =
                  archiver.archive(state.day(), state.index(), state.sets());
              yield "archived as set "
                  + set.number()
                  + ": "
                  + set.manifest().documents()
                  + " documents, "
                  + set.manifest().bytes()
                  + " bytes";
            }
            case DROP_RESTORED -> {
              if (restorer.unchanged(state.day(), state.index(), state.sets())) {
                admin.delete(index);
                yield "restored copy deleted: it still equals its archive";
              }
              ArchiveStore.ArchiveSet set =
                  archiver.archive(state.day(), state.index(), state.sets());
              yield "restored copy had changed: archived as set " + set.number() + ", then deleted";
            }
            case DELETE -> {
              if (state.index() != null) {
                admin.delete(index);
              }
              archives.deleteDay(state.day());
              yield "retention reached: "
                  + (state.index() != null ? "index and " : "")
                  + "archive deleted";
            }
            case RESUME_RESTORE -> {
              Restorer.Result result = restorer.restore(state.day());
              yield "interrupted restore finished: " + result.documents() + " documents";
            }
            case NONE -> "nothing to do";
          };
      count(action, "ok");
      return new Step(index, action, true, message, (System.nanoTime() - start) / 1_000_000);
    } catch (IOException | RuntimeException e) {
      count(action, "failed");
      LOG.error(
          "lifecycle {} of {} failed (retried on the next run): {}",
          action.json(),
          index,
          e.getMessage());
      return new Step(
          index,
          action,
          false,
          String.valueOf(e.getMessage()),
          (System.nanoTime() - start) / 1_000_000);
    }
  }

  private String warm(IndexStatus index) {
    if (!index.writeBlocked()) {
      admin.blockWrites(index.name());
      if (!settings.warmRequire().isEmpty() || settings.warmReplicas() != null) {
        ObjectNode flat = json.createObjectNode();
        settings
            .warmRequire()
            .forEach(
                (attribute, value) ->
                    flat.put("index.routing.allocation.require." + attribute, value));
        if (settings.warmReplicas() != null) {
          flat.put("index.number_of_replicas", settings.warmReplicas());
        }
        admin.putSettings(index.name(), flat);
      }
    }
    if (index.segments() > index.shards()) {
      boolean recompressed =
          admin.forceMerge(index.name(), settings.warmCodec(), settings.forceMergeTimeout());
      return "read-only, merged from "
          + index.segments()
          + " segments"
          + (recompressed ? ", written anew with codec " + settings.warmCodec() : "");
    }
    return "read-only";
  }

  /**
   * Opens the indices a warm step closed to change their codec and could not open again (the
   * process died in between): closed, they would be missing from searches and from the plan.
   */
  private void reopenClosed() {
    for (IndexFamily family : settings.policies().keySet()) {
      try {
        for (String index : admin.closedIndices(family.pattern(prefix))) {
          admin.open(index);
          LOG.warn(
              "lifecycle: opened {} again, which a warm step had closed to change its codec",
              index);
        }
      } catch (RuntimeException e) {
        LOG.error(
            "lifecycle: cannot check for closed indices of {}: {}",
            family.pattern(prefix),
            e.getMessage());
      }
    }
  }

  private void count(Action action, String result) {
    meters
        .counter("llmlog.lifecycle.actions", "action", action.json(), "result", result)
        .increment();
  }

  /**
   * What exists now: every day index of the managed families and every archived day, joined by
   * name.
   */
  private List<Planner.DayState> gather() {
    Map<String, IndexStatus> indices = new TreeMap<>();
    for (IndexFamily family : settings.policies().keySet()) {
      for (Map.Entry<String, IndexStatus> entry :
          admin.indices(family.pattern(prefix)).entrySet()) {
        DayIndex day = DayIndex.parse(prefix, entry.getKey());
        if (day != null && day.family() == family) {
          indices.put(entry.getKey(), entry.getValue());
        }
      }
    }
    Map<String, List<ArchiveStore.ArchiveSet>> sets = archives.scan();
    Map<String, Planner.DayState> days = new TreeMap<>();
    indices.forEach(
        (name, status) ->
            days.put(
                name,
                new Planner.DayState(
                    DayIndex.parse(prefix, name), status, sets.getOrDefault(name, List.of()))));
    sets.forEach(
        (name, daySets) -> {
          DayIndex day = DayIndex.parse(prefix, name);
          if (!days.containsKey(name) && settings.policies().containsKey(day.family())) {
            days.put(name, new Planner.DayState(day, null, daySets));
          }
        });
    List<Planner.DayState> ordered = new ArrayList<>(days.values());
    ordered.sort(
        Comparator.comparing((Planner.DayState state) -> state.day().date())
            .thenComparing(state -> state.day().name()));
    return ordered;
  }
}

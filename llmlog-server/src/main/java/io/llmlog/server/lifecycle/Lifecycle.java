package io.llmlog.server.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.server.config.LlmlogConfig;
import io.llmlog.server.store.IndexAdmin;
import io.llmlog.server.store.IndexFamily;
import io.llmlog.server.store.LogStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The lifecycle capability as the server sees it: the manager running at start and every {@code
 * lifecycle.interval} (or the engine's policies installed, in engine mode), restores and archive
 * searches, the disk guard, and their JSON for the API. Runs and restores share one thread, so they
 * never work on the same day at once.
 */
public final class Lifecycle implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(Lifecycle.class);

  private final LifecycleSettings settings;
  private final LifecycleManager manager;
  private final Restorer restorer;
  private final ArchiveSearch search;
  private final EnginePolicies enginePolicies;
  private final IndexAdmin admin;
  private final DiskGuard disk;
  private final ObjectMapper json;
  private final Clock clock;
  private final String prefix;
  private final Timer runs;
  private final ExecutorService worker;
  private final ScheduledExecutorService timer;
  private final AtomicBoolean runQueued = new AtomicBoolean();
  private volatile Function<String, Predicate<JsonNode>> filters = ArchiveFilter::compile;
  private volatile LifecycleManager.RunReport lastRun;
  private volatile String engineModeProblem;

  private Lifecycle(
      LifecycleSettings settings,
      LogStore store,
      IndexAdmin admin,
      DiskGuard disk,
      ObjectMapper json,
      Clock clock,
      MeterRegistry meters,
      int replicas) {
    this.settings = settings;
    this.admin = admin;
    this.disk = disk;
    this.json = json;
    this.clock = clock;
    this.prefix = store.indexPrefix();
    ArchiveStore archives = new ArchiveStore(settings.archiveDir(), prefix, json);
    ArchiveReader reader = new ArchiveReader(json);
    Archiver archiver = new Archiver(admin, archives, reader, settings, json, clock);
    this.restorer =
        new Restorer(admin, store, archives, reader, json, clock, replicas, settings.exportBatch());
    this.manager =
        new LifecycleManager(
            admin, archives, archiver, restorer, settings, prefix, clock, meters, json);
    this.search = new ArchiveSearch(archives, reader, json, prefix);
    this.enginePolicies = new EnginePolicies(settings, json, prefix);
    this.runs =
        Timer.builder("llmlog.lifecycle.runs")
            .description("Lifecycle manager runs")
            .register(meters);
    this.worker = Executors.newSingleThreadExecutor(daemon("llmlog-lifecycle"));
    this.timer = Executors.newSingleThreadScheduledExecutor(daemon("llmlog-lifecycle-timer"));
  }

  /**
   * Builds the capability; nothing runs until {@link #start()}.
   *
   * @param probe free space of the data directory's file system; null for the real one
   */
  public static Lifecycle create(
      LlmlogConfig config,
      LifecycleSettings settings,
      LogStore store,
      ObjectMapper json,
      Clock clock,
      MeterRegistry meters,
      DiskGuard.Probe probe) {
    DiskGuard disk =
        new DiskGuard(
            settings.disk(),
            config.server().dataDir(),
            probe != null ? probe : DiskGuard.Probe.of(config.server().dataDir()),
            meters);
    return new Lifecycle(
        settings,
        store,
        new IndexAdmin(store, json, config.engine().requestTimeout()),
        disk,
        json,
        clock,
        meters,
        config.engine().replicas());
  }

  /**
   * Starts the disk guard's checks and the manager (a first run now), or installs the engine's
   * policies.
   */
  public void start() {
    timer.scheduleWithFixedDelay(
        disk::check,
        settings.disk().checkInterval().toMillis(),
        settings.disk().checkInterval().toMillis(),
        TimeUnit.MILLISECONDS);
    if (!settings.enabled()) {
      LOG.info("lifecycle is disabled (lifecycle.enabled: false): indices are kept as they are");
      return;
    }
    if (settings.mode() == LifecycleSettings.Mode.ENGINE) {
      worker.submit(this::installEnginePolicies);
      return;
    }
    timer.scheduleWithFixedDelay(
        this::queueRun, 0, settings.interval().toMillis(), TimeUnit.MILLISECONDS);
  }

  private void installEnginePolicies() {
    try {
      enginePolicies.install(admin);
      engineModeProblem = null;
    } catch (RuntimeException e) {
      engineModeProblem = e.getMessage();
      LOG.error(
          "lifecycle.mode engine: could not install the engine's lifecycle policies: {}",
          e.getMessage());
    }
  }

  private void queueRun() {
    if (runQueued.compareAndSet(false, true)) {
      worker.submit(
          () -> {
            runQueued.set(false);
            timedRun();
          });
    }
  }

  private LifecycleManager.RunReport timedRun() {
    LifecycleManager.RunReport report = runs.record(manager::run);
    lastRun = report;
    return report;
  }

  /** Replaces the KQL evaluator of archive searches (by default {@link ArchiveFilter}). */
  public void filters(Function<String, Predicate<JsonNode>> compiler) {
    this.filters = Objects.requireNonNull(compiler, "compiler");
  }

  public DiskGuard diskGuard() {
    return disk;
  }

  /** Runs the manager now (after a run or restore in progress) and answers what it did. */
  public LifecycleReports.RunOutcome runNow() {
    if (settings.mode() == LifecycleSettings.Mode.ENGINE) {
      await(worker.submit(this::installEnginePolicies));
      return new LifecycleReports.RunOutcome(
          true, engineModeProblem == null, engineModeProblem, null);
    }
    return new LifecycleReports.RunOutcome(
        false, false, null, run(await(worker.submit(this::timedRun))));
  }

  /** Restores an archived day into its index (see {@link Restorer}). */
  public LifecycleReports.Restored restore(IndexFamily family, LocalDate date) {
    DayIndex day = DayIndex.of(prefix, family, date);
    Restorer.Result result = await(worker.submit(() -> restorer.restore(day)));
    return new LifecycleReports.Restored(
        result.index(),
        Archiver.familyKey(day),
        day.day(),
        result.outcome(),
        result.documents(),
        result.sets(),
        result.restoredAt(),
        result.restoredAt().plus(settings.restoreKeep()));
  }

  /** One page of an archive search; {@code cursor} is the previous page's {@code next}. */
  public LifecycleReports.ArchivePage search(
      IndexFamily family, LocalDate from, LocalDate to, String kql, int size, String cursor) {
    Predicate<JsonNode> filter = filters.apply(kql == null ? "" : kql);
    ArchiveSearch.Page page;
    try {
      page =
          search.search(
              family,
              from,
              to,
              filter,
              size,
              cursor == null ? null : ArchiveSearch.Cursor.parse(cursor));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new LifecycleReports.ArchivePage(
        page.scanned(),
        page.hits(),
        page.next() == null ? null : page.next().text(),
        page.daysWithArchive(),
        page.daysWithout());
  }

  /**
   * Every index and archive with its phase, age, size, documents and next action; for the
   * dashboard.
   */
  public LifecycleReports.Status status() {
    Instant now = clock.instant();
    Map<String, LifecycleSettings.Policy> policies = new LinkedHashMap<>();
    for (Map.Entry<String, IndexFamily> family : LifecycleSettings.FAMILIES.entrySet()) {
      policies.put(family.getKey(), settings.policy(family.getValue()));
    }
    Map<Phase, Integer> counted = new EnumMap<>(Phase.class);
    List<LifecycleReports.Day> days = new ArrayList<>();
    for (LifecycleManager.DayReport report : manager.days(now)) {
      days.add(day(report, now));
      counted.merge(report.plan().phase(), 1, Integer::sum);
    }
    Map<String, Integer> totals = new LinkedHashMap<>();
    for (Phase phase : Phase.values()) {
      totals.put(phase.json(), counted.getOrDefault(phase, 0));
    }
    return new LifecycleReports.Status(
        settings.enabled(),
        settings.mode().name().toLowerCase(java.util.Locale.ROOT),
        now,
        settings.interval(),
        settings.archiveDir().toString(),
        settings.compression().configName(),
        settings.restoreKeep(),
        engineModeProblem,
        policies,
        disk.status(),
        lastRun == null ? null : run(lastRun),
        days,
        totals);
  }

  private LifecycleReports.Day day(LifecycleManager.DayReport report, Instant now) {
    Planner.DayState state = report.state();
    DayIndex day = state.day();
    LifecycleReports.IndexState index = null;
    if (state.index() != null) {
      Instant restoredAt = state.restoreState() == null ? null : state.restoredAt();
      index =
          new LifecycleReports.IndexState(
              state.index().documents(),
              state.index().storeBytes(),
              state.index().segments(),
              state.index().shards(),
              state.index().writeBlocked(),
              state.restoreState(),
              restoredAt,
              restoredAt == null ? null : restoredAt.plus(settings.restoreKeep()));
    }
    LifecycleReports.ArchiveState archive = null;
    if (!state.sets().isEmpty()) {
      List<ArchiveStore.ArchiveSet> complete =
          state.sets().stream().filter(ArchiveStore.ArchiveSet::complete).toList();
      Manifest last = complete.isEmpty() ? null : complete.get(complete.size() - 1).manifest();
      archive =
          new LifecycleReports.ArchiveState(
              complete.size(),
              state.sets().size() - complete.size(),
              complete.stream().mapToLong(set -> set.manifest().documents()).sum(),
              complete.stream().mapToLong(set -> set.manifest().bytes()).sum(),
              complete.stream().mapToLong(set -> set.manifest().rawBytes()).sum(),
              !complete.isEmpty() && complete.stream().allMatch(set -> set.verification() != null),
              last == null ? null : last.compression().configName(),
              last == null ? null : last.createdAt(),
              last == null ? null : last.minTime(),
              last == null ? null : last.maxTime());
    }
    long documents = index != null ? index.documents() : archive != null ? archive.documents() : 0;
    long size = index != null ? index.sizeBytes() : archive != null ? archive.bytes() : 0;
    return new LifecycleReports.Day(
        Archiver.familyKey(day),
        day.day(),
        day.name(),
        report.plan().phase().json(),
        Math.max(0, day.age(now).toHours()) / 24.0,
        index,
        archive,
        documents,
        size,
        report.plan().next().json(),
        report.plan().due());
  }

  private static LifecycleReports.Run run(LifecycleManager.RunReport report) {
    List<LifecycleReports.Step> steps = new ArrayList<>();
    for (LifecycleManager.Step step : report.steps()) {
      steps.add(
          new LifecycleReports.Step(
              step.index(), step.action().json(), step.ok(), step.message(), step.millis()));
    }
    return new LifecycleReports.Run(
        report.startedAt(), report.finishedAt(), report.skipped(), report.failures(), steps);
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the lifecycle", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  /**
   * Stops the timer and the worker; a run in progress is interrupted and resumes on the next start.
   */
  @Override
  public void close() {
    timer.shutdownNow();
    worker.shutdownNow();
    try {
      if (!worker.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("the lifecycle worker did not stop within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

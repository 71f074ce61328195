package io.llmlog.server.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.server.config.LlmlogConfig;
import io.llmlog.server.config.Units;
import io.llmlog.server.store.IndexAdmin;
import io.llmlog.server.store.IndexFamily;
import io.llmlog.server.store.LogStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumMap;
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
 * The lifecycle capability as the server sees it: the manager running at start and every
 * {@code lifecycle.interval} (or the engine's policies installed, in engine mode), restores and
 * archive searches, the disk guard, and their JSON for the API. Runs and restores share one
 * thread, so they never work on the same day at once.
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

  private Lifecycle(LifecycleSettings settings, LogStore store, IndexAdmin admin, DiskGuard disk, ObjectMapper json, Clock clock,
      MeterRegistry meters, int replicas) {
    this.settings = settings;
    this.admin = admin;
    this.disk = disk;
    this.json = json;
    this.clock = clock;
    this.prefix = store.indexPrefix();
    ArchiveStore archives = new ArchiveStore(settings.archiveDir(), prefix, json);
    ArchiveReader reader = new ArchiveReader(json);
    Archiver archiver = new Archiver(admin, archives, reader, settings, json, clock);
    this.restorer = new Restorer(admin, store, archives, reader, json, clock, replicas, settings.exportBatch());
    this.manager = new LifecycleManager(admin, archives, archiver, restorer, settings, prefix, clock, meters, json);
    this.search = new ArchiveSearch(archives, reader, json, prefix);
    this.enginePolicies = new EnginePolicies(settings, json, prefix);
    this.runs = Timer.builder("llmlog.lifecycle.runs").description("Lifecycle manager runs").register(meters);
    this.worker = Executors.newSingleThreadExecutor(daemon("llmlog-lifecycle"));
    this.timer = Executors.newSingleThreadScheduledExecutor(daemon("llmlog-lifecycle-timer"));
  }

  /**
   * Builds the capability; nothing runs until {@link #start()}.
   *
   * @param probe free space of the data directory's file system; null for the real one
   */
  public static Lifecycle create(LlmlogConfig config, LifecycleSettings settings, LogStore store, ObjectMapper json, Clock clock,
      MeterRegistry meters, DiskGuard.Probe probe) {
    DiskGuard disk = new DiskGuard(settings.disk(), config.server().dataDir(),
        probe != null ? probe : DiskGuard.Probe.of(config.server().dataDir()), meters);
    return new Lifecycle(settings, store, new IndexAdmin(store, json, config.engine().requestTimeout()), disk, json, clock, meters,
        config.engine().replicas());
  }

  /** Starts the disk guard's checks and the manager (a first run now), or installs the engine's policies. */
  public void start() {
    timer.scheduleWithFixedDelay(disk::check, settings.disk().checkInterval().toMillis(), settings.disk().checkInterval().toMillis(), TimeUnit.MILLISECONDS);
    if (!settings.enabled()) {
      LOG.info("lifecycle is disabled (lifecycle.enabled: false): indices are kept as they are");
      return;
    }
    if (settings.mode() == LifecycleSettings.Mode.ENGINE) {
      worker.submit(this::installEnginePolicies);
      return;
    }
    timer.scheduleWithFixedDelay(this::queueRun, 0, settings.interval().toMillis(), TimeUnit.MILLISECONDS);
  }

  private void installEnginePolicies() {
    try {
      enginePolicies.install(admin);
      engineModeProblem = null;
    } catch (RuntimeException e) {
      engineModeProblem = e.getMessage();
      LOG.error("lifecycle.mode engine: could not install the engine's lifecycle policies: {}", e.getMessage());
    }
  }

  private void queueRun() {
    if (runQueued.compareAndSet(false, true)) {
      worker.submit(() -> {
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
  public ObjectNode runNow() {
    if (settings.mode() == LifecycleSettings.Mode.ENGINE) {
      await(worker.submit(this::installEnginePolicies));
      ObjectNode body = json.createObjectNode().put("mode", "engine");
      body.put("installed", engineModeProblem == null);
      if (engineModeProblem != null) {
        body.put("error", engineModeProblem);
      }
      return body;
    }
    return report(await(worker.submit(this::timedRun)));
  }

  /** Restores an archived day into its index (see {@link Restorer}). */
  public ObjectNode restore(IndexFamily family, LocalDate date) {
    DayIndex day = DayIndex.of(prefix, family, date);
    Restorer.Result result = await(worker.submit(() -> restorer.restore(day)));
    ObjectNode body = json.createObjectNode();
    body.put("index", result.index());
    body.put("family", Archiver.familyKey(day));
    body.put("day", day.day());
    body.put("result", result.outcome());
    body.put("documents", result.documents());
    ArrayNode sets = body.putArray("sets");
    result.sets().forEach(sets::add);
    body.put("restored_at", result.restoredAt().toString());
    body.put("kept_until", result.restoredAt().plus(settings.restoreKeep()).toString());
    return body;
  }

  /** One page of an archive search; {@code cursor} is the previous page's {@code next}. */
  public ObjectNode search(IndexFamily family, LocalDate from, LocalDate to, String kql, int size, String cursor) {
    Predicate<JsonNode> filter = filters.apply(kql == null ? "" : kql);
    ArchiveSearch.Page page;
    try {
      page = search.search(family, from, to, filter, size, cursor == null ? null : ArchiveSearch.Cursor.parse(cursor));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ObjectNode body = json.createObjectNode();
    body.put("scanned", page.scanned());
    body.put("matched", page.hits().size());
    ArrayNode hits = body.putArray("hits");
    page.hits().forEach(hits::add);
    if (page.next() == null) {
      body.putNull("next");
    } else {
      body.put("next", page.next().text());
    }
    ArrayNode searched = body.putArray("days_searched");
    page.daysWithArchive().forEach(searched::add);
    ArrayNode missing = body.putArray("days_without_archive");
    page.daysWithout().forEach(missing::add);
    return body;
  }

  /** Every index and archive with its phase, age, size, documents and next action; for the dashboard. */
  public ObjectNode status() {
    Instant now = clock.instant();
    ObjectNode body = json.createObjectNode();
    body.put("enabled", settings.enabled());
    body.put("mode", settings.mode().name().toLowerCase(java.util.Locale.ROOT));
    body.put("now", now.toString());
    body.put("interval", Units.formatDuration(settings.interval()));
    body.put("archive_dir", settings.archiveDir().toString());
    body.put("compression", settings.compression().configName());
    body.put("restore_keep", Units.formatDuration(settings.restoreKeep()));
    if (engineModeProblem != null) {
      body.put("engine_mode_error", engineModeProblem);
    }
    ObjectNode policies = body.putObject("policies");
    for (Map.Entry<String, IndexFamily> family : LifecycleSettings.FAMILIES.entrySet()) {
      LifecycleSettings.Policy policy = settings.policy(family.getValue());
      ObjectNode node = policies.putObject(family.getKey());
      duration(node, "warm_after", policy.warmAfter());
      duration(node, "cold_after", policy.coldAfter());
      duration(node, "delete_archive_after", policy.deleteArchiveAfter());
    }
    body.set("disk", disk(disk.status()));
    body.set("last_run", lastRun == null ? json.nullNode() : report(lastRun));
    Map<Phase, Integer> totals = new EnumMap<>(Phase.class);
    ArrayNode days = body.putArray("days");
    for (LifecycleManager.DayReport report : manager.days(now)) {
      days.add(day(report, now));
      totals.merge(report.plan().phase(), 1, Integer::sum);
    }
    ObjectNode counts = body.putObject("totals");
    for (Phase phase : Phase.values()) {
      counts.put(phase.json(), totals.getOrDefault(phase, 0));
    }
    return body;
  }

  private ObjectNode day(LifecycleManager.DayReport report, Instant now) {
    Planner.DayState state = report.state();
    DayIndex day = state.day();
    ObjectNode node = json.createObjectNode();
    node.put("family", Archiver.familyKey(day));
    node.put("day", day.day());
    node.put("index", day.name());
    node.put("phase", report.plan().phase().json());
    Duration age = day.age(now);
    node.put("age_days", Math.max(0, age.toHours()) / 24.0);
    if (state.index() != null) {
      ObjectNode index = node.putObject("index_status");
      index.put("documents", state.index().documents());
      index.put("size_bytes", state.index().storeBytes());
      index.put("segments", state.index().segments());
      index.put("shards", state.index().shards());
      index.put("read_only", state.index().writeBlocked());
      if (state.restoreState() != null) {
        index.put("restore", state.restoreState());
        Instant restoredAt = state.restoredAt();
        if (restoredAt != null) {
          index.put("restored_at", restoredAt.toString());
          index.put("kept_until", restoredAt.plus(settings.restoreKeep()).toString());
        }
      }
    } else {
      node.putNull("index_status");
    }
    List<ArchiveStore.ArchiveSet> complete = state.sets().stream().filter(ArchiveStore.ArchiveSet::complete).toList();
    if (state.sets().isEmpty()) {
      node.putNull("archive");
    } else {
      ObjectNode archive = node.putObject("archive");
      archive.put("sets", complete.size());
      archive.put("incomplete_sets", state.sets().size() - complete.size());
      archive.put("documents", complete.stream().mapToLong(set -> set.manifest().documents()).sum());
      archive.put("bytes", complete.stream().mapToLong(set -> set.manifest().bytes()).sum());
      archive.put("raw_bytes", complete.stream().mapToLong(set -> set.manifest().rawBytes()).sum());
      archive.put("verified", !complete.isEmpty() && complete.stream().allMatch(set -> set.verification() != null));
      if (!complete.isEmpty()) {
        Manifest last = complete.get(complete.size() - 1).manifest();
        archive.put("compression", last.compression().configName());
        archive.put("created_at", last.createdAt().toString());
        archive.put("min_time", last.minTime());
        archive.put("max_time", last.maxTime());
      }
    }
    node.put("documents", state.index() != null ? state.index().documents() : node.path("archive").path("documents").asLong(0));
    node.put("size_bytes", state.index() != null ? state.index().storeBytes() : node.path("archive").path("bytes").asLong(0));
    node.put("next_action", report.plan().next().json());
    if (report.plan().due() == null) {
      node.putNull("due");
    } else {
      node.put("due", report.plan().due().toString());
    }
    return node;
  }

  private ObjectNode report(LifecycleManager.RunReport report) {
    ObjectNode node = json.createObjectNode();
    node.put("started_at", report.startedAt().toString());
    node.put("finished_at", report.finishedAt().toString());
    if (report.skipped() != null) {
      node.put("skipped", report.skipped());
    }
    node.put("failures", report.failures());
    ArrayNode steps = node.putArray("actions");
    for (LifecycleManager.Step step : report.steps()) {
      steps.addObject().put("index", step.index()).put("action", step.action().json()).put("ok", step.ok()).put("message", step.message())
          .put("millis", step.millis());
    }
    return node;
  }

  /** The disk guard's status as {@code /health} and the lifecycle status show it. */
  public ObjectNode disk(DiskGuard.Status status) {
    ObjectNode node = json.createObjectNode();
    node.put("enabled", status.enabled());
    node.put("path", status.path());
    node.put("free_bytes", status.freeBytes());
    node.put("total_bytes", status.totalBytes());
    node.put("free_ratio", Double.isNaN(status.freeRatio()) ? 0 : Math.round(status.freeRatio() * 10_000) / 10_000.0);
    node.put("min_free", status.minFree());
    node.put("ingest_paused", status.paused());
    if (status.reason() != null) {
      node.put("reason", status.reason());
    }
    return node;
  }

  private static void duration(ObjectNode node, String key, Duration duration) {
    if (duration == null) {
      node.putNull(key);
    } else {
      node.put(key, Units.formatDuration(duration));
    }
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

  /** Stops the timer and the worker; a run in progress is interrupted and resumes on the next start. */
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

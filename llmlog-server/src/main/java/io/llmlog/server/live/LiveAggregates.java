package io.llmlog.server.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.core.LogField;
import io.llmlog.core.Timestamps;
import io.llmlog.server.ingest.IngestService;
import io.llmlog.server.pipeline.Event;
import io.llmlog.server.query.RollupStats;
import io.llmlog.server.query.kql.KqlParser;
import io.llmlog.server.store.EngineUnavailableException;
import io.llmlog.server.store.LogStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The brief's "关键指标使用流式计算实时聚合": every stored call, as ingest stored it, folded into one-minute
 * buckets per view and series (count, errors, tokens, cost, latency sketches), kept in memory for
 * {@link LiveSettings#retention()}, and published to the engine so that several servers see each
 * other's traffic.
 *
 * <p>Memory is bounded: at most {@code retention} minutes × views × {@code max_series_per_minute}
 * (+1 overflow) accumulators; calls older than the retention are not aggregated.
 *
 * <p>A stored record counts as a call when it carries the call's outcome ({@code latency_ms},
 * {@code level} or an {@code error}); a request-only part of a call sent in pieces adds nothing, so
 * a call sent as request + outcome counts once. A retried record the engine reports as {@code noop}
 * is not passed here at all.
 */
public final class LiveAggregates implements IngestService.StoredCallsListener {
  private static final Logger LOG = LogManager.getLogger(LiveAggregates.class);

  private final LiveSettings settings;
  private final List<View> views;
  private final Map<String, View> viewsById;
  private final RollupStore rollups;
  private final StatsRollups stats;
  private final Clock clock;
  private final String serverId;
  private final ConcurrentSkipListMap<Long, Minute> minutes = new ConcurrentSkipListMap<>();
  private final AtomicLong footprint = new AtomicLong();
  private final Counter calls;
  private final Counter tooOld;
  private final Counter overflowed;
  private final Counter publishFailures;
  private volatile boolean publishFailing;

  LiveAggregates(
      LiveSettings settings,
      List<ViewSpec> specs,
      RollupStore rollups,
      Clock clock,
      MeterRegistry meters,
      String serverId) {
    this(settings, specs, rollups, null, clock, meters, serverId);
  }

  LiveAggregates(
      LiveSettings settings,
      List<ViewSpec> specs,
      RollupStore rollups,
      StatsRollups stats,
      Clock clock,
      MeterRegistry meters,
      String serverId) {
    this.settings = settings;
    KqlParser kql = new KqlParser();
    List<View> compiled = new ArrayList<>();
    Map<String, View> byId = new LinkedHashMap<>();
    for (ViewSpec spec : specs) {
      View view = new View(spec, kql);
      if (byId.putIfAbsent(view.id, view) != null) {
        throw new IllegalArgumentException("two views with the same filter and grouping: " + spec);
      }
      compiled.add(view);
    }
    this.views = List.copyOf(compiled);
    this.viewsById = Map.copyOf(byId);
    this.rollups = rollups;
    this.stats = stats;
    this.clock = clock;
    this.serverId = serverId;
    this.calls =
        Counter.builder("llmlog.live.calls")
            .description("Stored calls folded into the live aggregates (records, not weights)")
            .register(meters);
    this.tooOld =
        Counter.builder("llmlog.live.skipped")
            .tag("reason", "older_than_retention")
            .description("Stored calls not aggregated live")
            .register(meters);
    this.overflowed =
        Counter.builder("llmlog.live.overflow")
            .description(
                "Calls counted in a view's 'other' series because the minute had max_series_per_minute series")
            .register(meters);
    this.publishFailures =
        Counter.builder("llmlog.live.rollups.failed")
            .description("Rollup publications the engine did not take")
            .register(meters);
    Gauge.builder("llmlog.live.memory.bytes", footprint, AtomicLong::get)
        .description("Estimated heap held by the live aggregates, updated at each publication")
        .register(meters);
  }

  /**
   * Live aggregates that publish to and read from the engine.
   *
   * @param views the dashboard's view first, then what the alert rules need
   */
  public static LiveAggregates create(
      LiveSettings settings,
      List<ViewSpec> views,
      LogStore store,
      ObjectMapper json,
      Clock clock,
      MeterRegistry meters,
      String serverId) {
    return new LiveAggregates(
        settings,
        views,
        store == null ? null : new RollupStore(store, json, serverId),
        store == null ? null : new StatsRollups(store, json, clock, meters),
        clock,
        meters,
        serverId);
  }

  public LiveSettings settings() {
    return settings;
  }

  /** The views, the dashboard's first. */
  public List<ViewSpec> views() {
    return views.stream().map(view -> view.spec).toList();
  }

  public String serverId() {
    return serverId;
  }

  /** The stats' durable rollups, or null without an engine. */
  public RollupStats statsRollups() {
    return stats;
  }

  @Override
  public void stored(List<Event> stored) {
    long now = epochMinute(clock.instant());
    long oldest = now - retentionMinutes() + 1;
    for (Event event : stored) {
      if (!countsAsCall(event)) {
        continue;
      }
      double weight = weight(event);
      if (weight <= 0) {
        continue;
      }
      long minute = Math.min(now, epochMinute(timestamp(event, clock)));
      if (minute < oldest) {
        tooOld.increment();
        continue;
      }
      calls.increment();
      add(minute, event, weight);
    }
  }

  private void add(long minute, Event event, double weight) {
    double[] values = new double[Accumulator.NUMERIC.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = number(event.get(Accumulator.NUMERIC.get(i).jsonName()));
    }
    boolean error = isError(event);
    Minute bucket = minutes.computeIfAbsent(minute, Minute::new);
    for (View view : views) {
      if (!view.filter.matches(event::get)) {
        continue;
      }
      List<String> key = new ArrayList<>(view.spec.groupBy().size());
      for (String field : view.spec.groupBy()) {
        String value = event.getString(field);
        key.add(value == null || value.isEmpty() ? SeriesKey.NONE : value);
      }
      List<String> matched = new ArrayList<>(view.counted.size());
      view.counted.forEach(
          (filter, matcher) -> {
            if (matcher.matches(event::get)) {
              matched.add(filter);
            }
          });
      if (bucket.add(
          view,
          new SeriesKey(key, false),
          settings.maxSeriesPerMinute(),
          weight,
          error,
          matched,
          values)) {
        overflowed.increment();
      }
    }
  }

  /**
   * Drops minutes past the retention and writes the series that changed since the last call to the
   * engine. A failed write is retried at the next call.
   *
   * @return true when everything changed is in the engine
   */
  public boolean publish() {
    Instant now = clock.instant();
    minutes.headMap(epochMinute(now) - retentionMinutes() + 1).clear();
    long bytes = 0;
    for (Minute minute : minutes.values()) {
      bytes += minute.footprintBytes();
    }
    footprint.set(bytes);
    if (stats != null) {
      stats.seal();
    }
    if (rollups == null) {
      return true;
    }
    List<RollupStore.Rollup> dirty = new ArrayList<>();
    for (Minute minute : minutes.values()) {
      for (Minute.Entry entry : minute.takeDirty()) {
        dirty.add(
            new RollupStore.Rollup(
                entry.view(), minute.epochMinute, entry.series(), entry.accumulator()));
      }
    }
    List<RollupStore.Rollup> failed;
    try {
      failed = rollups.write(dirty, now);
    } catch (RuntimeException e) {
      failed = dirty;
      if (!publishFailing) {
        LOG.warn(
            "cannot publish live rollups to the search engine (other servers' alert rules miss this server's traffic until it works again): {}",
            e.getMessage());
      }
    }
    for (RollupStore.Rollup rollup : failed) {
      Minute minute = minutes.get(rollup.epochMinute());
      if (minute != null) {
        minute.markDirty(rollup.view(), rollup.series());
      }
    }
    publishFailures.increment(failed.isEmpty() ? 0 : 1);
    publishFailing = !failed.isEmpty();
    return failed.isEmpty();
  }

  /** Removes rollup indices of days before {@code day} from the engine. */
  public void deleteRollupsBefore(Instant day) {
    if (rollups != null) {
      rollups.deleteBefore(day);
    }
  }

  /**
   * The last {@code lookBackMinutes} minutes (the current one included) of every view, this
   * server's from memory and the others' from the engine.
   *
   * @param includeOthers false to read this server's memory only
   * @throws EngineUnavailableException when the other servers' rollups cannot be read
   */
  public Snapshot snapshot(int lookBackMinutes, boolean includeOthers) {
    Instant now = clock.instant();
    long to = epochMinute(now);
    long from = to - Math.min(lookBackMinutes, retentionMinutes()) + 1;
    Map<String, TreeMap<Long, Map<SeriesKey, Accumulator>>> data = new HashMap<>();
    for (Map.Entry<Long, Minute> entry : minutes.subMap(from, true, to, true).entrySet()) {
      for (View view : views) {
        for (Minute.Entry series : entry.getValue().series(view.id)) {
          merge(data, view.id, entry.getKey(), series.series(), series.accumulator());
        }
      }
    }
    boolean complete = true;
    if (includeOthers && rollups != null) {
      RollupStore.Read read = rollups.readOthers(viewsById.keySet(), from, to);
      for (RollupStore.Rollup rollup : read.rollups()) {
        if (viewsById.containsKey(rollup.view())) {
          merge(data, rollup.view(), rollup.epochMinute(), rollup.series(), rollup.accumulator());
        }
      }
      complete = read.complete();
    }
    return new Snapshot(now, to, data, complete);
  }

  private static void merge(
      Map<String, TreeMap<Long, Map<SeriesKey, Accumulator>>> data,
      String view,
      long minute,
      SeriesKey series,
      Accumulator accumulator) {
    data.computeIfAbsent(view, v -> new TreeMap<>())
        .computeIfAbsent(minute, m -> new HashMap<>())
        .merge(
            series,
            accumulator,
            (left, right) -> {
              left.merge(right);
              return left;
            });
  }

  /**
   * The dashboard's live numbers for {@code GET /api/v1/live}: per-minute totals and series of the
   * dashboard view over the last {@code minutes} minutes, all servers' traffic when the engine
   * answers (with the reason others' minutes are missing otherwise).
   */
  public LiveView report(int minutes) {
    Snapshot snapshot;
    String partial = null;
    try {
      snapshot = snapshot(minutes, true);
      if (!snapshot.complete()) {
        partial =
            "more than "
                + RollupStore.MAX_DOCUMENTS
                + " rollup documents; some other servers' minutes are missing";
      }
    } catch (EngineUnavailableException e) {
      snapshot = snapshot(minutes, false);
      partial = "other servers' traffic is missing: " + e.getMessage();
    }
    return new LiveReport(settings)
        .render(snapshot, views.get(0).spec, Math.min(minutes, retentionMinutes()), partial);
  }

  int retentionMinutes() {
    return (int) settings.retention().toMinutes();
  }

  static long epochMinute(Instant instant) {
    return Math.floorDiv(instant.getEpochSecond(), 60);
  }

  /** A call's outcome is in this record: not a request-only part of a call sent in pieces. */
  static boolean countsAsCall(Event event) {
    return event.has(LogField.LATENCY_MS.jsonName())
        || event.has(LogField.LEVEL.jsonName())
        || event.has("error");
  }

  /**
   * {@code level: error}, or an error type: the same calls as the KQL {@code level:error or
   * error.type:*}.
   */
  static boolean isError(Event event) {
    return "error".equals(event.getString(LogField.LEVEL.jsonName()))
        || event.has(LogField.ERROR_TYPE.jsonName());
  }

  static double weight(Event event) {
    double weight = number(event.get(LogField.SAMPLE_WEIGHT.jsonName()));
    return Double.isNaN(weight) ? 1.0 : weight;
  }

  private static Instant timestamp(Event event, Clock clock) {
    String text = event.getString(LogField.TIMESTAMP.jsonName());
    if (text == null) {
      return clock.instant();
    }
    try {
      return Timestamps.parse(text);
    } catch (RuntimeException unparsable) {
      return clock.instant();
    }
  }

  private static double number(Object value) {
    if (value instanceof Number number) {
      double d = number.doubleValue();
      return Double.isFinite(d) ? d : Double.NaN;
    }
    if (value instanceof String text) {
      try {
        double d = Double.parseDouble(text.trim());
        return Double.isFinite(d) ? d : Double.NaN;
      } catch (NumberFormatException notANumber) {
        return Double.NaN;
      }
    }
    return Double.NaN;
  }

  /** One series' aggregate over a window. */
  public record SeriesAggregate(
      Map<String, String> labels, boolean overflow, Aggregate aggregate) {}

  /** The minutes of every view up to {@link #now()}, merged across servers. */
  public static final class Snapshot {
    private final Instant now;
    private final long lastMinute;
    private final Map<String, TreeMap<Long, Map<SeriesKey, Accumulator>>> data;
    private final boolean complete;

    Snapshot(
        Instant now,
        long lastMinute,
        Map<String, TreeMap<Long, Map<SeriesKey, Accumulator>>> data,
        boolean complete) {
      this.now = now;
      this.lastMinute = lastMinute;
      this.data = data;
      this.complete = complete;
    }

    public Instant now() {
      return now;
    }

    /** False when some other servers' rollups could not be read (too many). */
    public boolean complete() {
      return complete;
    }

    /**
     * The series of a view over the last {@code windowMinutes} minutes (the current, partial one
     * included), each merged over those minutes; all series merged into one when {@code
     * mergeSeries}.
     */
    public List<SeriesAggregate> window(ViewSpec view, boolean mergeSeries, int windowMinutes) {
      Map<SeriesKey, Accumulator> merged = new LinkedHashMap<>();
      TreeMap<Long, Map<SeriesKey, Accumulator>> byMinute =
          data.getOrDefault(view.id(), new TreeMap<>());
      for (Map<SeriesKey, Accumulator> series :
          byMinute.subMap(lastMinute - windowMinutes + 1, true, lastMinute, true).values()) {
        series.forEach(
            (key, accumulator) ->
                merged
                    .computeIfAbsent(mergeSeries ? SeriesKey.ALL : key, k -> new Accumulator())
                    .merge(accumulator));
      }
      List<SeriesAggregate> result = new ArrayList<>();
      merged.forEach(
          (key, accumulator) ->
              result.add(
                  new SeriesAggregate(
                      mergeSeries ? Map.of() : key.labels(view.groupBy()),
                      key.overflow(),
                      accumulator)));
      return result;
    }

    /**
     * Per minute, oldest first: the series of a view in that minute. Minutes without calls are
     * absent.
     */
    Map<Long, Map<SeriesKey, Accumulator>> minutes(ViewSpec view, int windowMinutes) {
      return data.getOrDefault(view.id(), new TreeMap<>())
          .subMap(lastMinute - windowMinutes + 1, true, lastMinute, true);
    }

    long lastMinute() {
      return lastMinute;
    }
  }

  @Override
  public String toString() {
    return "LiveAggregates["
        + views.size()
        + " views, "
        + minutes.size()
        + " minutes, ~"
        + footprint.get()
        + " bytes]";
  }
}

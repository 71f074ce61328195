package io.llmlog.server.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.core.LogField;
import io.llmlog.server.query.RollupStats;
import io.llmlog.server.query.Stats;
import io.llmlog.server.store.CallColumns;
import io.llmlog.server.store.LogStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * {@code /api/v1/stats} and the overview from durable rollups: per {@value #UNIT_MINUTES}-minute
 * unit, the calls' weighted counts, errors, token and cost sums and latency/TTFT sketches (one
 * {@link Accumulator} each), in total and per value of each of {@link #DIMENSIONS}.
 *
 * <p><b>Exact by construction.</b> A unit is rolled up from the calls in the index (their column
 * values, see {@link io.llmlog.server.store.CallColumns}), folded as the engine's aggregations
 * count them, never from one server's stream: parts of a call merged into one document, re-sent
 * calls and calls of other servers are all in the index once. Each answer first counts the calls
 * per unit (one {@code date_histogram}, no sub-aggregations) and takes a unit's rollup only when it
 * holds as many calls; a unit without a rollup (a restored day, a new deployment) or with a
 * different count (calls that arrived late) is read from the calls for this answer and rolled up
 * again. The ragged ends of the window, and the units that ended less than {@link #SETTLE} ago, are
 * always read from the calls. Known limit: a call changed in place after its unit was rolled up,
 * without a change of count (the response part of a call merged minutes after its request part),
 * keeps its old values in the rollup until the unit's count changes.
 *
 * <p><b>Bounded.</b> An answer reads at most {@link #MAX_ANSWER_READ} calls from the index; beyond,
 * it is declined (the stats read the index) and the window is handed to the next sealing round,
 * which reads at most {@link #MAX_SEAL_READ} calls a minute, oldest units first.
 *
 * <p>Thread-safe: answers keep no state; {@link #seal} runs on the alert evaluator's thread.
 */
public final class StatsRollups implements RollupStats {
  static final int UNIT_MINUTES = 5;
  static final long UNIT = UNIT_MINUTES * 60_000L;

  /** The grouping fields rolled up: the dashboard's low-cardinality keywords. */
  static final List<String> DIMENSIONS =
      List.of(
          LogField.MODEL.jsonName(),
          LogField.PROVIDER.jsonName(),
          LogField.SERVICE.jsonName(),
          LogField.ENVIRONMENT.jsonName(),
          LogField.LEVEL.jsonName(),
          LogField.STOP_REASON.jsonName());

  /** A unit is rolled up once it ended this long ago: the parts of its calls have arrived. */
  static final Duration SETTLE = Duration.ofMinutes(2);

  static final long MAX_ANSWER_READ = 50_000;

  /**
   * Calls a sealing round reads: it runs on the alert evaluator's thread, so a backlog (a first
   * start on a year of calls) is worked off a few seconds a minute rather than in one long pause.
   */
  static final long MAX_SEAL_READ = 50_000;

  /** Calls are read in at most this many time ranges per search (the engine's clause limit). */
  static final int MAX_RANGES = 500;

  static final Duration SEAL_EVERY = Duration.ofMinutes(1);

  /** How far back each sealing round checks the units. */
  static final Duration SEAL_BACK = Duration.ofHours(25);

  static final Duration ORPHANS_EVERY = Duration.ofHours(1);

  private static final Logger LOG = LogManager.getLogger(StatsRollups.class);
  private static final String LATENCY = LogField.LATENCY_MS.jsonName();
  private static final String TTFT = LogField.TTFT_MS.jsonName();
  private static final List<String> FIELDS = UnitFold.fields(DIMENSIONS);

  private final DurableRollups documents;
  private final CallColumns calls;
  private final Clock clock;
  private final Counter rebuilt;
  private final Counter declined;
  private final AtomicReference<long[]> pending = new AtomicReference<>();
  private Instant nextSeal;
  private Instant nextOrphans;
  private boolean sealFailing;

  StatsRollups(LogStore store, ObjectMapper json, Clock clock, MeterRegistry meters) {
    this.documents = new DurableRollups(store, json);
    this.calls = store.callColumns();
    this.clock = clock;
    this.rebuilt =
        Counter.builder("llmlog.stats.rollups.rebuilt")
            .description("Rollup units written from the calls in the index")
            .register(meters);
    this.declined =
        Counter.builder("llmlog.stats.rollups.declined")
            .description("Stats questions without a filter answered from the index instead")
            .register(meters);
  }

  @Override
  public Stats answer(
      Instant from, Instant to, String by, int groups, String interval, Duration width) {
    if (!DIMENSIONS.contains(by) || (width != null && width.toMillis() % UNIT != 0)) {
      declined.increment();
      return null;
    }
    long start = from.toEpochMilli();
    long end = to.toEpochMilli() + 1;
    long first = Math.min(Math.ceilDiv(start, UNIT) * UNIT, end);
    long last = Math.max(first, Math.min(Math.floorDiv(end, UNIT) * UNIT, sealedEnd()));
    Plan plan = plan(first, last, by);
    List<CallColumns.Range> ranges = new ArrayList<>();
    add(ranges, start, first);
    plan.stale().keySet().forEach(unit -> add(ranges, unit, unit + UNIT));
    add(ranges, last, end);
    Map<Long, UnitFold> folded = new TreeMap<>();
    if (plan.overflowing()
        || ranges.size() > MAX_RANGES
        || !calls.read(ranges, FIELDS, MAX_ANSWER_READ, call -> fold(folded, call))) {
      pending.set(new long[] {first, last});
      declined.increment();
      return null;
    }
    Map<Long, UnitFold> read = new TreeMap<>();
    folded.forEach((unit, fold) -> read.put(unit, fold.binned()));
    if (read.values().stream().anyMatch(unit -> unit.overflowing.contains(by))) {
      declined.increment();
      return null;
    }
    List<UnitFold> again = new ArrayList<>();
    plan.stale().keySet().forEach(unit -> again.add(read.computeIfAbsent(unit, UnitFold::new)));
    write(again);

    Answer answer = new Answer(by, width == null ? 0 : width.toMillis());
    plan.units().forEach((unit, fold) -> answer.add(plan.stale().containsKey(unit) ? null : fold));
    read.values().forEach(answer::add);
    return answer.stats(from, to, groups, interval);
  }

  /**
   * Rolls up, from the calls, the units of the last {@link #SEAL_BACK} (and of the last window an
   * answer declined) that have no rollup or one that no longer adds up, at most {@link
   * #MAX_SEAL_READ} calls a round; and once an hour deletes the rollups of days whose calls are
   * gone. Does nothing until {@link #SEAL_EVERY} has passed since the last round.
   */
  void seal() {
    Instant now = clock.instant();
    if (nextSeal != null && now.isBefore(nextSeal)) {
      return;
    }
    nextSeal = now.plus(SEAL_EVERY);
    try {
      long used =
          rollUp(
              Math.floorDiv(now.minus(SEAL_BACK).toEpochMilli(), UNIT) * UNIT,
              sealedEnd(),
              MAX_SEAL_READ);
      long[] asked = pending.getAndSet(null);
      if (asked != null && (used < 0 || rollUp(asked[0], asked[1], MAX_SEAL_READ - used) < 0)) {
        pending.compareAndSet(null, asked);
      }
      if (nextOrphans == null || !now.isBefore(nextOrphans)) {
        nextOrphans = now.plus(ORPHANS_EVERY);
        documents.deleteOrphans();
      }
      sealFailing = false;
    } catch (RuntimeException e) {
      if (!sealFailing) {
        LOG.warn(
            "cannot roll up the stats (they are answered from the calls until it works again): {}",
            e.getMessage());
      }
      sealFailing = true;
    }
  }

  /**
   * Rolls up the stale units of {@code [first, last)}, oldest first, as many as {@code budget}
   * calls allow.
   *
   * @return the calls read, negated when some stale units were left for later
   */
  private long rollUp(long first, long last, long budget) {
    Plan plan = plan(first, last, null);
    List<CallColumns.Range> ranges = new ArrayList<>();
    long calls = 0;
    boolean all = true;
    for (Map.Entry<Long, Long> unit : plan.stale().entrySet()) {
      // A unit with more calls than the whole budget is still taken alone, or it never would be.
      if (!ranges.isEmpty() && (calls + unit.getValue() > budget || ranges.size() >= MAX_RANGES)) {
        all = false;
        break;
      }
      calls += unit.getValue();
      add(ranges, unit.getKey(), unit.getKey() + UNIT);
    }
    if (ranges.isEmpty()) {
      return 0;
    }
    Map<Long, UnitFold> read = new TreeMap<>();
    long[] seen = new long[1];
    this.calls.read(
        ranges,
        FIELDS,
        Long.MAX_VALUE,
        call -> {
          seen[0]++;
          fold(read, call);
        });
    List<UnitFold> again = new ArrayList<>();
    for (CallColumns.Range range : ranges) {
      for (long unit = range.from().toEpochMilli();
          unit < range.to().toEpochMilli();
          unit += UNIT) {
        again.add(read.computeIfAbsent(unit, UnitFold::new));
      }
    }
    write(again);
    return all ? seen[0] : -Math.max(1, seen[0]);
  }

  /**
   * The rollups of the whole units {@code [first, last)} and the units whose rollup does not hold
   * the calls the index counts there (by start, with that count).
   */
  private Plan plan(long first, long last, String dimension) {
    if (first >= last) {
      return new Plan(Map.of(), new TreeMap<>(), false);
    }
    Map<Long, Long> counts =
        calls.countsPerSlice(Instant.ofEpochMilli(first), Instant.ofEpochMilli(last), UNIT_MINUTES);
    DurableRollups.Stored stored = documents.read(first, last, dimension);
    TreeMap<Long, Long> stale = new TreeMap<>();
    boolean overflowing = false;
    for (long unit = first; unit < last; unit += UNIT) {
      long count = counts.getOrDefault(unit, 0L);
      UnitFold rollup = stored.units().get(unit);
      boolean holds =
          rollup == null
              ? count == 0
              : rollup.total.stored() == count && !stored.incomplete().contains(unit);
      if (!holds) {
        stale.put(unit, count);
      } else if (rollup != null && rollup.overflowing.contains(dimension)) {
        overflowing = true;
      }
    }
    return new Plan(stored.units(), stale, overflowing);
  }

  /**
   * @param units the rollups read, by unit start
   * @param stale the units to read from the calls, by start, with the calls the index counts there
   * @param overflowing true when a unit has too many values of the asked field to keep them
   */
  private record Plan(Map<Long, UnitFold> units, TreeMap<Long, Long> stale, boolean overflowing) {}

  private void write(List<UnitFold> units) {
    if (!units.isEmpty()) {
      rebuilt.increment(documents.write(units, DIMENSIONS, clock.instant()));
    }
  }

  private static void fold(Map<Long, UnitFold> units, Map<String, Object> call) {
    if (call.get(LogField.TIMESTAMP.jsonName()) instanceof Long time) {
      units.computeIfAbsent(Math.floorDiv(time, UNIT) * UNIT, UnitFold::new).add(call, DIMENSIONS);
    }
  }

  /** Adds {@code [from, to)} to the ranges, joined to the last one when they touch. */
  private static void add(List<CallColumns.Range> ranges, long from, long to) {
    if (from >= to) {
      return;
    }
    if (!ranges.isEmpty() && ranges.get(ranges.size() - 1).to().toEpochMilli() == from) {
      CallColumns.Range joined = ranges.remove(ranges.size() - 1);
      ranges.add(new CallColumns.Range(joined.from(), Instant.ofEpochMilli(to)));
      return;
    }
    ranges.add(new CallColumns.Range(Instant.ofEpochMilli(from), Instant.ofEpochMilli(to)));
  }

  /** The start of the first unit not yet settled. */
  private long sealedEnd() {
    return Math.floorDiv(clock.instant().minus(SETTLE).toEpochMilli(), UNIT) * UNIT;
  }

  /** The units and parts of units of one answer, merged into its totals, groups and buckets. */
  private static final class Answer {
    private final String by;
    private final long width;
    private final Accumulator total = new Accumulator();
    private final Map<Long, Accumulator> buckets = new HashMap<>();
    private final Map<String, Accumulator> groups = new HashMap<>();
    private final Map<String, Map<Long, Accumulator>> groupBuckets = new HashMap<>();

    Answer(String by, long width) {
      this.by = by;
      this.width = width;
    }

    void add(UnitFold unit) {
      if (unit == null) {
        return;
      }
      long bucket = width == 0 ? 0 : Math.floorDiv(unit.start, width) * width;
      total.merge(unit.total);
      buckets.computeIfAbsent(bucket, b -> new Accumulator()).merge(unit.total);
      unit.values
          .getOrDefault(by, Map.of())
          .forEach(
              (value, accumulator) -> {
                groups.computeIfAbsent(value, v -> new Accumulator()).merge(accumulator);
                groupBuckets
                    .computeIfAbsent(value, v -> new HashMap<>())
                    .computeIfAbsent(bucket, b -> new Accumulator())
                    .merge(accumulator);
              });
    }

    /** As the engine answers: the largest groups by weighted calls, ties by key; every bucket. */
    Stats stats(Instant from, Instant to, int size, String interval) {
      List<Map.Entry<String, Accumulator>> largest =
          groups.entrySet().stream()
              .sorted(
                  Comparator.comparingDouble(
                          (Map.Entry<String, Accumulator> e) -> -e.getValue().count())
                      .thenComparing(Map.Entry::getKey))
              .limit(size)
              .toList();
      List<Stats.Group> list = new ArrayList<>();
      double inGroups = 0;
      for (Map.Entry<String, Accumulator> group : largest) {
        inGroups += group.getValue().count();
        list.add(
            new Stats.Group(
                group.getKey(),
                metrics(group.getValue()),
                buckets(from, to, groupBuckets.get(group.getKey()))));
      }
      return new Stats(
          from,
          to,
          by,
          interval,
          total.weightsVary(),
          metrics(total),
          buckets(from, to, buckets),
          list,
          Math.max(0, total.count() - inGroups),
          Stats.Computed.ROLLUPS);
    }

    /** Every bucket from the one holding {@code from} to the one holding {@code to}. */
    private List<Stats.Bucket> buckets(Instant from, Instant to, Map<Long, Accumulator> filled) {
      List<Stats.Bucket> list = new ArrayList<>();
      if (width == 0) {
        return list;
      }
      long last = Math.floorDiv(to.toEpochMilli(), width) * width;
      for (long start = Math.floorDiv(from.toEpochMilli(), width) * width;
          start <= last;
          start += width) {
        Accumulator accumulator = filled.get(start);
        list.add(
            new Stats.Bucket(
                Instant.ofEpochMilli(start),
                metrics(accumulator == null ? new Accumulator() : accumulator)));
      }
      return list;
    }
  }

  private static Stats.Metrics metrics(Accumulator a) {
    double calls = a.count();
    double errors = a.errors();
    return new Stats.Metrics(
        calls,
        a.stored(),
        errors,
        calls > 0 ? errors / calls : null,
        finite(a.avg(LATENCY)),
        finite(a.percentile(LATENCY, 50)),
        finite(a.percentile(LATENCY, 95)),
        finite(a.percentile(LATENCY, 99)),
        finite(a.percentile(TTFT, 50)),
        finite(a.percentile(TTFT, 95)),
        a.sum(LogField.INPUT_TOKENS.jsonName()),
        a.sum(LogField.OUTPUT_TOKENS.jsonName()),
        a.sum(LogField.COST_USD.jsonName()),
        finite(a.avg(LogField.TOKENS_PER_SECOND.jsonName())));
  }

  private static Double finite(double value) {
    return Double.isFinite(value) ? value : null;
  }
}

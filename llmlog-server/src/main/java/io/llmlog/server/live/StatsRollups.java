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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * {@code /api/v1/stats} and the overview from durable rollups: per {@link RollupUnit} (a minute,
 * and coarser units up to a day made of them), the calls' weighted counts, errors, token and cost
 * sums and latency/TTFT sketches (one {@link Accumulator} each), in total and per value of each of
 * {@link #DIMENSIONS}. An answer covers its window with the widest units that fit ({@link
 * RollupUnit#cover}): a day is one document per field, 24 hours about sixty, whatever the number of
 * calls.
 *
 * <p><b>Exact by construction.</b> A minute is rolled up from the calls in the index (their column
 * values, see {@link io.llmlog.server.store.CallColumns}), folded as the engine's aggregations
 * count them, never from one server's stream: parts of a call merged into one document, re-sent
 * calls and calls of other servers are all in the index once; a coarser unit is the sum of its
 * finer ones. Each answer first counts the calls of each unit it would read (one {@code date_range}
 * aggregation, no sub-aggregations) and takes a unit's rollup only when it holds as many calls; a
 * unit that does not (calls that arrived late, a restored day, a new deployment) is replaced by its
 * finer units, down to minutes, and a minute without a rollup that holds is read from the calls for
 * this answer and rolled up again. The ragged ends of the window (under a minute each), and the
 * minutes that ended less than {@link #SETTLE} ago, are always read from the calls. Known limit: a
 * call changed in place after its minute was rolled up, without a change of count (the response
 * part of a call merged minutes after its request part), keeps its old values in the rollup until
 * the minute's count changes.
 *
 * <p><b>Bounded.</b> An answer reads at most {@link #MAX_ANSWER_READ} calls from the index; beyond,
 * it is declined (the stats read the index) and the window is handed to the next sealing round,
 * which reads at most {@link #MAX_SEAL_READ} calls a minute, oldest minutes first, and builds the
 * coarser units whose finer ones are all there.
 *
 * <p>Thread-safe: answers keep no state; {@link #seal} runs on the alert evaluator's thread.
 */
public final class StatsRollups implements RollupStats {
  static final long MINUTE = RollupUnit.MINUTE;

  /** The grouping fields rolled up: the dashboard's low-cardinality keywords. */
  static final List<String> DIMENSIONS =
      List.of(
          LogField.MODEL.jsonName(),
          LogField.PROVIDER.jsonName(),
          LogField.SERVICE.jsonName(),
          LogField.ENVIRONMENT.jsonName(),
          LogField.LEVEL.jsonName(),
          LogField.STOP_REASON.jsonName());

  /** A minute is rolled up once it ended this long ago: the parts of its calls have arrived. */
  static final Duration SETTLE = Duration.ofMinutes(2);

  static final long MAX_ANSWER_READ = 50_000;

  /**
   * Calls a sealing round reads: it runs on the alert evaluator's thread, so a backlog (a first
   * start on a year of calls) is worked off a few seconds a minute rather than in one long pause.
   */
  static final long MAX_SEAL_READ = 50_000;

  /** Calls are read in at most this many time ranges per search (the engine's clause limit). */
  static final int MAX_RANGES = 500;

  /**
   * Units of one level an answer reads: a day of minutes. Beyond, it is declined (a restored week
   * first asked for would descend to 10,000 minutes: 70,000 documents asked by key, more than the
   * engine takes in one query, and over a gigabyte of sketches) and the window is handed to the
   * sealing rounds, which work a day at a time.
   */
  static final int MAX_UNITS_READ = 1_440;

  static final Duration SEAL_EVERY = Duration.ofMinutes(1);

  /** How far back each sealing round checks the units. */
  static final Duration SEAL_BACK = Duration.ofHours(25);

  static final Duration ORPHANS_EVERY = Duration.ofHours(1);

  private static final Logger LOG = LogManager.getLogger(StatsRollups.class);
  private static final String LATENCY = LogField.LATENCY_MS.jsonName();
  private static final String TTFT = LogField.TTFT_MS.jsonName();

  /**
   * Where an answer's independent searches run beside each other (each waits on the engine): a
   * virtual thread each.
   */
  private static final Executor CONCURRENTLY = task -> Thread.ofVirtual().start(task);

  private final DurableRollups documents;
  private final CallColumns calls;
  private final Clock clock;
  private final Counter rebuilt;
  private final Counter merged;
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
            .description("Rollup minutes written from the calls in the index")
            .register(meters);
    this.merged =
        Counter.builder("llmlog.stats.rollups.merged")
            .description("Rollup units coarser than a minute written from their finer units")
            .register(meters);
    this.declined =
        Counter.builder("llmlog.stats.rollups.declined")
            .description("Stats questions without a filter answered from the index instead")
            .register(meters);
  }

  @Override
  public Stats answer(
      Instant from, Instant to, String by, int groups, String interval, Duration width) {
    if (!DIMENSIONS.contains(by) || (width != null && width.toMillis() % MINUTE != 0)) {
      declined.increment();
      return null;
    }
    long start = from.toEpochMilli();
    long end = to.toEpochMilli() + 1;
    long first = Math.min(Math.ceilDiv(start, MINUTE) * MINUTE, end);
    long last = Math.max(first, Math.min(Math.floorDiv(end, MINUTE) * MINUTE, sealedEnd()));
    long bucket = width == null ? 0 : width.toMillis();
    List<CallColumns.Range> ragged = new ArrayList<>();
    add(ragged, start, first);
    add(ragged, last, end);
    // The ragged ends (with the asked field only) are read while the rollups are.
    Map<Long, UnitFold> read = new TreeMap<>();
    CompletableFuture<Boolean> raggedRead =
        CompletableFuture.supplyAsync(
            () ->
                calls.read(
                    ragged, UnitFold.fields(List.of(by)), MAX_ANSWER_READ, c -> fold(read, c)),
            CONCURRENTLY);
    Resolved resolved = resolve(RollupUnit.cover(first, last, bucket), List.of(by));
    boolean raggedWhole = join(raggedRead);
    if (resolved == null
        || resolved.held().values().stream().anyMatch(unit -> unit.overflowing.contains(by))
        || resolved.stale().values().stream().mapToLong(Long::longValue).sum() > MAX_ANSWER_READ) {
      pending.set(new long[] {first, last});
      declined.increment();
      return null;
    }
    List<CallColumns.Range> stale = new ArrayList<>();
    resolved.stale().keySet().forEach(minute -> add(stale, minute, minute + MINUTE));
    // Stale minutes with every field, since they are written back.
    if (!raggedWhole
        || stale.size() > MAX_RANGES
        || !calls.read(stale, UnitFold.fields(DIMENSIONS), MAX_ANSWER_READ, c -> fold(read, c))) {
      pending.set(new long[] {first, last});
      declined.increment();
      return null;
    }
    if (read.values().stream().anyMatch(unit -> unit.overflowing.contains(by))) {
      declined.increment();
      return null;
    }
    List<UnitFold> again = new ArrayList<>();
    resolved
        .stale()
        .keySet()
        .forEach(
            minute ->
                again.add(
                    read.computeIfAbsent(minute, m -> new UnitFold(new RollupUnit(m, MINUTE)))));
    writeMinutes(again);
    if (!resolved.replaced().isEmpty()) {
      // The coarser units that no longer hold are written again by the next sealing round.
      pending.set(new long[] {first, last});
    }

    Answer answer = new Answer(by, bucket);
    resolved.held().values().forEach(answer::add);
    read.values().forEach(answer::add);
    return answer.stats(from, to, groups, interval);
  }

  /**
   * Rolls up, from the calls, the minutes of the last {@link #SEAL_BACK} (and of the last window an
   * answer declined or found outdated) that have no rollup or one that no longer adds up, at most
   * {@link #MAX_SEAL_READ} calls a round, and builds the coarser units made of them; once an hour
   * deletes the rollups of days whose calls are gone. Does nothing until {@link #SEAL_EVERY} has
   * passed since the last round.
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
              Math.floorDiv(now.minus(SEAL_BACK).toEpochMilli(), MINUTE) * MINUTE,
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
   * Rolls up the stale minutes of {@code [first, last)}, oldest first, as many as {@code budget}
   * calls allow, and the coarser units made of them: a day at a time, since no unit spans two days
   * and a day's minutes with their sketches are what one round should hold in memory (a week
   * restored at once is over a gigabyte of them).
   *
   * @return the calls read, negated when some stale minutes were left for later
   */
  private long rollUp(long first, long last, long budget) {
    long used = 0;
    for (long from = first; from < last; ) {
      if (used >= budget) {
        return -Math.max(1, used);
      }
      long to =
          Math.min(last, Math.floorDiv(from, RollupUnit.DAY) * RollupUnit.DAY + RollupUnit.DAY);
      long read = rollUpDay(from, to, budget - used);
      if (read < 0) {
        return read - used;
      }
      used += read;
      from = to;
    }
    return used;
  }

  /**
   * Rolls up the stale minutes of {@code [first, last)} (within one day), oldest first, as many as
   * {@code budget} calls allow, then writes every coarser unit there that did not hold and whose
   * finer units now all do, finest first.
   *
   * @return the calls read, negated when some stale minutes were left for later
   */
  private long rollUpDay(long first, long last, long budget) {
    if (first >= last) {
      return 0;
    }
    Resolved resolved = resolve(RollupUnit.cover(first, last, 0), DIMENSIONS);
    if (resolved == null) {
      throw new IllegalStateException("more than a day's minutes in one sealing step");
    }
    List<CallColumns.Range> ranges = new ArrayList<>();
    List<Long> taken = new ArrayList<>();
    long calls = 0;
    boolean all = true;
    for (Map.Entry<Long, Long> minute : resolved.stale().entrySet()) {
      // A minute with more calls than the whole budget is still taken alone, or it never would be.
      if (!taken.isEmpty() && (calls + minute.getValue() > budget || ranges.size() >= MAX_RANGES)) {
        all = false;
        break;
      }
      calls += minute.getValue();
      taken.add(minute.getKey());
      add(ranges, minute.getKey(), minute.getKey() + MINUTE);
    }
    Map<Long, UnitFold> read = new TreeMap<>();
    long[] seen = new long[1];
    this.calls.read(
        ranges,
        UnitFold.fields(DIMENSIONS),
        Long.MAX_VALUE,
        call -> {
          seen[0]++;
          fold(read, call);
        });
    Map<RollupUnit, UnitFold> there = new HashMap<>(resolved.held());
    List<UnitFold> again = new ArrayList<>();
    for (long minute : taken) {
      UnitFold unit = read.computeIfAbsent(minute, m -> new UnitFold(new RollupUnit(m, MINUTE)));
      again.add(unit);
      there.put(unit.unit, unit);
    }
    writeMinutes(again);
    List<UnitFold> coarser = new ArrayList<>();
    List<RollupUnit> replaced = new ArrayList<>(resolved.replaced());
    replaced.sort(Comparator.comparingLong(RollupUnit::width));
    for (RollupUnit unit : replaced) {
      List<RollupUnit> parts = unit.children();
      if (parts.stream().allMatch(there::containsKey)) {
        UnitFold whole = new UnitFold(unit);
        parts.forEach(part -> whole.merge(there.get(part)));
        there.put(unit, whole);
        coarser.add(whole);
      }
    }
    if (!coarser.isEmpty()) {
      merged.increment(documents.write(coarser, DIMENSIONS, clock.instant()));
    }
    return all ? seen[0] : -Math.max(1, seen[0]);
  }

  /**
   * Which of some units hold (their rollup has as many calls as the index counts there; a unit
   * without calls holds without one), the units replaced by their finer ones because they did not,
   * and the minutes that did not, with the calls the index counts there. One count and one read of
   * rollups per level descended; usually one.
   *
   * @param dimensions the fields whose values the held units are read with
   * @return null when a level has more than {@link #MAX_UNITS_READ} units (never within a day)
   */
  private Resolved resolve(List<RollupUnit> units, List<String> dimensions) {
    Map<RollupUnit, UnitFold> held = new HashMap<>();
    TreeMap<Long, Long> stale = new TreeMap<>();
    List<RollupUnit> replaced = new ArrayList<>();
    List<RollupUnit> asked = units;
    while (!asked.isEmpty()) {
      if (asked.size() > MAX_UNITS_READ) {
        return null;
      }
      List<CallColumns.Range> ranges = new ArrayList<>(asked.size());
      for (RollupUnit unit : asked) {
        ranges.add(
            new CallColumns.Range(
                Instant.ofEpochMilli(unit.start()), Instant.ofEpochMilli(unit.end())));
      }
      CompletableFuture<long[]> counting =
          CompletableFuture.supplyAsync(() -> calls.counts(ranges), CONCURRENTLY);
      DurableRollups.Stored stored = documents.read(asked, dimensions);
      long[] counts = join(counting);
      List<RollupUnit> finer = new ArrayList<>();
      for (int i = 0; i < asked.size(); i++) {
        RollupUnit unit = asked.get(i);
        UnitFold rollup = stored.units().get(unit);
        boolean holds =
            rollup == null
                ? counts[i] == 0
                : rollup.total.stored() == counts[i] && !stored.incomplete().contains(unit);
        if (holds) {
          held.put(unit, rollup == null ? new UnitFold(unit) : rollup);
        } else if (unit.width() == MINUTE) {
          stale.put(unit.start(), counts[i]);
        } else {
          replaced.add(unit);
          finer.addAll(unit.children());
        }
      }
      asked = finer;
    }
    return new Resolved(held, stale, replaced);
  }

  /**
   * @param held the units whose rollups hold, with them (empty for a unit without calls)
   * @param stale the minutes to read from the calls, by start, with the calls the index counts
   *     there
   * @param replaced the coarser units that did not hold, answered from their finer units
   */
  private record Resolved(
      Map<RollupUnit, UnitFold> held, TreeMap<Long, Long> stale, List<RollupUnit> replaced) {}

  /** The result of a search run beside another, its failure rethrown as it was. */
  private static <T> T join(CompletableFuture<T> search) {
    try {
      return search.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  private void writeMinutes(List<UnitFold> minutes) {
    if (!minutes.isEmpty()) {
      rebuilt.increment(documents.write(minutes, DIMENSIONS, clock.instant()));
    }
  }

  private static void fold(Map<Long, UnitFold> minutes, Map<String, Object> call) {
    if (call.get(LogField.TIMESTAMP.jsonName()) instanceof Long time) {
      minutes
          .computeIfAbsent(
              Math.floorDiv(time, MINUTE) * MINUTE, m -> new UnitFold(new RollupUnit(m, MINUTE)))
          .add(call, DIMENSIONS);
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

  /** The start of the first minute not yet settled. */
  private long sealedEnd() {
    return Math.floorDiv(clock.instant().minus(SETTLE).toEpochMilli(), MINUTE) * MINUTE;
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
      long bucket = width == 0 ? 0 : Math.floorDiv(unit.unit.start(), width) * width;
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

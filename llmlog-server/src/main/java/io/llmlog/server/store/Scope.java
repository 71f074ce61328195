package io.llmlog.server.store;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Which daily indices a search reads: the indices of some families, all of them or only the days of
 * a time window. Naming the days spares the engine a visit to every shard of every day kept (90
 * days of two families are 180 shards), which costs more than the search itself.
 *
 * <p>A document lives in the index of its own day, except the part of a call that came after
 * midnight and merged into a document of the day before; one day of margin on each side covers it.
 *
 * @param families the families searched, at least one
 * @param from the earliest time of interest, or null for every day kept
 * @param to the latest time of interest, or null for every day kept
 */
public record Scope(List<IndexFamily> families, Instant from, Instant to) {
  /**
   * Beyond this many days the family's pattern is sent instead of the names, which also keeps the
   * request line well within the engine's 4 KB.
   */
  static final int MAX_NAMED_DAYS = 31;

  static final Duration MARGIN = Duration.ofDays(1);

  public Scope {
    families = List.copyOf(families);
    if (families.isEmpty()) {
      throw new IllegalArgumentException("a scope needs a family");
    }
  }

  /** Every index of the families. */
  public static Scope all(IndexFamily... families) {
    return new Scope(List.of(families), null, null);
  }

  /** The days of a window (either end may be null: every day kept). */
  public static Scope window(Instant from, Instant to, IndexFamily... families) {
    return new Scope(List.of(families), from, to);
  }

  /** The same days in other families. */
  public Scope of(IndexFamily... others) {
    return new Scope(List.of(others), from, to);
  }

  /** The engine's index expression: day names ({@code llm-logs-2026.08.01,...}) or patterns. */
  String indices(String prefix) {
    List<String> names = new ArrayList<>();
    if (from == null || to == null) {
      families.forEach(family -> names.add(family.pattern(prefix)));
      return String.join(",", names);
    }
    Instant first = from.minus(MARGIN).truncatedTo(ChronoUnit.DAYS);
    Instant last = to.plus(MARGIN);
    if (Duration.between(first, last).toDays() > MAX_NAMED_DAYS) {
      families.forEach(family -> names.add(family.pattern(prefix)));
      return String.join(",", names);
    }
    for (IndexFamily family : families) {
      for (Instant day = first; !day.isAfter(last); day = day.plus(Duration.ofDays(1))) {
        names.add(family.index(prefix, day));
      }
    }
    return String.join(",", names);
  }

  /** The family an index of this scope belongs to, from its name. */
  IndexFamily familyOf(String index, String prefix) {
    for (IndexFamily family : families) {
      if (index.startsWith(prefix + family.stem())) {
        return family;
      }
    }
    throw new IllegalStateException(
        "the engine answered from " + index + ", which is not an index of " + families);
  }
}

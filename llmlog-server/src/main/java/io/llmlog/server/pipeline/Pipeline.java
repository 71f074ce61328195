package io.llmlog.server.pipeline;

import io.llmlog.core.InvalidFieldException;
import java.util.ArrayList;
import java.util.List;

/**
 * The ordered filters between ingest and store. Thread-safe: filters are stateless or safe for
 * concurrent use, and the counters are adders.
 */
public final class Pipeline {
  private final List<Filter> filters;
  private final List<FilterStats> stats;

  public Pipeline(List<Filter> filters) {
    this.filters = List.copyOf(filters);
    List<FilterStats> all = new ArrayList<>();
    for (int i = 0; i < this.filters.size(); i++) {
      all.add(new FilterStats(this.filters.get(i).name()));
    }
    this.stats = List.copyOf(all);
  }

  /** The filters' counters, in pipeline order. */
  public List<FilterStats> stats() {
    return stats;
  }

  /** The filters, in order. */
  public List<Filter> filters() {
    return filters;
  }

  /** Runs one event through every filter. */
  public Outcome process(Event event) {
    for (int i = 0; i < filters.size(); i++) {
      Filter filter = filters.get(i);
      FilterStats counters = stats.get(i);
      counters.countIn();
      boolean keep;
      try {
        keep = filter.apply(event);
      } catch (InvalidFieldException e) {
        // The record itself is wrong (an unreadable time, say): the sender is told which field, as
        // validation would; a dead letter is for what a filter cannot handle.
        counters.countFailed();
        return Outcome.rejected(filter.name(), e.field(), e.reason());
      } catch (RuntimeException | StackOverflowError e) {
        counters.countFailed();
        return Outcome.failed(filter.name(), describe(e));
      }
      if (!keep) {
        counters.countDropped();
        return Outcome.dropped(filter.name());
      }
      counters.countOut();
    }
    return Outcome.KEPT;
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /** What became of one event; {@code field} names the offending field of a rejected one. */
  public record Outcome(Kind kind, String filter, String field, String reason) {
    static final Outcome KEPT = new Outcome(Kind.KEPT, null, null, null);

    static Outcome dropped(String filter) {
      return new Outcome(Kind.DROPPED, filter, null, null);
    }

    static Outcome failed(String filter, String reason) {
      return new Outcome(Kind.FAILED, filter, null, reason);
    }

    static Outcome rejected(String filter, String field, String reason) {
      return new Outcome(Kind.REJECTED, filter, field, reason);
    }
  }

  /**
   * Kept for the store, dropped on purpose (sampled, filtered), rejected for a bad field (the
   * sender is told), or failed into the dead letters (a filter could not handle it).
   */
  public enum Kind {
    KEPT,
    DROPPED,
    REJECTED,
    FAILED
  }
}

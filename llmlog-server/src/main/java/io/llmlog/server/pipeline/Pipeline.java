package io.llmlog.server.pipeline;

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
      } catch (RuntimeException | StackOverflowError e) {
        counters.countFailed();
        return Outcome.failed(filter.name(), describe(e));
      }
      if (!keep) {
        counters.countDropped();
        return Outcome.DROPPED;
      }
      counters.countOut();
    }
    return Outcome.KEPT;
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /** What became of one event. */
  public record Outcome(Kind kind, String filter, String reason) {
    static final Outcome KEPT = new Outcome(Kind.KEPT, null, null);
    static final Outcome DROPPED = new Outcome(Kind.DROPPED, null, null);

    static Outcome failed(String filter, String reason) {
      return new Outcome(Kind.FAILED, filter, reason);
    }
  }

  /** Kept for the store, dropped on purpose (sampled, filtered), or failed into the dead letters. */
  public enum Kind {
    KEPT,
    DROPPED,
    FAILED
  }
}

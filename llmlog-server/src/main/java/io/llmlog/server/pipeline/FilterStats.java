package io.llmlog.server.pipeline;

import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one filter: in = out + dropped + failed. {@code failed} events went to the
 * dead-letter index.
 */
public final class FilterStats {
  private final String name;
  private final LongAdder in = new LongAdder();
  private final LongAdder out = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder failed = new LongAdder();

  FilterStats(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  public long in() {
    return in.sum();
  }

  public long out() {
    return out.sum();
  }

  public long dropped() {
    return dropped.sum();
  }

  public long failed() {
    return failed.sum();
  }

  void countIn() {
    in.increment();
  }

  void countOut() {
    out.increment();
  }

  void countDropped() {
    dropped.increment();
  }

  void countFailed() {
    failed.increment();
  }
}

package io.llmlog.client;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one destination of an {@link LlmLogger} (the server, or the log lines): what was
 * logged and what became of it. Read them live; they are never reset.
 *
 * <p>Every record handed to the logger ends in exactly one place, so, like zipkin's {@code
 * CollectorMetrics} (accepted − dropped = stored), the counters obey
 *
 * <pre>
 *   logged = delivered + dropped + unknown + queued
 * </pre>
 *
 * where {@code dropped} is the sum over every {@link DropReason}, {@link DropReason#SAMPLED_OUT}
 * included, {@code unknown} counts records of a request cut off by {@link LlmLogger#close}'s
 * deadline (the server may or may not have stored them), and {@code queued} counts records accepted
 * and not yet delivered or dropped, the batch being sent included. The counters are updated one at
 * a time, so the sum is exact whenever no {@code log()} call is running and the reporter is idle:
 * after {@link LlmLogger#flush} returns true, and always after {@link LlmLogger#close}. In between,
 * a reader may catch a record between two counters.
 */
public final class ReporterMetrics {
  private final LongAdder logged = new LongAdder();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong unknown = new AtomicLong();
  private final LongAdder retries = new LongAdder();
  private final LongAdder[] dropped = new LongAdder[DropReason.values().length];
  // The queue's bounds are enforced on these two, so they are exact, not sampled.
  final AtomicInteger queuedRecords = new AtomicInteger();
  final AtomicLong queuedBytes = new AtomicLong();

  ReporterMetrics() {
    for (int i = 0; i < dropped.length; i++) {
      dropped[i] = new LongAdder();
    }
  }

  /**
   * Records handed to the logger: {@code log()} and {@code logQuality()} calls, null ones included.
   */
  public long logged() {
    return logged.sum();
  }

  /** Records the destination took: written as a line, or accepted by the server. */
  public long delivered() {
    return delivered.get();
  }

  /** Records dropped, for every reason. */
  public long dropped() {
    long sum = 0;
    for (LongAdder counter : dropped) {
      sum += counter.sum();
    }
    return sum;
  }

  /** Records dropped for {@code reason}. */
  public long dropped(DropReason reason) {
    return dropped[reason.ordinal()].sum();
  }

  /** Every reason's drop count, in {@link DropReason} order, zeros included. */
  public Map<DropReason, Long> droppedByReason() {
    Map<DropReason, Long> byReason = new EnumMap<>(DropReason.class);
    for (DropReason reason : DropReason.values()) {
      byReason.put(reason, dropped(reason));
    }
    return byReason;
  }

  /**
   * Records whose fate is unknown: they were in a request still in flight when {@link
   * LlmLogger#close}'s deadline cut it off. The server may have stored them; they are not counted
   * as dropped.
   */
  public long unknown() {
    return unknown.get();
  }

  /**
   * Batches sent again after a retryable answer (429, 5xx, no answer): a busy or restarting server
   * shows here before anything is dropped. Not part of the relation above; a batch retried and then
   * delivered counts in {@code delivered} once.
   */
  public long retries() {
    return retries.sum();
  }

  /** Records accepted and not yet delivered or dropped, the batch being sent included. */
  public long queuedRecords() {
    return queuedRecords.get();
  }

  /** The estimated size of the queued records; never above the logger's {@code queuedMaxBytes}. */
  public long queuedBytes() {
    return queuedBytes.get();
  }

  void incrementLogged() {
    logged.increment();
  }

  void incrementDropped(DropReason reason) {
    dropped[reason.ordinal()].increment();
  }

  void addDropped(DropReason reason, long count) {
    dropped[reason.ordinal()].add(count);
  }

  void incrementRetries() {
    retries.increment();
  }

  void addDelivered(long count) {
    delivered.addAndGet(count);
  }

  void addUnknown(long count) {
    unknown.addAndGet(count);
  }

  @Override
  public String toString() {
    StringBuilder out =
        new StringBuilder()
            .append("logged=")
            .append(logged())
            .append(" delivered=")
            .append(delivered())
            .append(" dropped=")
            .append(dropped())
            .append(" {");
    String separator = "";
    for (DropReason reason : DropReason.values()) {
      long count = dropped(reason);
      if (count > 0) {
        out.append(separator).append(reason.value()).append('=').append(count);
        separator = ", ";
      }
    }
    out.append("} retries=").append(retries());
    if (unknown() > 0) {
      out.append(" unknown=").append(unknown());
    }
    return out.append(" queued=")
        .append(queuedRecords())
        .append(" queuedBytes=")
        .append(queuedBytes())
        .toString();
  }
}

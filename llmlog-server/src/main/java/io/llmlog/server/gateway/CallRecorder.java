package io.llmlog.server.gateway;

import io.llmlog.server.ingest.IngestPausedException;
import io.llmlog.server.ingest.IngestService;
import io.llmlog.server.ingest.Outcome;
import io.llmlog.server.ingest.RecordKind;
import io.llmlog.server.pipeline.Event;
import io.llmlog.server.store.EngineBusyException;
import io.llmlog.server.store.EngineUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Logs finished calls off their path: {@link #offer} never blocks and never fails (a full queue
 * drops the record and counts it), and one named daemon thread turns calls into records and sends
 * them through the normal ingest path (pipeline, schema, durable write) in batches. While the
 * engine is down or busy, or ingest is paused, the batch in hand waits and is retried with a
 * growing pause; calls meanwhile fill the queue up to its bound. {@link #close} drains for a few
 * seconds and counts the rest as dropped.
 */
final class CallRecorder implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(CallRecorder.class);
  static final int BATCH = 256;
  static final Duration LINGER = Duration.ofMillis(100);
  static final Duration FIRST_PAUSE = Duration.ofMillis(250);
  static final Duration LONGEST_PAUSE = Duration.ofSeconds(10);
  static final Duration DRAIN = Duration.ofSeconds(5);

  private final IngestService ingest;
  private final RecordBuilder builder;
  private final GatewayMetrics metrics;
  private final int maxRecords;
  private final long maxBytes;
  private final LinkedBlockingQueue<GatewayCall> queue = new LinkedBlockingQueue<>();
  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicLong waitingBytes = new AtomicLong();
  private final Thread thread;
  private volatile boolean closing;
  private volatile long drainDeadline = Long.MAX_VALUE;

  CallRecorder(
      IngestService ingest,
      RecordBuilder builder,
      GatewayMetrics metrics,
      int maxRecords,
      long maxBytes) {
    this.ingest = ingest;
    this.builder = builder;
    this.metrics = metrics;
    this.maxRecords = maxRecords;
    this.maxBytes = maxBytes;
    this.thread = new Thread(this::run, "llmlog-gateway-recorder");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Queues a finished call for logging; when the queue is full or closing, counts it as dropped.
   */
  void offer(GatewayCall call) {
    if (closing) {
      metrics.record("dropped.shutdown", 1);
      return;
    }
    long size = call.footprint();
    if (waiting.incrementAndGet() > maxRecords || waitingBytes.addAndGet(size) > maxBytes) {
      waiting.decrementAndGet();
      waitingBytes.addAndGet(-size);
      metrics.record("dropped.queue_full", 1);
      return;
    }
    queue.add(call);
    metrics.record("queued", 1);
  }

  int waitingRecords() {
    return waiting.get();
  }

  long waitingBytes() {
    return waitingBytes.get();
  }

  private void run() {
    List<GatewayCall> calls = new ArrayList<>(BATCH);
    while (!(closing && queue.isEmpty()) && System.nanoTime() < drainDeadline) {
      try {
        GatewayCall first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        calls.add(first);
        // A short wait for more: at a few calls a second, one bulk write per call would cost the
        // engine most.
        long until = System.nanoTime() + LINGER.toNanos();
        for (long left = LINGER.toNanos();
            calls.size() < BATCH && left > 0 && !closing;
            left = until - System.nanoTime()) {
          queue.drainTo(calls, BATCH - calls.size());
          if (calls.size() < BATCH) {
            GatewayCall next = queue.poll(left, TimeUnit.NANOSECONDS);
            if (next != null) {
              calls.add(next);
            }
          }
        }
        List<IngestService.Item> items = new ArrayList<>(calls.size());
        for (GatewayCall call : calls) {
          release(call);
          try {
            items.add(
                IngestService.Item.of(
                    RecordKind.CALL, new Event(builder.build(call), items.size() + 1)));
          } catch (RuntimeException e) {
            metrics.record("dropped.unreadable", 1);
            LOG.warn(
                "gateway: a call to {} could not be read for its record: {}",
                call.upstream().name(),
                e.toString());
          }
        }
        calls.clear();
        store(items);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        LOG.error("gateway: the call recorder failed; it goes on", e);
      }
    }
    int left = queue.size();
    queue.clear();
    metrics.record("dropped.shutdown", left);
  }

  /**
   * Sends a batch until every record has an answer that is not "retry", or the drain deadline
   * passes.
   */
  private void store(List<IngestService.Item> items) throws InterruptedException {
    Duration pause = FIRST_PAUSE;
    boolean warned = false;
    while (!items.isEmpty()) {
      try {
        List<Outcome> outcomes = ingest.ingest(items, false, "gateway");
        List<IngestService.Item> again = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
          Outcome outcome = outcomes.get(i);
          if (outcome.accepted()) {
            metrics.record(outcome.write() == null ? "filtered" : "stored", 1);
          } else if (outcome.retryable()) {
            again.add(items.get(i));
          } else {
            metrics.record("rejected", 1);
            LOG.warn(
                "gateway: a call record was rejected: {} {}",
                outcome.field() == null ? "" : outcome.field(),
                outcome.reason());
          }
        }
        if (warned && again.isEmpty()) {
          LOG.info("gateway: call records are stored again");
        }
        items = again;
      } catch (EngineUnavailableException | EngineBusyException | IngestPausedException e) {
        metrics.retry();
        if (!warned) {
          LOG.warn(
              "gateway: cannot store call records now ({}); {} wait and are retried, the calls themselves go on",
              e.getMessage(),
              items.size() + waiting.get());
          warned = true;
        }
      }
      if (items.isEmpty()) {
        return;
      }
      if (System.nanoTime() >= drainDeadline) {
        metrics.record("dropped.shutdown", items.size());
        return;
      }
      TimeUnit.NANOSECONDS.sleep(
          Math.min(pause.toNanos(), Math.max(0, drainDeadline - System.nanoTime())));
      pause =
          pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0
              ? LONGEST_PAUSE
              : pause.multipliedBy(2);
    }
  }

  private void release(GatewayCall call) {
    waiting.decrementAndGet();
    waitingBytes.addAndGet(-call.footprint());
  }

  /**
   * Stops taking calls, stores what waits for up to {@link #DRAIN}, and counts the rest as dropped.
   */
  @Override
  public void close() {
    closing = true;
    drainDeadline = System.nanoTime() + DRAIN.toNanos();
    try {
      thread.join(DRAIN.toMillis() + 1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

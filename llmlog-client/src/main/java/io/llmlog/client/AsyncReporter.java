package io.llmlog.client;

import io.llmlog.client.Sender.SendOutcome;
import io.llmlog.core.LlmLogEntry;
import io.llmlog.core.LogLevel;
import io.llmlog.core.QualityLogEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.random.RandomGenerator;

/**
 * Queues records on the caller's thread and ships them in batches on its own thread, in the manner
 * of zipkin-reporter's {@code AsyncReporter}.
 *
 * <p>{@link #report} never blocks and never throws: it reserves room in the queue's two bounds
 * (records and estimated bytes) with a compare-and-set each, appends to a lock-free queue, and
 * wakes the reporter thread only when the queue turns non-empty or a batch fills, so that most
 * calls make no system call. A record that does not fit is counted as dropped.
 *
 * <p>The reporter thread starts with the first record. It waits up to {@code batchTimeout} for a
 * batch to fill, redacts and encodes the records, cuts the batch by exact encoded size, and hands
 * it to the {@link Sender}, one request at a time. It retries what the sender says is worth
 * retrying (jittered exponential backoff, the receiver's {@code Retry-After} honoured, bounded in
 * attempts and time), splits a batch the receiver finds too large, and counts every record that
 * does not make it by reason.
 */
final class AsyncReporter implements AutoCloseable {
  /**
   * The reporter thread yields its CPU after encoding this many records. Woken after a sleep, the
   * kernel's scheduler favours it, and on a small, busy machine its burst of encoding (about 6 µs a
   * record, 3 ms for a batch of 500) ran on the core of the application thread that had just woken
   * it: LoggerBenchmark measured that thread's 99.9th percentile at 2.4-2.8 ms without the yield
   * and 3-21 µs with it, on 2 cores.
   */
  static final int YIELD_EVERY = 32;

  /** What a record changed by a redactor other than {@link Redactor#pii} is marked with. */
  private static final List<String> CUSTOM_REDACTION = List.of("custom");

  private final Sender sender;
  private final ReporterConfig config;
  private final Redactor redactor;
  private final RecordEncoder encoder;
  private final Time time;
  private final RandomGenerator random;
  private final int maxRequestBytes;
  private final ReporterMetrics metrics = new ReporterMetrics();
  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();

  private final Object lifecycle = new Object();
  private final AtomicLong flushRequested = new AtomicLong();
  private volatile long flushCompleted;
  private volatile Thread worker;
  private volatile boolean closed;
  private volatile long closeDeadline; // on time's clock, for retry decisions
  private volatile long closeDeadlineWall; // on System.nanoTime(), for joining the thread
  private volatile boolean abandoned;
  private boolean terminated; // guarded by lifecycle

  private final AtomicBoolean warnedQueueFull = new AtomicBoolean();
  private final AtomicBoolean warnedOversize = new AtomicBoolean();
  // Warnings noticed on the caller's thread, written by the reporter thread: the first write
  // through java.util.logging or a console appender can take milliseconds.
  private final ConcurrentLinkedQueue<Runnable> deferredWarnings = new ConcurrentLinkedQueue<>();
  private final InternalLog sendFailures = new InternalLog();
  private final InternalLog rejections = new InternalLog();
  private final InternalLog encodeFailures = new InternalLog();

  AsyncReporter(
      Sender sender,
      ReporterConfig config,
      Redactor redactor,
      String service,
      Time time,
      RandomGenerator random) {
    this.sender = sender;
    this.config = config;
    this.redactor = redactor;
    this.encoder = new RecordEncoder(sender.format(), service);
    this.time = time;
    this.random = random;
    this.maxRequestBytes = Math.min(config.batchMaxBytes(), sender.messageMaxBytes());
  }

  ReporterMetrics metrics() {
    return metrics;
  }

  Sender sender() {
    return sender;
  }

  /** The reporter thread, or null before the first record. */
  Thread thread() {
    return worker;
  }

  /** Counts a record that was dropped before it reached the queue, such as one sampled out. */
  void reportDropped(DropReason reason) {
    metrics.incrementLogged();
    metrics.incrementDropped(reason);
  }

  /** Queues a record, or counts it as dropped. Never blocks, never throws. */
  void report(Pending record) {
    metrics.incrementLogged();
    if (closed) {
      metrics.incrementDropped(DropReason.SHUTDOWN);
      return;
    }
    int size = record.estimatedBytes;
    if (size > config.queuedMaxBytes()) {
      metrics.incrementDropped(DropReason.OVERSIZE);
      warnLater(
          warnedOversize,
          "a record of about "
              + size
              + " bytes is bigger than queuedMaxBytes ("
              + config.queuedMaxBytes()
              + "); dropping it for "
              + sender
              + " (oversize)",
          null);
      return;
    }
    int count = reserveRecord();
    long bytes = count < 0 ? -1 : reserveBytes(size);
    if (bytes < 0) {
      if (count >= 0) {
        metrics.queuedRecords.decrementAndGet();
      }
      metrics.incrementDropped(DropReason.QUEUE_FULL);
      if (!warnedQueueFull.get()) {
        warnLater(
            warnedQueueFull,
            "the queue to "
                + sender
                + " is full ("
                + config.queuedMaxRecords()
                + " records or "
                + config.queuedMaxBytes()
                + " bytes); dropping records for it (queue_full) until it drains",
            null);
      }
      return;
    }
    queue.offer(record);
    if (closed) {
      // close() may have swept the queue before this record landed in it. Exactly one of this
      // remove and close()'s poll takes the record, and that one counts it.
      if (queue.remove(record)) {
        release(size);
        metrics.incrementDropped(DropReason.SHUTDOWN);
      }
      return;
    }
    long before = bytes - size;
    if (count == 1
        || count == config.batchMaxRecords()
        || (bytes >= config.batchMaxBytes() && before < config.batchMaxBytes())) {
      wakeWorker();
    }
  }

  /**
   * Waits until every record queued before this call is delivered or dropped.
   *
   * @return false when the timeout passed first
   */
  boolean flush(Duration timeout) {
    if (metrics.queuedRecords.get() == 0) {
      return true;
    }
    Thread thread = worker != null ? worker : startWorker();
    if (thread == null) {
      return metrics.queuedRecords.get() == 0;
    }
    long target = flushRequested.incrementAndGet();
    LockSupport.unpark(thread);
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lifecycle) {
      try {
        for (long left = timeout.toNanos();
            flushCompleted < target && left > 0;
            left = deadline - System.nanoTime()) {
          if (!thread.isAlive()) {
            break;
          }
          TimeUnit.NANOSECONDS.timedWait(
              lifecycle, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return flushCompleted >= target || metrics.queuedRecords.get() == 0;
  }

  /**
   * Stops taking records and tells the reporter thread to send what is queued, without waiting.
   * Lets several reporters drain side by side before {@link #close} waits for each.
   */
  void startClosing(Duration timeout) {
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closeDeadline = time.nanoTime() + timeout.toNanos();
      closeDeadlineWall = System.nanoTime() + timeout.toNanos();
      closed = true;
    }
    Thread thread = worker;
    if (thread != null) {
      LockSupport.unpark(thread);
    }
  }

  /**
   * Stops taking records, sends what is queued until {@code timeout} (counted from the first {@link
   * #startClosing}) passes, then counts the rest as dropped ({@link DropReason#SHUTDOWN}).
   * Idempotent.
   *
   * @return how many records this close dropped as {@code shutdown}, plus any still stuck in a
   *     request that did not end
   */
  long close(Duration timeout) {
    startClosing(timeout);
    synchronized (lifecycle) {
      if (terminated) {
        return 0;
      }
    }
    long shutdownBefore = metrics.dropped(DropReason.SHUTDOWN);
    long unknownBefore = metrics.unknown();
    Thread thread = worker;
    if (thread != null) {
      join(thread, closeDeadlineWall - System.nanoTime());
      if (thread.isAlive()) {
        abandoned = true;
        thread.interrupt();
        LockSupport.unpark(thread);
        join(thread, TimeUnit.SECONDS.toNanos(1));
      }
    }
    synchronized (lifecycle) {
      terminated = true;
      lifecycle.notifyAll();
    }
    for (Pending record; (record = queue.poll()) != null; ) {
      resolve(record, DropReason.SHUTDOWN);
    }
    try {
      sender.close();
    } catch (RuntimeException e) {
      InternalLog.debug("llmlog: closing " + sender + " failed", e);
    }
    long lost = metrics.dropped(DropReason.SHUTDOWN) - shutdownBefore;
    long unknown = metrics.unknown() - unknownBefore;
    long stuck = metrics.queuedRecords();
    if (lost > 0 || stuck > 0 || unknown > 0) {
      InternalLog.warn(
          "llmlog: closed "
              + sender
              + " with "
              + lost
              + " records undelivered (shutdown)"
              + (unknown > 0
                  ? ", "
                      + unknown
                      + " in a request cut off at the deadline (unknown: the server may have them)"
                  : "")
              + (stuck > 0 ? " and " + stuck + " still in a request that did not end" : "")
              + "; "
              + metrics,
          null);
    }
    return lost + unknown + stuck;
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }

  @Override
  public String toString() {
    return "AsyncReporter{" + sender + ", " + metrics + "}";
  }

  // ---- the caller's side ----

  /** Takes one record of room, or returns -1 when the record bound is reached. */
  private int reserveRecord() {
    int max = config.queuedMaxRecords();
    for (int current = metrics.queuedRecords.get();
        current < max;
        current = metrics.queuedRecords.get()) {
      if (metrics.queuedRecords.compareAndSet(current, current + 1)) {
        return current + 1;
      }
    }
    return -1;
  }

  /** Takes {@code size} bytes of room, or returns -1 when they do not fit. */
  private long reserveBytes(int size) {
    long max = config.queuedMaxBytes();
    for (long current = metrics.queuedBytes.get();
        current + size <= max;
        current = metrics.queuedBytes.get()) {
      if (metrics.queuedBytes.compareAndSet(current, current + size)) {
        return current + size;
      }
    }
    return -1;
  }

  private void release(long bytes) {
    metrics.queuedBytes.addAndGet(-bytes);
    metrics.queuedRecords.decrementAndGet();
  }

  private void wakeWorker() {
    Thread thread = worker;
    if (thread == null) {
      thread = startWorker();
    }
    if (thread != null) {
      LockSupport.unpark(thread);
    }
  }

  private Thread startWorker() {
    synchronized (lifecycle) {
      if (worker == null && !terminated) {
        Thread thread = new Thread(this::run, config.threadName());
        // A daemon, like zipkin's: logging must never keep an application from exiting.
        thread.setDaemon(true);
        thread.start();
        worker = thread;
      }
      return worker;
    }
  }

  /**
   * Has the reporter thread log a WARN, once per {@code once} flag, for a problem noticed on the
   * caller's thread. Costs the caller a wake-up of the reporter thread, once.
   */
  void warnLater(AtomicBoolean once, String message, Throwable error) {
    if (once.compareAndSet(false, true)) {
      deferredWarnings.add(() -> InternalLog.warn("llmlog: " + message + " (logged once)", error));
      wakeWorker();
    }
  }

  private void writeDeferredWarnings() {
    for (Runnable warning; (warning = deferredWarnings.poll()) != null; ) {
      warning.run();
    }
  }

  // ---- the reporter thread ----

  private void run() {
    try {
      while (!abandoned) {
        awaitRecords();
        awaitFullBatch();
        if (abandoned) {
          break;
        }
        long target = flushRequested.get();
        if (closed) {
          drain(Long.MAX_VALUE);
          break;
        } else if (target > flushCompleted) {
          drain(metrics.queuedRecords.get());
          completeFlush(target);
        } else {
          drain(config.batchMaxRecords());
        }
      }
    } catch (RuntimeException | Error e) {
      // Not expected; the records left are counted by close(). Say so rather than die silently.
      InternalLog.warn("llmlog: the reporter thread of " + sender + " stopped", e);
      throw e;
    } finally {
      writeDeferredWarnings();
      // Waiting flushers see the thread gone and report whether anything is left.
      synchronized (lifecycle) {
        lifecycle.notifyAll();
      }
    }
  }

  private boolean hurried() {
    return closed || abandoned || flushRequested.get() > flushCompleted;
  }

  private void awaitRecords() {
    while (!hurried() && metrics.queuedRecords.get() == 0) {
      // Before parking too: a warning added while this thread was busy in a send had its wake-up
      // taken by the sender's own waiting, and would otherwise wait for the next record.
      writeDeferredWarnings();
      LockSupport.park(this);
      writeDeferredWarnings();
    }
  }

  private void awaitFullBatch() {
    long deadline = System.nanoTime() + config.batchTimeout().toNanos();
    for (long left = config.batchTimeout().toNanos();
        left > 0 && !hurried() && !batchFull();
        left = deadline - System.nanoTime()) {
      LockSupport.parkNanos(this, left);
      writeDeferredWarnings();
    }
  }

  private boolean batchFull() {
    return metrics.queuedRecords.get() >= config.batchMaxRecords()
        || metrics.queuedBytes.get() >= config.batchMaxBytes();
  }

  private void completeFlush(long target) {
    synchronized (lifecycle) {
      flushCompleted = Math.max(flushCompleted, Math.min(target, flushRequested.get()));
      lifecycle.notifyAll();
    }
  }

  /** Sends up to {@code limit} records, a batch at a time, until the queue is empty. */
  private void drain(long limit) {
    long done = 0;
    while (done < limit && !abandoned) {
      int taken = sendBatch((int) Math.min(limit - done, config.batchMaxRecords()));
      if (taken == 0) {
        break;
      }
      done += taken;
    }
  }

  /** Takes up to {@code max} records, encodes them and sends them; returns how many were taken. */
  private int sendBatch(int max) {
    List<Encoded> calls = new ArrayList<>();
    List<Encoded> qualities = new ArrayList<>();
    List<Encoded> steps = new ArrayList<>();
    int taken = 0;
    for (Pending record; taken < max && (record = queue.poll()) != null; taken++) {
      if (taken % YIELD_EVERY == YIELD_EVERY - 1) {
        Thread.yield();
      }
      Encoded encoded = encode(record);
      if (encoded != null) {
        (record.call != null ? calls : record.step != null ? steps : qualities).add(encoded);
      }
    }
    // Steps after calls: a trace view that reads the calls first finds their parents soon after.
    sendInRequests(RecordKind.CALL, calls);
    sendInRequests(RecordKind.STEP, steps);
    sendInRequests(RecordKind.QUALITY, qualities);
    return taken;
  }

  /** Redacts and encodes a record, or counts it as dropped and returns null. */
  private Encoded encode(Pending record) {
    Object redacted;
    Collection<String> kinds = List.of();
    try {
      if (record.step != null) {
        // Steps have no hook in Redactor; the built-in PII redactor covers their texts, and the
        // server's pipeline redacts them in any case.
        if (redactor instanceof PiiEntryRedactor pii) {
          PiiEntryRedactor.RedactedStep result = pii.redactNamingKinds(record.step);
          redacted = result.step();
          kinds = result.kinds();
        } else {
          redacted = record.step;
        }
      } else if (record.call != null && redactor instanceof PiiEntryRedactor pii) {
        PiiEntryRedactor.Redacted result = pii.redactNamingKinds(record.call);
        redacted = result.entry();
        kinds = result.kinds();
      } else {
        redacted =
            record.call != null
                ? redactor.redact(record.call)
                : redactor.redactQuality(record.quality);
        if (record.call != null && redacted != record.call && redacted != null) {
          kinds = CUSTOM_REDACTION;
        }
      }
      if (redacted == null) {
        throw new NullPointerException("the redactor returned null");
      }
    } catch (RuntimeException e) {
      resolve(record, DropReason.REDACT_FAILED);
      encodeFailures.firstWarnThenDebug(
          "llmlog: the redactor failed on a record; dropping it (redact_failed)", e);
      return null;
    }
    byte[] bytes;
    try {
      bytes =
          redacted instanceof LlmLogEntry entry
              ? encoder.encode(entry, record.weight, kinds)
              : redacted instanceof StepRecord step
                  ? encoder.encode(step, kinds)
                  : encoder.encode((QualityLogEntry) redacted);
    } catch (RuntimeException e) {
      resolve(record, DropReason.INVALID);
      encodeFailures.firstWarnThenDebug(
          "llmlog: could not encode a record; dropping it (invalid)", e);
      return null;
    }
    if (bytes.length + 1 > maxRequestBytes) {
      resolve(record, DropReason.OVERSIZE);
      encodeFailures.firstWarnThenDebug(
          "llmlog: a record of "
              + bytes.length
              + " bytes is bigger than a request may be ("
              + maxRequestBytes
              + "); dropping it (oversize)",
          null);
      return null;
    }
    return new Encoded(record, bytes);
  }

  /** Cuts the records into requests of at most {@code maxRequestBytes} and sends each. */
  private void sendInRequests(RecordKind kind, List<Encoded> records) {
    int start = 0;
    long bytes = 0;
    for (int i = 0; i < records.size(); i++) {
      int size = records.get(i).bytes.length + 1;
      if (i > start && bytes + size > maxRequestBytes) {
        sendWithRetries(kind, records.subList(start, i));
        start = i;
        bytes = 0;
      }
      bytes += size;
    }
    if (start < records.size()) {
      sendWithRetries(kind, records.subList(start, records.size()));
    }
  }

  private void sendWithRetries(RecordKind kind, List<Encoded> batch) {
    List<byte[]> payload = new ArrayList<>(batch.size());
    List<LogLevel> levels = new ArrayList<>(batch.size());
    for (Encoded encoded : batch) {
      payload.add(encoded.bytes);
      levels.add(encoded.source.call != null ? encoded.source.call.level() : null);
    }
    RetryPolicy retry = config.retry();
    long started = time.nanoTime();
    for (int attempt = 1; ; attempt++) {
      if (abandoned) {
        resolve(batch, DropReason.SHUTDOWN);
        return;
      }
      SendOutcome outcome;
      try {
        outcome = sender.send(kind, payload, levels);
      } catch (InterruptedException e) {
        // close()'s deadline cut the request off: the receiver may have stored the batch already,
        // so it is neither delivered nor dropped.
        Thread.currentThread().interrupt();
        metrics.addUnknown(batch.size());
        releaseAll(batch);
        return;
      } catch (RuntimeException e) {
        outcome = new SendOutcome.Fail(e.toString(), e);
      }
      if (outcome instanceof SendOutcome.Delivered delivered) {
        delivered(batch, delivered);
        return;
      }
      if (outcome instanceof SendOutcome.TooLarge tooLarge) {
        split(kind, batch, tooLarge);
        return;
      }
      if (outcome instanceof SendOutcome.Fail fail) {
        failed(batch, DropReason.SEND_FAILED, fail.reason() + " (not retried)", fail.error());
        return;
      }
      SendOutcome.Retry again = (SendOutcome.Retry) outcome;
      if (attempt >= retry.maxAttempts()) {
        failed(
            batch,
            DropReason.SEND_FAILED,
            again.reason() + " (gave up after " + attempt + " attempts)",
            again.error());
        return;
      }
      long wait = retry.waitNanos(attempt, again.retryAfter(), random);
      long now = time.nanoTime();
      if (now - started > retry.maxDuration().toNanos() - wait) {
        failed(
            batch,
            DropReason.SEND_FAILED,
            again.reason()
                + " (the next attempt would be "
                + TimeUnit.NANOSECONDS.toMillis(wait)
                + " ms away, past the retry budget of "
                + retry.maxDuration()
                + ")",
            again.error());
        return;
      }
      if (closed && now + wait - closeDeadline > 0) {
        failed(
            batch,
            DropReason.SHUTDOWN,
            again.reason() + " (closing: no time left to retry)",
            again.error());
        return;
      }
      writeDeferredWarnings();
      if (!time.sleep(wait, () -> abandoned)) {
        resolve(batch, DropReason.SHUTDOWN);
        return;
      }
      metrics.incrementRetries();
    }
  }

  /** 413: halves are retried separately; a single record still too large is oversize. */
  private void split(RecordKind kind, List<Encoded> batch, SendOutcome.TooLarge tooLarge) {
    if (batch.size() == 1) {
      failed(batch, DropReason.OVERSIZE, tooLarge.reason() + " for a single record", null);
      return;
    }
    int half = batch.size() / 2;
    sendWithRetries(kind, batch.subList(0, half));
    sendWithRetries(kind, batch.subList(half, batch.size()));
  }

  private void delivered(List<Encoded> batch, SendOutcome.Delivered outcome) {
    // Clamped, so that a receiver that miscounts cannot make the counters disagree.
    int rejected = Math.max(0, Math.min(outcome.rejected(), batch.size()));
    int failed = Math.max(0, Math.min(outcome.failed(), batch.size() - rejected));
    metrics.addDelivered(batch.size() - rejected - failed);
    if (rejected > 0 || failed > 0) {
      metrics.addDropped(DropReason.REJECTED, rejected);
      metrics.addDropped(DropReason.SEND_FAILED, failed);
      rejections.firstWarnThenDebug(
          "llmlog: "
              + sender
              + " refused "
              + rejected
              + " (rejected) and failed on "
              + failed
              + " (send_failed) of "
              + batch.size()
              + " records"
              + (outcome.firstError() == null ? "" : "; first: " + outcome.firstError()),
          null);
    }
    releaseAll(batch);
  }

  private void failed(List<Encoded> batch, DropReason reason, String why, Throwable error) {
    metrics.addDropped(reason, batch.size());
    releaseAll(batch);
    sendFailures.firstWarnThenDebug(
        "llmlog: could not send "
            + batch.size()
            + " records to "
            + sender
            + ": "
            + why
            + "; dropping them ("
            + reason.value()
            + ")",
        error);
  }

  private void resolve(List<Encoded> batch, DropReason reason) {
    metrics.addDropped(reason, batch.size());
    releaseAll(batch);
  }

  private void resolve(Pending record, DropReason reason) {
    metrics.incrementDropped(reason);
    release(record.estimatedBytes);
  }

  private void releaseAll(List<Encoded> batch) {
    long bytes = 0;
    for (Encoded encoded : batch) {
      bytes += encoded.source.estimatedBytes;
    }
    metrics.queuedBytes.addAndGet(-bytes);
    metrics.queuedRecords.addAndGet(-batch.size());
  }

  private static void join(Thread thread, long nanos) {
    if (nanos <= 0) {
      return; // join(0) would wait forever
    }
    try {
      TimeUnit.NANOSECONDS.timedJoin(thread, nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A record and its encoded bytes; the record is kept to release its room in the queue. */
  private record Encoded(Pending source, byte[] bytes) {}
}

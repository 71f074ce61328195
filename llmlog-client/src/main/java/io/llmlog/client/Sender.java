package io.llmlog.client;

import io.llmlog.core.LogLevel;
import java.time.Duration;
import java.util.List;

/**
 * Ships one batch of encoded records somewhere: the llmlog server over HTTP, or log lines to
 * SLF4J/stdout. A reporter calls it from its single thread, one batch at a time, so an
 * implementation needs no locking of its own.
 *
 * <p>A sender reports what happened and leaves the decisions (retry, back off, split, count the
 * drop) to the reporter, so that every destination gets the same policy and the same accounting.
 */
interface Sender extends AutoCloseable {
  /** How the records handed to {@link #send} must be encoded. */
  RecordEncoder.Format format();

  /**
   * The largest batch, in encoded bytes (records plus one newline each), this sender ships in one
   * go.
   */
  int messageMaxBytes();

  /**
   * Sends the records, each already encoded, in order.
   *
   * @throws InterruptedException when the reporter is being shut down and gave up waiting
   */
  SendOutcome send(RecordKind kind, List<byte[]> records) throws InterruptedException;

  /**
   * Sends the records with the level each was logged at (null for quality records); senders for
   * which the level matters (log lines) override this.
   */
  default SendOutcome send(RecordKind kind, List<byte[]> records, List<LogLevel> levels)
      throws InterruptedException {
    return send(kind, records);
  }

  @Override
  default void close() {}

  /** What became of one batch. */
  sealed interface SendOutcome {
    /**
     * The receiver took the batch, except {@code rejected} records it refused one by one and {@code
     * failed} records that could not be written; {@code firstError} says why, or is null.
     */
    record Delivered(int rejected, int failed, String firstError) implements SendOutcome {
      static final Delivered ALL = new Delivered(0, 0, null);
    }

    /**
     * Worth trying again: a 5xx, 429, a connection error. {@code retryAfter} is null when not
     * given.
     */
    record Retry(String reason, Duration retryAfter, Throwable error) implements SendOutcome {}

    /** Not worth trying again: a 4xx other than 413 and 429, or a failure of the sender itself. */
    record Fail(String reason, Throwable error) implements SendOutcome {}

    /** The receiver said the batch is too big (HTTP 413). */
    record TooLarge(String reason) implements SendOutcome {}
  }
}

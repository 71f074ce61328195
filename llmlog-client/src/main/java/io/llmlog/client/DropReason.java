package io.llmlog.client;

/**
 * Why the SDK dropped a record instead of delivering it. Every record given to {@link LlmLogger} is
 * either delivered, dropped for exactly one of these reasons, or still queued; see {@link
 * ReporterMetrics}.
 *
 * <p>The constants are the counters' keys, built once: counting a drop allocates nothing.
 */
public enum DropReason {
  /** The queue was at its record or byte bound when the record was logged. */
  QUEUE_FULL("queue_full"),
  /**
   * The record alone is bigger than the queue's byte bound or the largest batch the receiver takes.
   */
  OVERSIZE("oversize"),
  /** Sending failed for good: retries ran out, or the receiver refused the batch with a 4xx. */
  SEND_FAILED("send_failed"),
  /** The receiver took the batch but rejected this record (its reply named the line). */
  REJECTED("rejected"),
  /** The logger was closed before the record could be delivered, or the record came after close. */
  SHUTDOWN("shutdown"),
  /** The {@link Sampler} gave the record weight 0. */
  SAMPLED_OUT("sampled_out"),
  /**
   * A null record, or one that could not be built or encoded (for example a negative token count).
   */
  INVALID("invalid"),
  /**
   * The {@link Redactor} threw or returned null. The record is dropped rather than shipped
   * unredacted.
   */
  REDACT_FAILED("redact_failed");

  private final String value;

  DropReason(String value) {
    this.value = value;
  }

  /** The name used in metrics and logs, such as {@code queue_full}. */
  public String value() {
    return value;
  }
}

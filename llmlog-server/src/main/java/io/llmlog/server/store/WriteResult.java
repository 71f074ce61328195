package io.llmlog.server.store;

/**
 * What the engine did with one {@link WriteOp}.
 *
 * @param status the item's HTTP status: 200/201 stored, 4xx rejected for good, 429/5xx retry later
 * @param result {@code created}, {@code updated} or {@code noop} when stored
 * @param errorType the engine's error type when not stored
 * @param reason the engine's reason when not stored
 * @param version the document version after the write
 * @param seqNo the sequence number of the write
 * @param primaryTerm the primary term of the write
 */
public record WriteResult(
    int status,
    String result,
    String errorType,
    String reason,
    long version,
    long seqNo,
    long primaryTerm) {
  public boolean stored() {
    return status >= 200 && status < 300;
  }

  /** A failure that may succeed if retried: engine back-pressure or a transient server error. */
  public boolean transientFailure() {
    return status == 429 || status >= 500;
  }
}

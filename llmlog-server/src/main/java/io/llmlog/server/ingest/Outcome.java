package io.llmlog.server.ingest;

import io.llmlog.server.store.WriteResult;

/**
 * What became of one record.
 *
 * @param status an HTTP status as Elasticsearch reports per bulk item: 2xx stored (or dropped on
 *     purpose by a filter), 400 rejected for a reason in the record, 429/503 not stored, retry
 * @param index where it was stored, or null
 * @param id its document id, or null
 * @param result {@code created}, {@code updated}, {@code noop} (dropped by a filter) when 2xx
 * @param field the offending field when rejected, or null
 * @param errorType a short machine-readable reason kind when not stored
 * @param reason a human-readable reason when not stored
 * @param write the engine's answer when it was written
 */
public record Outcome(
    int status,
    String index,
    String id,
    String result,
    String field,
    String errorType,
    String reason,
    WriteResult write) {
  static Outcome stored(String index, String id, WriteResult write) {
    return new Outcome(write.status(), index, id, write.result(), null, null, null, write);
  }

  static Outcome dropped(String filter) {
    return new Outcome(200, null, null, "noop", null, null, "dropped by filter " + filter, null);
  }

  static Outcome rejected(String field, String reason) {
    return new Outcome(400, null, null, null, field, "invalid_record", reason, null);
  }

  static Outcome engineRejected(String index, String id, WriteResult write) {
    return new Outcome(
        write.status(), index, id, null, null, write.errorType(), write.reason(), write);
  }

  /** Stored, or deliberately dropped by a filter: the sender must not retry it. */
  public boolean accepted() {
    return status >= 200 && status < 300;
  }

  /** Not stored for a reason that may pass: the sender should retry it. */
  public boolean retryable() {
    return status == 429 || status >= 500;
  }
}

package io.llmlog.server.store;

/**
 * One document to write. Call records are upserted: parts of one call (request, response,
 * performance) that share a {@code request_id} merge into one document in any arrival order, and a
 * retried write changes nothing.
 *
 * @param index the daily index
 * @param id the document id ({@code request_id} for calls)
 * @param source the document as JSON, or null to delete the document
 * @param merge true to merge into an existing document, false to replace it
 * @param mergeSource what a merge writes into an existing document when that differs from the
 *     document created when none exists (a part that must not overwrite the fields it only guesses,
 *     such as the time of a call whose span has not arrived); null when it is {@code source}
 */
public record WriteOp(String index, String id, byte[] source, boolean merge, byte[] mergeSource) {
  public WriteOp(String index, String id, byte[] source, boolean merge) {
    this(index, id, source, merge, null);
  }

  /** Removes a document, if it is there. */
  public static WriteOp delete(String index, String id) {
    return new WriteOp(index, id, null, false);
  }

  public boolean isDelete() {
    return source == null;
  }
}

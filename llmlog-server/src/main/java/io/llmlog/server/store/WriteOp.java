package io.llmlog.server.store;

/**
 * One document to write. Call records are upserted: parts of one call (request, response,
 * performance) that share a {@code request_id} merge into one document in any arrival order, and
 * a retried write changes nothing.
 *
 * @param index the daily index
 * @param id the document id ({@code request_id} for calls)
 * @param source the document as JSON
 * @param merge true to merge into an existing document, false to replace it
 */
public record WriteOp(String index, String id, byte[] source, boolean merge) {}

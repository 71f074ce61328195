package io.llmlog.server.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Writes documents with the engine's {@code _bulk} API and reads back one result per document. A
 * bounded number of bulk requests are in flight at once; beyond that callers wait briefly and then
 * get {@link EngineBusyException}, which ingest turns into 429 with {@code Retry-After}, so memory
 * stays bounded when the engine is slow.
 */
final class BulkWriter {
  private final EngineClient client;
  private final EngineAnswers answers;
  private final ObjectMapper json;
  private final Semaphore slots;
  private final Duration queueTimeout;
  private final Duration requestTimeout;
  private final Timer latency;

  BulkWriter(
      EngineClient client,
      EngineAnswers answers,
      ObjectMapper json,
      int maxConcurrent,
      Duration queueTimeout,
      Duration requestTimeout,
      MeterRegistry meters) {
    this.client = client;
    this.answers = answers;
    this.json = json;
    this.slots = new Semaphore(maxConcurrent, true);
    this.queueTimeout = queueTimeout;
    this.requestTimeout = requestTimeout;
    this.latency =
        Timer.builder("llmlog.engine.bulk")
            .description("Time the engine took to acknowledge a bulk write durably")
            .publishPercentileHistogram()
            .register(meters);
  }

  /**
   * Writes the operations in order and returns their results in the same order.
   *
   * <p>Merging operations go out as {@code create} first: nearly every call arrives as one record
   * and is new, and a {@code create} costs the engine no more than a plain index, where an {@code
   * update} makes it parse and rebuild the whole document (about 17 µs of its CPU for a 4 KB call).
   * The few that exist already (a part of a call that arrived before, a re-sent batch) come back as
   * conflicts and are merged with {@code update} in a second request, in their original order. A
   * batch with deletions goes out as updates in one request, so that no merge can move behind a
   * deletion of the same call.
   */
  List<WriteResult> write(List<WriteOp> ops, boolean waitForRefresh) {
    if (ops.isEmpty()) {
      return List.of();
    }
    boolean createFirst =
        ops.stream().noneMatch(WriteOp::isDelete) && ops.stream().anyMatch(WriteOp::merge);
    List<WriteResult> results = send(ops, createFirst, waitForRefresh);
    if (!createFirst) {
      return results;
    }
    List<Integer> existing = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      if (ops.get(i).merge()
          && results.get(i).status() == 409
          && VERSION_CONFLICT.equals(results.get(i).errorType())) {
        existing.add(i);
      }
    }
    if (existing.isEmpty()) {
      return results;
    }
    List<WriteResult> merged =
        send(existing.stream().map(ops::get).toList(), false, waitForRefresh);
    List<WriteResult> all = new ArrayList<>(results);
    for (int k = 0; k < existing.size(); k++) {
      all.set(existing.get(k), merged.get(k));
    }
    return all;
  }

  private static final String VERSION_CONFLICT = "version_conflict_engine_exception";

  private List<WriteResult> send(List<WriteOp> ops, boolean createFirst, boolean waitForRefresh) {
    Body body = body(ops, createFirst);
    acquire();
    EngineResponse response;
    try {
      long start = System.nanoTime();
      response =
          client.send(
              "POST",
              "/_bulk" + (waitForRefresh ? "?refresh=wait_for" : ""),
              body.bytes(),
              body.length(),
              "application/x-ndjson",
              requestTimeout);
      latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    } finally {
      slots.release();
    }
    if (response.status() == 429) {
      throw new EngineBusyException(
          "the search engine rejected the write because it is overloaded");
    }
    return results(answers.ok(response, "a bulk write"), ops.size());
  }

  private void acquire() {
    try {
      if (!slots.tryAcquire(queueTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new EngineBusyException(
            "the search engine is busy: all bulk write slots have been in use for "
                + queueTimeout.toMillis()
                + " ms");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineBusyException("interrupted while waiting for a bulk write slot");
    }
  }

  /** A bulk body in a buffer that may be longer than the body. */
  private record Body(byte[] bytes, int length) {}

  /**
   * The buffer of a {@link ByteArrayOutputStream}, handed to the HTTP client without the copy
   * {@code toByteArray} makes.
   */
  private static final class Buffer extends ByteArrayOutputStream {
    Buffer(int size) {
      super(size);
    }

    Body body() {
      return new Body(buf, count);
    }
  }

  private Body body(List<WriteOp> ops, boolean createFirst) {
    int size = 0;
    for (WriteOp op : ops) {
      size += (op.isDelete() ? 0 : op.source().length) + 128;
    }
    Buffer out = new Buffer(size);
    // One generator for every action line; the documents are already JSON and go in as bytes
    // between them.
    try (JsonGenerator action = json.getFactory().createGenerator(out)) {
      action.setRootValueSeparator(null);
      for (WriteOp op : ops) {
        action.writeStartObject();
        boolean update = op.merge() && !createFirst;
        action.writeObjectFieldStart(
            op.isDelete() ? "delete" : update ? "update" : op.merge() ? "create" : "index");
        action.writeStringField("_index", op.index());
        action.writeStringField("_id", op.id());
        if (update) {
          action.writeNumberField("retry_on_conflict", 5);
        }
        action.writeEndObject();
        action.writeEndObject();
        action.flush();
        out.write('\n');
        if (op.isDelete()) {
          continue;
        }
        if (update && op.mergeSource() != null) {
          out.write(MERGE_PREFIX);
          out.write(op.mergeSource());
          out.write(UPSERT_PREFIX);
          out.write(op.source());
          out.write(DOC_SUFFIX);
        } else if (update) {
          out.write(DOC_PREFIX);
          out.write(op.source());
          out.write(DOC_SUFFIX);
        } else {
          out.write(op.source());
        }
        out.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.body();
  }

  private static final byte[] DOC_PREFIX =
      "{\"doc_as_upsert\":true,\"doc\":".getBytes(java.nio.charset.StandardCharsets.UTF_8);
  private static final byte[] DOC_SUFFIX = "}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
  private static final byte[] MERGE_PREFIX =
      "{\"doc\":".getBytes(java.nio.charset.StandardCharsets.UTF_8);
  private static final byte[] UPSERT_PREFIX =
      ",\"upsert\":".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  /**
   * One result per item of the engine's answer, read as a stream: the answer to a large batch is
   * hundreds of kilobytes, and only a few fields of each item matter.
   */
  private List<WriteResult> results(EngineResponse response, int expected) {
    List<WriteResult> results = new ArrayList<>(expected);
    try (JsonParser parser = json.getFactory().createParser(response.body())) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new EngineUnavailableException(
            "the search engine's bulk answer is not a JSON object: "
                + EngineAnswers.abbreviate(response.text()),
            null);
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (!field.equals("items") || value != JsonToken.START_ARRAY) {
          parser.skipChildren();
          continue;
        }
        while (parser.nextToken() == JsonToken.START_OBJECT) {
          parser.nextToken(); // the action's name
          parser.nextToken(); // its result object
          results.add(item(parser));
          parser.nextToken(); // the item's end
        }
      }
    } catch (IOException e) {
      throw new EngineUnavailableException(
          "the search engine's bulk answer is not JSON: "
              + EngineAnswers.abbreviate(response.text()),
          e);
    }
    if (results.size() != expected) {
      throw new EngineUnavailableException(
          "the search engine answered "
              + results.size()
              + " bulk items for "
              + expected
              + " documents",
          null);
    }
    return results;
  }

  private WriteResult item(JsonParser parser) throws IOException {
    int status = 500;
    String result = null;
    JsonNode error = null;
    long version = 0;
    long seqNo = -1;
    long primaryTerm = 0;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken token = parser.nextToken();
      switch (field) {
        case "status" -> status = token.isNumeric() ? parser.getIntValue() : 500;
        case "result" -> result = token == JsonToken.VALUE_STRING ? parser.getText() : null;
        case "_version" -> version = token.isNumeric() ? parser.getLongValue() : 0;
        case "_seq_no" -> seqNo = token.isNumeric() ? parser.getLongValue() : -1;
        case "_primary_term" -> primaryTerm = token.isNumeric() ? parser.getLongValue() : 0;
        case "error" -> error = json.readTree(parser);
        default -> parser.skipChildren();
      }
    }
    return new WriteResult(
        status,
        result,
        error == null ? null : error.path("type").asText(null),
        error == null ? null : reason(error),
        version,
        seqNo,
        primaryTerm);
  }

  /** The engine's reason with the cause's reason, which usually names the offending field. */
  private static String reason(JsonNode error) {
    String reason = error.path("reason").asText("");
    JsonNode cause = error.path("caused_by");
    if (!cause.isMissingNode()) {
      reason += " (" + cause.path("reason").asText(cause.path("type").asText("")) + ")";
    }
    return reason;
  }
}

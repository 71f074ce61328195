package io.llmlog.server.store;

import com.fasterxml.jackson.core.JsonGenerator;
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
 * Writes documents with the engine's {@code _bulk} API and reads back one result per document.
 * A bounded number of bulk requests are in flight at once; beyond that callers wait briefly and
 * then get {@link EngineBusyException}, which ingest turns into 429 with {@code Retry-After}, so
 * memory stays bounded when the engine is slow.
 */
final class BulkWriter {
  private final EngineClient client;
  private final ObjectMapper json;
  private final Semaphore slots;
  private final Duration queueTimeout;
  private final Duration requestTimeout;
  private final Timer latency;

  BulkWriter(EngineClient client, ObjectMapper json, int maxConcurrent, Duration queueTimeout, Duration requestTimeout, MeterRegistry meters) {
    this.client = client;
    this.json = json;
    this.slots = new Semaphore(maxConcurrent, true);
    this.queueTimeout = queueTimeout;
    this.requestTimeout = requestTimeout;
    this.latency = Timer.builder("llmlog.engine.bulk")
        .description("Time the engine took to acknowledge a bulk write durably")
        .publishPercentileHistogram()
        .register(meters);
  }

  List<WriteResult> write(List<WriteOp> ops, boolean waitForRefresh) {
    if (ops.isEmpty()) {
      return List.of();
    }
    byte[] body = body(ops);
    acquire();
    EngineResponse response;
    try {
      long start = System.nanoTime();
      response = client.send("POST", "/_bulk" + (waitForRefresh ? "?refresh=wait_for" : ""), body, "application/x-ndjson", requestTimeout);
      latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    } finally {
      slots.release();
    }
    if (response.status() == 429) {
      throw new EngineBusyException("the search engine rejected the write because it is overloaded");
    }
    if (!response.ok()) {
      throw new EngineUnavailableException("the search engine answered " + response.status() + " to a bulk write: " + abbreviate(response.text()), null);
    }
    return results(response, ops.size());
  }

  private void acquire() {
    try {
      if (!slots.tryAcquire(queueTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new EngineBusyException("the search engine is busy: all bulk write slots have been in use for " + queueTimeout.toMillis() + " ms");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineBusyException("interrupted while waiting for a bulk write slot");
    }
  }

  private byte[] body(List<WriteOp> ops) {
    int size = 0;
    for (WriteOp op : ops) {
      size += (op.isDelete() ? 0 : op.source().length) + 128;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(size);
    try {
      for (WriteOp op : ops) {
        try (JsonGenerator action = json.getFactory().createGenerator(out)) {
          action.writeStartObject();
          action.writeObjectFieldStart(op.isDelete() ? "delete" : op.merge() ? "update" : "index");
          action.writeStringField("_index", op.index());
          action.writeStringField("_id", op.id());
          if (op.merge()) {
            action.writeNumberField("retry_on_conflict", 5);
          }
          action.writeEndObject();
          action.writeEndObject();
        }
        out.write('\n');
        if (op.isDelete()) {
          continue;
        }
        if (op.merge()) {
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
    return out.toByteArray();
  }

  private static final byte[] DOC_PREFIX = "{\"doc_as_upsert\":true,\"doc\":".getBytes(java.nio.charset.StandardCharsets.UTF_8);
  private static final byte[] DOC_SUFFIX = "}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  private List<WriteResult> results(EngineResponse response, int expected) {
    JsonNode items;
    try {
      items = json.readTree(response.body()).path("items");
    } catch (IOException e) {
      throw new EngineUnavailableException("the search engine's bulk answer is not JSON: " + abbreviate(response.text()), e);
    }
    if (items.size() != expected) {
      throw new EngineUnavailableException("the search engine answered " + items.size() + " bulk items for " + expected + " documents", null);
    }
    List<WriteResult> results = new ArrayList<>(expected);
    for (JsonNode item : items) {
      JsonNode result = item.elements().next();
      JsonNode error = result.path("error");
      results.add(new WriteResult(
          result.path("status").asInt(500),
          result.path("result").asText(null),
          error.isMissingNode() ? null : error.path("type").asText(null),
          error.isMissingNode() ? null : reason(error),
          result.path("_version").asLong(0),
          result.path("_seq_no").asLong(-1),
          result.path("_primary_term").asLong(0)));
    }
    return results;
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

  static String abbreviate(String text) {
    return text.length() > 500 ? text.substring(0, 500) + "…" : text;
  }
}

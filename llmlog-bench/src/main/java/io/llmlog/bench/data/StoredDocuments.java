package io.llmlog.bench.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.server.config.Settings;
import io.llmlog.server.pipeline.Event;
import io.llmlog.server.pipeline.Pipeline;
import io.llmlog.server.pipeline.Pipelines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Map;

/**
 * A call document as llmlog stores it: decoded, run through the server's default pipeline (flatten,
 * date, redact, derive, cost), encoded again. What the engine's {@code _source} and an archive line
 * hold, for benchmarks that need stored documents without a server.
 */
public final class StoredDocuments {
  private final ObjectMapper json;
  private final Pipeline pipeline;

  public StoredDocuments(ObjectMapper json) {
    this.json = json;
    this.pipeline =
        Pipelines.build(Settings.empty(name -> null), json, Clock.systemUTC(), id -> true).calls();
  }

  /** The processed event, or null when the pipeline did not keep the record. */
  public Event process(byte[] document) {
    try {
      Event event = new Event(Event.cast(json.readValue(document, Map.class)), 1);
      return pipeline.process(event).kind() == Pipeline.Kind.KEPT ? event : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The stored source, or null when the pipeline did not keep the record. */
  public byte[] source(byte[] document) {
    Event event = process(document);
    try {
      return event == null ? null : json.writeValueAsBytes(event.fields());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

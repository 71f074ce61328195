package io.llmlog.bench.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Where a benchmark sends documents and how: the body it builds for a batch, the URL, and how it
 * reads the answer. Every target acknowledges only after the engine's durable write (translog fsync
 * per request, the engine's default and llmlog's explicit setting).
 */
enum Target {
  /**
   * The peer: a Logstash-style {@code _bulk} straight into the node, {@code index} actions with
   * engine-made ids.
   */
  DIRECT("direct _bulk (peer)", true),
  /** llmlog's Elasticsearch-compatible {@code _bulk} on :9200: the same body as {@link #DIRECT}. */
  FACADE("llmlog _bulk facade", false),
  /** llmlog's native {@code POST /api/v1/logs}: the documents as gzip-compressed NDJSON. */
  NATIVE("llmlog native NDJSON+gzip", false),
  /** llmlog's native {@code POST /api/v1/spans}: steps of agent runs as gzip-compressed NDJSON. */
  STEPS("llmlog native steps NDJSON+gzip", false),
  /**
   * llmlog's OTLP/HTTP {@code POST /v1/traces}: the same calls as GenAI spans, gzip-compressed
   * protobuf, as OpenTelemetry exporters send them.
   */
  OTLP("llmlog OTLP protobuf+gzip", false),
  /** Diagnosis: the peer with {@code _id} = request_id, as an idempotent shipper would send. */
  DIRECT_ID("direct _bulk, _id = request_id", true),
  /** Diagnosis: what llmlog sends the node for these documents' shape: upserts by request_id. */
  DIRECT_UPSERT("direct _bulk, upsert by request_id", true);

  final String label;
  final boolean peer;

  Target(String label, boolean peer) {
    this.label = label;
    this.peer = peer;
  }

  static Target parse(String name) {
    return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
  }

  String key() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /** The pattern of the indices this target's documents end up in. */
  String indices(Corpus corpus) {
    if (this == STEPS) {
      return Rig.LLMLOG_PREFIX + "llm-spans-" + corpus.dayName();
    }
    return (peer
        ? Rig.PEER_PREFIX + "llm-logs-" + corpus.dayName() + suffix()
        : Rig.LLMLOG_PREFIX + "llm-logs-" + corpus.dayName());
  }

  private String suffix() {
    return this == DIRECT ? "" : "-" + key();
  }

  URI base(Rig rig) {
    return switch (this) {
      case DIRECT, DIRECT_ID, DIRECT_UPSERT -> rig.engineUri();
      case FACADE -> rig.esUri();
      case NATIVE, STEPS, OTLP -> rig.apiUri();
    };
  }

  String path() {
    return this == NATIVE
        ? "/api/v1/logs"
        : this == STEPS ? "/api/v1/spans" : this == OTLP ? "/v1/traces" : "/_bulk";
  }

  Map<String, String> headers() {
    return this == NATIVE || this == STEPS
        ? Map.of("Content-Type", "application/x-ndjson", "Content-Encoding", "gzip")
        : this == OTLP
            ? Map.of("Content-Type", "application/x-protobuf", "Content-Encoding", "gzip")
            : Map.of("Content-Type", "application/x-ndjson");
  }

  /** A request ready to send. */
  record Batch(byte[] body, int docs, long documentBytes) {}

  Batch batch(Corpus corpus, List<Corpus.Doc> docs) {
    // The shipper names the day's index; llmlog picks its own from the timestamp, the peer takes it
    // as named.
    return batch(this == FACADE ? "llm-logs-" + corpus.dayName() : indices(corpus), docs);
  }

  /**
   * A batch of documents for the index the action lines name (llmlog's targets ignore the name).
   */
  Batch batch(String index, List<Corpus.Doc> docs) {
    if (this == OTLP) {
      return new Batch(
          gzip(OtlpSpans.export(docs)),
          docs.size(),
          docs.stream().mapToLong(doc -> doc.json().length + 1).sum());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(docs.size() * 4200);
    long documentBytes = 0;
    for (Corpus.Doc doc : docs) {
      documentBytes += doc.json().length + 1;
      switch (this) {
        case NATIVE, STEPS -> {}
        case DIRECT, FACADE -> write(out, "{\"index\":{\"_index\":\"" + index + "\"}}\n");
        case DIRECT_ID ->
            write(
                out,
                "{\"index\":{\"_index\":\"" + index + "\",\"_id\":\"" + doc.requestId() + "\"}}\n");
        case DIRECT_UPSERT ->
            write(
                out,
                "{\"update\":{\"_index\":\""
                    + index
                    + "\",\"_id\":\""
                    + doc.requestId()
                    + "\",\"retry_on_conflict\":5}}\n"
                    + "{\"doc_as_upsert\":true,\"doc\":");
      }
      out.writeBytes(doc.json());
      if (this == DIRECT_UPSERT) {
        out.write('}');
      }
      out.write('\n');
    }
    byte[] body = out.toByteArray();
    return new Batch(
        this == NATIVE || this == STEPS ? gzip(body) : body, docs.size(), documentBytes);
  }

  /**
   * Null when every document of the batch was stored, "retry" when the receiver asked to come back
   * later (429, 503), else what went wrong.
   */
  String check(int status, byte[] body, int docs) {
    if (status == 429 || status == 503) {
      return "retry";
    }
    String text = new String(body, 0, Math.min(body.length, 400), StandardCharsets.UTF_8);
    if (status != 200) {
      return status + " " + text;
    }
    if (this == NATIVE || this == STEPS) {
      return text.startsWith("{\"accepted\":" + docs + ",\"rejected\":0") ? null : text;
    }
    if (this == OTLP) {
      return OtlpSpans.problem(body);
    }
    return text.contains("\"errors\":false") ? null : firstError(body);
  }

  private static String firstError(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    int error = text.indexOf("\"error\"");
    return error < 0
        ? text.substring(0, Math.min(400, text.length()))
        : text.substring(error, Math.min(text.length(), error + 400));
  }

  private static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 2);
    try (GZIPOutputStream gzip = new GZIPOutputStream(out, 1 << 16)) {
      gzip.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}

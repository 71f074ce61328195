package io.llmlog.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.core.Timestamps;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The quality capability's shared state in one engine index ({@code <prefix>llmlog-quality-state}):
 * review leases and scoring-run checkpoints. Leases are taken with {@code op_type=create} and
 * replaced only with {@code if_seq_no}/{@code if_primary_term}, so of two servers (or reviewers)
 * that try at once exactly one gets a call; the engine is the arbiter, not any server's memory.
 */
public final class QualityState {
  static final String INDEX = "llmlog-quality-state";

  /** Leases beyond this many per queue are not listed (a queue never has that many reviewers). */
  static final int MAX_LEASES = 10_000;

  private final Documents documents;
  private final Searches searches;
  private final ObjectMapper json;
  private final String index;

  QualityState(Documents documents, Searches searches, ObjectMapper json, String prefix) {
    this.documents = documents;
    this.searches = searches;
    this.json = json;
    this.index = prefix + INDEX;
  }

  /** A reviewer's hold on one call of a queue until {@code expires}. */
  public record Lease(
      String queue, String requestId, String holder, String session, Instant expires) {}

  /**
   * What became of an attempt to take a call: taken (or renewed), or held by someone else until
   * when.
   */
  public record Acquired(boolean taken, Lease current) {}

  /**
   * Takes the call for this session unless another session holds an unexpired lease on it.
   *
   * @throws EngineUnavailableException when the engine cannot answer
   */
  public Acquired acquire(
      String queue, String requestId, String holder, String session, Instant now, Duration ttl) {
    Lease wanted = new Lease(queue, requestId, holder, session, now.plus(ttl));
    String id = leaseId(queue, requestId);
    if (documents.create(index, id, leaseDoc(wanted))) {
      return new Acquired(true, wanted);
    }
    Documents.Stored existing = documents.get(index, id).orElse(null);
    if (existing == null) {
      return acquire(queue, requestId, holder, session, now, ttl); // released in between: try again
    }
    Lease lease = lease(existing.source());
    if (!lease.session().equals(session) && lease.expires().isAfter(now)) {
      return new Acquired(false, lease);
    }
    if (!documents.replace(existing, leaseDoc(wanted))) {
      Documents.Stored winner = documents.get(index, id).orElse(null);
      return new Acquired(false, winner == null ? lease : lease(winner.source()));
    }
    return new Acquired(true, wanted);
  }

  /** The lease on a call, expired or not; empty when none. */
  public Optional<Lease> lease(String queue, String requestId) {
    return documents.get(index, leaseId(queue, requestId)).map(stored -> lease(stored.source()));
  }

  /** Gives a call back if this session holds it; true when it did. */
  public boolean release(String queue, String requestId, String session) {
    Documents.Stored existing = documents.get(index, leaseId(queue, requestId)).orElse(null);
    if (existing == null || !lease(existing.source()).session().equals(session)) {
      return false;
    }
    // Searched again at once by the next reviewer's request: it must not find the lease any more.
    return documents.delete(existing, true);
  }

  /**
   * The calls of a queue held by a session other than {@code except} (null: any) with a lease
   * unexpired at {@code now}.
   */
  public Set<String> leased(String queue, Instant now, String except) {
    ObjectNode body = json.createObjectNode();
    ObjectNode bool = body.putObject("query").putObject("bool");
    bool.putArray("filter")
        .add(term("kind", "lease"))
        .add(term("queue", queue))
        .addObject()
        .putObject("range")
        .putObject("expires_at")
        .put("gt", now.toEpochMilli());
    if (except != null) {
      bool.putArray("must_not").add(term("session", except));
    }
    body.put("size", MAX_LEASES);
    body.putArray("_source").add("request_id");
    Set<String> ids = new LinkedHashSet<>();
    for (SearchAnswer.Hit hit : searches.search(index, body).hits()) {
      ids.add(hit.source().path("request_id").asText());
    }
    return ids;
  }

  /**
   * A scoring run's checkpoint: what it scores and how far it got, by the last call it finished
   * ({@code cursorTime}, {@code cursorId}) in (timestamp, request_id) order.
   */
  public record Checkpoint(
      String id,
      String evaluator,
      String query,
      Instant from,
      Instant to,
      Instant cursorTime,
      String cursorId,
      String state,
      long total,
      long scanned,
      long scored,
      long skipped,
      long failed,
      Instant started,
      Instant updated) {}

  /** A run's checkpoint, or empty when it never ran. */
  public Optional<Checkpoint> checkpoint(String runId) {
    return documents
        .get(index, "run-" + runId)
        .map(
            stored -> {
              JsonNode s = stored.source();
              return new Checkpoint(
                  runId,
                  s.path("evaluator").asText(),
                  s.path("query").asText(""),
                  Instant.ofEpochMilli(s.path("from").asLong()),
                  Instant.ofEpochMilli(s.path("to").asLong()),
                  s.path("cursor_time").isNumber()
                      ? Instant.ofEpochMilli(s.path("cursor_time").asLong())
                      : null,
                  s.path("cursor_id").isTextual() ? s.path("cursor_id").asText() : null,
                  s.path("state").asText(),
                  s.path("total").asLong(-1),
                  s.path("scanned").asLong(),
                  s.path("scored").asLong(),
                  s.path("skipped").asLong(),
                  s.path("failed").asLong(),
                  Instant.ofEpochMilli(s.path("started").asLong()),
                  Instant.ofEpochMilli(s.path("updated_at").asLong()));
            });
  }

  /** Writes a run's checkpoint durably (the engine's translog is synced per request). */
  public void save(Checkpoint checkpoint) {
    ObjectNode doc = json.createObjectNode();
    doc.put("kind", "run");
    doc.put("evaluator", checkpoint.evaluator());
    doc.put("query", checkpoint.query());
    doc.put("from", checkpoint.from().toEpochMilli());
    doc.put("to", checkpoint.to().toEpochMilli());
    if (checkpoint.cursorTime() != null) {
      doc.put("cursor_time", checkpoint.cursorTime().toEpochMilli());
      doc.put("cursor_id", checkpoint.cursorId());
    }
    doc.put("state", checkpoint.state());
    doc.put("total", checkpoint.total());
    doc.put("scanned", checkpoint.scanned());
    doc.put("scored", checkpoint.scored());
    doc.put("skipped", checkpoint.skipped());
    doc.put("failed", checkpoint.failed());
    doc.put("started", checkpoint.started().toEpochMilli());
    doc.put("updated_at", checkpoint.updated().toEpochMilli());
    doc.put("updated", Timestamps.format(checkpoint.updated()));
    documents.write(index, "run-" + checkpoint.id(), doc);
  }

  private ObjectNode leaseDoc(Lease lease) {
    ObjectNode doc = json.createObjectNode();
    doc.put("kind", "lease");
    doc.put("queue", lease.queue());
    doc.put("request_id", lease.requestId());
    doc.put("holder", lease.holder());
    doc.put("session", lease.session());
    doc.put("expires_at", lease.expires().toEpochMilli());
    doc.put("updated", Timestamps.format(lease.expires()));
    return doc;
  }

  private static Lease lease(JsonNode source) {
    return new Lease(
        source.path("queue").asText(),
        source.path("request_id").asText(),
        source.path("holder").asText(),
        source.path("session").asText(),
        Instant.ofEpochMilli(source.path("expires_at").asLong()));
  }

  private ObjectNode term(String field, String value) {
    ObjectNode node = json.createObjectNode();
    node.putObject("term").put(field, value);
    return node;
  }

  static String leaseId(String queue, String requestId) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((queue + "\u0000" + requestId).getBytes(StandardCharsets.UTF_8));
      return "lease-" + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

package io.llmlog.server.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.core.Timestamps;
import io.llmlog.server.store.Documents;
import io.llmlog.server.store.LogStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The evaluator's lease: one document in the engine ({@code <prefix>llmlog-alerting/_doc/lease})
 * naming the server that evaluates the rules, until when, and the alert instances as of its last
 * evaluation. It is only ever replaced with optimistic concurrency ({@code if_seq_no} and {@code
 * if_primary_term}, or {@code op_type=create} when there is none), so of several servers that read
 * the same lease, one write wins and the others get 409. Because the instances are in the same
 * document, a transition is committed together with the lease: only the server whose write won
 * notifies, and a standby that takes over continues from the committed states.
 */
final class LeaseStore {
  static final String INDEX = "llmlog-alerting";
  static final String ID = "lease";

  private final LogStore store;
  private final ObjectMapper json;

  LeaseStore(LogStore store, ObjectMapper json) {
    this.store = store;
    this.json = json;
  }

  /** A lease as read, with the version to replace it conditionally. */
  record Lease(
      String holder,
      Instant expiresAt,
      Instant evaluatedAt,
      List<Instance> instances,
      Documents.Stored stored) {}

  String index() {
    return store.indexPrefix() + INDEX;
  }

  /**
   * Creates the lease's index unless it exists, and waits until its shard can be read: a lease read
   * while another server's first write is still creating the index would fail.
   */
  void ensureIndex() {
    store.documents().ensureIndex(index(), Duration.ofSeconds(10));
  }

  /** The lease, or null when none was ever written. */
  Lease read() {
    Documents.Stored stored = store.documents().get(index(), ID).orElse(null);
    if (stored == null) {
      return null;
    }
    JsonNode source = stored.source();
    List<Instance> instances = new ArrayList<>();
    for (JsonNode instance : source.path("instances")) {
      instances.add(Instance.fromJson(instance));
    }
    return new Lease(
        source.path("holder").asText(),
        Instant.ofEpochMilli(source.path("expires_at").asLong()),
        source.path("evaluated_at").isNumber()
            ? Instant.ofEpochMilli(source.path("evaluated_at").asLong())
            : null,
        instances,
        stored);
  }

  /**
   * Replaces {@code previous} (null: creates the lease) if nobody replaced it since it was read.
   *
   * @return false when another server's write came first
   */
  boolean write(
      Lease previous,
      String holder,
      Instant expiresAt,
      Instant evaluatedAt,
      Collection<Instance> instances) {
    ObjectNode doc = json.createObjectNode();
    doc.put("holder", holder);
    doc.put("expires_at", expiresAt.toEpochMilli());
    doc.put("expires", Timestamps.format(expiresAt));
    if (evaluatedAt != null) {
      doc.put("evaluated_at", evaluatedAt.toEpochMilli());
    }
    ArrayNode array = doc.putArray("instances");
    instances.forEach(instance -> array.add(instance.toJson()));
    return previous == null
        ? store.documents().create(index(), ID, doc)
        : store.documents().replace(previous.stored(), doc);
  }
}

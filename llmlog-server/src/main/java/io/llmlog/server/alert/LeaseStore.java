package io.llmlog.server.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.core.Timestamps;
import io.llmlog.server.store.EngineResponse;
import io.llmlog.server.store.EngineUnavailableException;
import io.llmlog.server.store.LogStore;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The evaluator's lease: one document in the engine ({@code <prefix>llmlog-alerting/_doc/lease})
 * naming the server that evaluates the rules, until when, and the alert instances as of its last
 * evaluation. It is only ever replaced with optimistic concurrency ({@code if_seq_no} and
 * {@code if_primary_term}, or {@code op_type=create} when there is none), so of several servers
 * that read the same lease, one write wins and the others get 409. Because the instances are in
 * the same document, a transition is committed together with the lease: only the server whose
 * write won notifies, and a standby that takes over continues from the committed states.
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
  record Lease(String holder, Instant expiresAt, Instant evaluatedAt, List<Instance> instances, long seqNo, long primaryTerm) {}

  String index() {
    return store.indexPrefix() + INDEX;
  }

  /**
   * Creates the lease's index unless it exists, and waits until its shard can be read: a lease
   * read while another server's first write is still creating the index would fail.
   */
  void ensureIndex() {
    EngineResponse created = store.request("PUT", "/" + index(), (JsonNode) null);
    if (!created.ok() && !created.text().contains("resource_already_exists_exception")) {
      throw new EngineUnavailableException("the search engine answered " + created.status() + " to creating " + index() + ": "
          + created.text(), null);
    }
    EngineResponse health = store.request("GET", "/_cluster/health/" + index() + "?wait_for_status=yellow&timeout=10s", (JsonNode) null);
    if (!health.ok() || tree(health).path("timed_out").asBoolean(false)) {
      throw new EngineUnavailableException("the alert lease index " + index() + " is not ready: " + health.text(), null);
    }
  }

  /** The lease, or null when none was ever written. */
  Lease read() {
    EngineResponse response = store.request("GET", "/" + index() + "/_doc/" + ID, (JsonNode) null);
    // A shard that was just created (by another server's first write) answers 503 while it recovers.
    for (int retry = 0; retry < 5 && response.status() == 503; retry++) {
      pause();
      response = store.request("GET", "/" + index() + "/_doc/" + ID, (JsonNode) null);
    }
    if (response.status() == 404) {
      return null;
    }
    if (!response.ok()) {
      throw new EngineUnavailableException("the search engine answered " + response.status() + " to reading the alert lease", null);
    }
    JsonNode root = tree(response);
    if (!root.path("found").asBoolean(false)) {
      return null;
    }
    JsonNode source = root.path("_source");
    List<Instance> instances = new ArrayList<>();
    for (JsonNode instance : source.path("instances")) {
      instances.add(Instance.fromJson(instance));
    }
    return new Lease(
        source.path("holder").asText(),
        Instant.ofEpochMilli(source.path("expires_at").asLong()),
        source.path("evaluated_at").isNumber() ? Instant.ofEpochMilli(source.path("evaluated_at").asLong()) : null,
        instances,
        root.path("_seq_no").asLong(),
        root.path("_primary_term").asLong());
  }

  /**
   * Replaces {@code previous} (null: creates the lease) if nobody replaced it since it was read.
   *
   * @return false when another server's write came first
   */
  boolean write(Lease previous, String holder, Instant expiresAt, Instant evaluatedAt, Collection<Instance> instances) {
    ObjectNode doc = json.createObjectNode();
    doc.put("holder", holder);
    doc.put("expires_at", expiresAt.toEpochMilli());
    doc.put("expires", Timestamps.format(expiresAt));
    if (evaluatedAt != null) {
      doc.put("evaluated_at", evaluatedAt.toEpochMilli());
    }
    ArrayNode array = doc.putArray("instances");
    instances.forEach(instance -> array.add(instance.toJson()));
    String condition = previous == null
        ? "op_type=create"
        : "if_seq_no=" + previous.seqNo() + "&if_primary_term=" + previous.primaryTerm();
    EngineResponse response = store.request("PUT", "/" + index() + "/_doc/" + ID + "?" + condition, doc);
    if (response.status() == 409) {
      return false;
    }
    if (!response.ok()) {
      throw new EngineUnavailableException("the search engine answered " + response.status() + " to writing the alert lease: "
          + response.text(), null);
    }
    return true;
  }

  private static void pause() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineUnavailableException("interrupted while reading the alert lease", e);
    }
  }

  private JsonNode tree(EngineResponse response) {
    try {
      return json.readTree(response.body());
    } catch (IOException e) {
      throw new EngineUnavailableException("the search engine answered with something that is not JSON", e);
    }
  }
}

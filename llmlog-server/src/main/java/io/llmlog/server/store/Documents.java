package io.llmlog.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Single documents by id, replaced only with optimistic concurrency: a write names the version it
 * read ({@code if_seq_no} and {@code if_primary_term}), or asks for creation ({@code
 * op_type=create}), so of several servers writing the same document one wins and the others learn
 * that they lost. The alert evaluator's lease and the review queues' leases are built on this.
 */
public final class Documents {
  /**
   * A shard that was just created (by another server's first write) answers 503 while it recovers.
   */
  private static final int RECOVERY_RETRIES = 5;

  private static final long RECOVERY_PAUSE_MILLIS = 200;

  private final EngineClient client;
  private final EngineAnswers answers;

  Documents(EngineClient client, EngineAnswers answers) {
    this.client = client;
    this.answers = answers;
  }

  /**
   * A document as stored, with the version a conditional write names.
   *
   * @param source its {@code _source}
   */
  public record Stored(String index, String id, JsonNode source, long seqNo, long primaryTerm) {}

  /**
   * Creates the index unless it exists, and waits until its shard can be read: a read while another
   * server's first write is still creating the index would fail.
   *
   * @throws EngineUnavailableException when the engine refuses, or the index is not ready within
   *     {@code wait}
   */
  public void ensureIndex(String index, Duration wait) {
    String name = IndexAdmin.exact(index);
    EngineResponse created = client.send("PUT", "/" + name, null);
    if (!created.ok() && !created.text().contains("resource_already_exists_exception")) {
      answers.ok(created, "creating " + name);
    }
    EngineResponse health =
        client.send(
            "GET",
            "/_cluster/health/"
                + name
                + "?wait_for_status=yellow&timeout="
                + wait.toSeconds()
                + "s",
            null);
    if (!health.ok() || answers.tree(health).path("timed_out").asBoolean(false)) {
      throw new EngineUnavailableException(
          "the index " + name + " is not ready: " + answers.reason(health), null);
    }
  }

  /**
   * The document, or empty when it (or its index) does not exist.
   *
   * @throws EngineUnavailableException when the engine cannot answer
   */
  public Optional<Stored> get(String index, String id) {
    String path = "/" + IndexAdmin.exact(index) + "/_doc/" + encode(id);
    EngineResponse response = client.send("GET", path, null);
    for (int retry = 0; retry < RECOVERY_RETRIES && response.status() == 503; retry++) {
      pause();
      response = client.send("GET", path, null);
    }
    if (response.status() == 404) {
      return Optional.empty();
    }
    JsonNode root = answers.tree(answers.ok(response, "reading " + index + "/" + id));
    if (!root.path("found").asBoolean(false)) {
      return Optional.empty();
    }
    return Optional.of(
        new Stored(
            index,
            id,
            root.path("_source"),
            root.path("_seq_no").asLong(),
            root.path("_primary_term").asLong()));
  }

  /**
   * Writes the document only if it does not exist yet.
   *
   * @return false when it exists (another writer came first)
   */
  public boolean create(String index, String id, JsonNode source) {
    return put(index, id, "op_type=create", source);
  }

  /**
   * Replaces the document only if nobody replaced it since {@code previous} was read.
   *
   * @return false when another write came first
   */
  public boolean replace(Stored previous, JsonNode source) {
    return put(
        previous.index(),
        previous.id(),
        "if_seq_no=" + previous.seqNo() + "&if_primary_term=" + previous.primaryTerm(),
        source);
  }

  /**
   * Writes the document whatever is stored under its id: for a document only one writer owns, such
   * as a scoring run's checkpoint.
   */
  public void write(String index, String id, JsonNode source) {
    put(index, id, null, source);
  }

  /**
   * Deletes the document only if nobody replaced it since {@code previous} was read.
   *
   * @param waitForRefresh return once searches no longer see it
   * @return false when another write came first, or it is gone already
   */
  public boolean delete(Stored previous, boolean waitForRefresh) {
    String path =
        "/"
            + IndexAdmin.exact(previous.index())
            + "/_doc/"
            + encode(previous.id())
            + "?if_seq_no="
            + previous.seqNo()
            + "&if_primary_term="
            + previous.primaryTerm()
            + (waitForRefresh ? "&refresh=wait_for" : "");
    EngineResponse response = client.send("DELETE", path, null);
    if (response.status() == 409 || response.status() == 404) {
      return false;
    }
    answers.ok(response, "deleting " + previous.index() + "/" + previous.id());
    return true;
  }

  /** A document to look up: its index and id. */
  public record Key(String index, String id) {}

  /**
   * Several documents in one request, read in real time (a document written a moment ago is found
   * although a search would not see it yet), each with only the given fields of its source.
   *
   * @return the documents found, in the order asked; missing ones (and missing indices) are left
   *     out
   * @throws EngineUnavailableException when the engine cannot answer
   */
  public List<Stored> getAll(List<Key> keys, List<String> fields) {
    if (keys.isEmpty()) {
      return List.of();
    }
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ArrayNode docs = body.putArray("docs");
    for (Key key : keys) {
      ObjectNode doc = docs.addObject();
      doc.put("_index", IndexAdmin.exact(key.index()));
      doc.put("_id", key.id());
      ArrayNode source = doc.putArray("_source");
      fields.forEach(source::add);
    }
    JsonNode answer =
        answers.tree(
            answers.ok(
                client.send("POST", "/_mget", answers.bytes(body)),
                "looking up " + keys.size() + " documents"));
    List<Stored> found = new ArrayList<>();
    for (JsonNode doc : answer.path("docs")) {
      if (doc.path("found").asBoolean(false)) {
        found.add(
            new Stored(
                doc.path("_index").asText(),
                doc.path("_id").asText(),
                doc.path("_source"),
                doc.path("_seq_no").asLong(),
                doc.path("_primary_term").asLong()));
      }
    }
    return found;
  }

  private boolean put(String index, String id, String condition, JsonNode source) {
    String path =
        "/"
            + IndexAdmin.exact(index)
            + "/_doc/"
            + encode(id)
            + (condition == null ? "" : "?" + condition);
    EngineResponse response = client.send("PUT", path, answers.bytes(source));
    if (response.status() == 409) {
      return false;
    }
    answers.ok(response, "writing " + index + "/" + id);
    return true;
  }

  private static String encode(String id) {
    return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static void pause() {
    try {
      Thread.sleep(RECOVERY_PAUSE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineUnavailableException("interrupted while waiting for a shard to recover", e);
    }
  }
}

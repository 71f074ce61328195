package io.llmlog.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Single documents by id, replaced only with optimistic concurrency: a write names the version it
 * read ({@code if_seq_no} and {@code if_primary_term}), or asks for creation ({@code op_type=create}),
 * so of several servers writing the same document one wins and the others learn that they lost.
 * The alert evaluator's lease is built on this.
 */
public final class Documents {
  /** A shard that was just created (by another server's first write) answers 503 while it recovers. */
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
   * @throws EngineUnavailableException when the engine refuses, or the index is not ready within {@code wait}
   */
  public void ensureIndex(String index, Duration wait) {
    String name = IndexAdmin.exact(index);
    EngineResponse created = client.send("PUT", "/" + name, null);
    if (!created.ok() && !created.text().contains("resource_already_exists_exception")) {
      answers.ok(created, "creating " + name);
    }
    EngineResponse health = client.send("GET", "/_cluster/health/" + name + "?wait_for_status=yellow&timeout=" + wait.toSeconds() + "s", null);
    if (!health.ok() || answers.tree(health).path("timed_out").asBoolean(false)) {
      throw new EngineUnavailableException("the index " + name + " is not ready: " + answers.reason(health), null);
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
    return Optional.of(new Stored(index, id, root.path("_source"), root.path("_seq_no").asLong(), root.path("_primary_term").asLong()));
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
    return put(previous.index(), previous.id(), "if_seq_no=" + previous.seqNo() + "&if_primary_term=" + previous.primaryTerm(), source);
  }

  private boolean put(String index, String id, String condition, JsonNode source) {
    EngineResponse response = client.send("PUT", "/" + IndexAdmin.exact(index) + "/_doc/" + encode(id) + "?" + condition, answers.bytes(source));
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

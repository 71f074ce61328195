package io.llmlog.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.server.config.LlmlogConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Where llmlog keeps its data: the engine's daily indices, reached through its REST API. This is
 * the only code that talks to the engine, embedded or external alike.
 */
public final class LogStore implements AutoCloseable {
  private static final org.apache.logging.log4j.Logger LOG = org.apache.logging.log4j.LogManager.getLogger(LogStore.class);

  private final EngineClient client;
  private final ObjectMapper json;
  private final LlmlogConfig.Engine config;
  private final IndexTemplates templates;
  private final BulkWriter writer;
  private final CallReader reader;
  private final GroupSearches groups;
  private final GroupDocuments groupDocuments;
  private volatile boolean openSearch = true;

  public LogStore(List<URI> nodes, LlmlogConfig.Engine config, ObjectMapper json, MeterRegistry meters) {
    this.client = new EngineClient(nodes, config.username(), config.password(), config.requestTimeout());
    this.json = json;
    this.config = config;
    this.templates = new IndexTemplates(json, config);
    this.writer = new BulkWriter(client, json, config.maxConcurrentBulks(), config.bulkQueueTimeout(), config.requestTimeout(), meters);
    this.reader = new CallReader(this, json);
    this.groups = new GroupSearches(this, json);
    this.groupDocuments = new GroupDocuments(this, json);
  }

  /**
   * True when the engine is OpenSearch (embedded, or an external OpenSearch cluster), false for
   * Elasticsearch: the few request options whose names differ between the two ask this.
   */
  public boolean openSearch() {
    return openSearch;
  }

  /** The prefix of every index name this store uses. */
  public String indexPrefix() {
    return config.indexPrefix();
  }

  /** The daily index of a family for an instant. */
  public String index(IndexFamily family, Instant instant) {
    return family.index(config.indexPrefix(), instant);
  }

  /** The pattern of a family's indices. */
  public String pattern(IndexFamily family) {
    return family.pattern(config.indexPrefix());
  }

  /**
   * Waits until the engine answers and its cluster is usable, then installs the index templates.
   *
   * @throws EngineUnavailableException when the engine is not ready within {@code wait}
   */
  public void start(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      try {
        EngineResponse health = client.send("GET", "/_cluster/health?wait_for_status=yellow&timeout=5s", null);
        if (health.ok() && !json.readTree(health.body()).path("timed_out").asBoolean(false)) {
          openSearch = "opensearch".equals(tree(client.send("GET", "/", null)).path("version").path("distribution").asText("elasticsearch"));
          installTemplates();
          return;
        }
        last = new EngineUnavailableException("cluster health: " + health.text(), null);
      } catch (EngineUnavailableException e) {
        last = e;
      } catch (IOException e) {
        last = new EngineUnavailableException("unreadable cluster health", e);
      }
      sleep(500);
    }
    throw new EngineUnavailableException("the search engine at " + client.nodes() + " was not ready within " + wait.toSeconds() + " s: "
        + (last == null ? "no answer" : last.getMessage()), last);
  }

  private void installTemplates() {
    templates.all().forEach((family, template) -> putTemplate(templates.name(family), template));
    putTemplate(config.indexPrefix() + "llmlog-alerting", templates.alerting(config.indexPrefix() + "llmlog-alerting"));
  }

  /** Installs or replaces a composable index template. */
  public void putTemplate(String name, ObjectNode template) {
    EngineResponse response = client.send("PUT", "/_index_template/" + name, bytes(template));
    if (!response.ok()) {
      throw new EngineUnavailableException("the search engine refused index template " + name + ": " + BulkWriter.abbreviate(response.text()), null);
    }
    LOG.debug("installed index template {}", name);
  }

  /** The engine's cluster health, or a document saying why it is unavailable. */
  public JsonNode health() {
    EngineResponse response = client.send("GET", "/_cluster/health", null, "application/json", Duration.ofSeconds(5));
    return tree(response);
  }

  /** Writes documents durably: the engine acknowledges only after its translog is on disk. */
  public List<WriteResult> write(List<WriteOp> ops, boolean waitForRefresh) {
    return writer.write(ops, waitForRefresh);
  }

  /** Reads calls and their quality records. */
  public CallReader calls() {
    return reader;
  }

  /** The searches behind listings of traces, sessions and users. */
  public GroupSearches groups() {
    return groups;
  }

  /** The documents of traces and sessions. */
  public GroupDocuments groupDocuments() {
    return groupDocuments;
  }

  /** A request to the engine's REST API, for the search capabilities built on it. */
  public EngineResponse request(String method, String path, JsonNode body) {
    return client.send(method, path, body == null ? null : bytes(body));
  }

  /** A request with a raw body, such as an NDJSON {@code _msearch}. */
  public EngineResponse request(String method, String path, byte[] body, String contentType) {
    return client.send(method, path, body, contentType, config.requestTimeout());
  }

  /** The engine's client, for the store's administrative classes that need their own timeouts. */
  EngineClient client() {
    return client;
  }

  JsonNode tree(EngineResponse response) {
    try {
      return json.readTree(response.body());
    } catch (IOException e) {
      throw new EngineUnavailableException("the search engine answered " + response.status() + " with something that is not JSON", e);
    }
  }

  byte[] bytes(JsonNode node) {
    try {
      return json.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineUnavailableException("interrupted while waiting for the search engine", e);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}

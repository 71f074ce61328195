package io.llmlog.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
  private static final org.apache.logging.log4j.Logger LOG =
      org.apache.logging.log4j.LogManager.getLogger(LogStore.class);

  /** How often start-up says what it waits for. */
  private static final Duration WAIT_LOG_INTERVAL = Duration.ofSeconds(5);

  private final EngineClient client;
  private final ObjectMapper json;
  private final LlmlogConfig.Engine config;
  private final BulkWriter writer;
  private final CallReader reader;
  private final EngineAnswers answers;
  private final Documents documents;
  private final Searches searches;
  private final IndexSchema schema;
  private final CallScan callScan;
  private final CallContexts callContexts;
  private final QualityRecords qualityRecords;
  private final QualityState qualityState;
  private final ScoreAggregations scoreAggregations;
  private final GroupSearches groups;
  private final GroupDocuments groupDocuments;
  private volatile boolean openSearch = true;

  public LogStore(
      List<URI> nodes, LlmlogConfig.Engine config, ObjectMapper json, MeterRegistry meters) {
    this.client =
        new EngineClient(nodes, config.username(), config.password(), config.requestTimeout());
    this.json = json;
    this.config = config;
    this.answers = new EngineAnswers(json);
    this.writer =
        new BulkWriter(
            client,
            answers,
            json,
            config.maxConcurrentBulks(),
            config.bulkQueueTimeout(),
            config.requestTimeout(),
            meters);
    this.documents = new Documents(client, answers);
    this.searches = new Searches(client, answers, config.indexPrefix(), config.requestTimeout());
    this.schema =
        new IndexSchema(
            client,
            answers,
            new IndexTemplates(json, config),
            config.indexPrefix(),
            config.templatePriority());
    this.reader = new CallReader(this, json);
    this.callScan = new CallScan(searches, json);
    this.callContexts = new CallContexts(documents, config.indexPrefix());
    this.qualityRecords = new QualityRecords(searches, json);
    this.qualityState = new QualityState(documents, searches, json, config.indexPrefix());
    this.scoreAggregations = new ScoreAggregations(searches, json);
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
   * While it waits it says so every few seconds; a permanent refusal ends the wait at once.
   *
   * @throws EngineUnavailableException when the engine is not ready within {@code wait}
   * @throws EngineRefusedException when the engine refuses llmlog for good (a conflicting template,
   *     credentials, its version), with the cause and the fix
   */
  public void start(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    long nextLog = System.nanoTime() + WAIT_LOG_INTERVAL.toNanos();
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      try {
        EngineResponse health =
            client.send("GET", "/_cluster/health?wait_for_status=yellow&timeout=5s", null);
        if (health.status() == 401 || health.status() == 403) {
          throw EngineRefusals.credentials(health, client.nodes());
        }
        if (health.ok() && !json.readTree(health.body()).path("timed_out").asBoolean(false)) {
          JsonNode version = tree(client.send("GET", "/", null)).path("version");
          String distribution = version.path("distribution").asText("elasticsearch");
          EngineRefusedException unusable =
              EngineRefusals.version(
                  distribution, version.path("number").asText(""), client.nodes());
          if (unusable != null) {
            throw unusable;
          }
          openSearch = "opensearch".equals(distribution);
          schema.install(distribution, version.path("number").asText(""));
          return;
        }
        last = new EngineUnavailableException("cluster health: " + health.text(), null);
      } catch (EngineUnavailableException e) {
        last = e;
      } catch (IOException e) {
        last = new EngineUnavailableException("unreadable cluster health", e);
      }
      if (System.nanoTime() > nextLog) {
        LOG.info(
            "waiting for the search engine at {} to be ready: {}",
            client.nodes(),
            last.getMessage());
        nextLog = System.nanoTime() + WAIT_LOG_INTERVAL.toNanos();
      }
      sleep(500);
    }
    throw new EngineUnavailableException(
        "the search engine at "
            + client.nodes()
            + " was not ready within "
            + wait.toSeconds()
            + " s: "
            + (last == null ? "no answer" : last.getMessage()),
        last);
  }

  /**
   * The engine's cluster health.
   *
   * @throws EngineUnavailableException when the engine does not answer
   */
  public EngineHealth health() {
    JsonNode health =
        tree(
            client.send(
                "GET", "/_cluster/health", null, "application/json", Duration.ofSeconds(5)));
    return new EngineHealth(
        health.path("status").asText("unknown"),
        health.path("cluster_name").asText(),
        health.path("number_of_nodes").asInt());
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

  /** Searches of the index families, and the facade's forwarded searches. */
  public Searches searches() {
    return searches;
  }

  /** Single documents by id with optimistic concurrency, such as the alert lease. */
  public Documents documents() {
    return documents;
  }

  /** Calls matching a query, a page at a time in time order, for scoring runs and review queues. */
  public CallScan callScan() {
    return callScan;
  }

  /** The indexed values of calls and their counts per time slice, for durable rollups. */
  public CallColumns callColumns() {
    return new CallColumns(searches);
  }

  /** The fields of stored calls that their quality records carry too, read in real time. */
  public CallContexts callContexts() {
    return callContexts;
  }

  /**
   * Lookups in the quality records: scored or reviewed calls, request ids of matching records,
   * score names.
   */
  public QualityRecords qualityRecords() {
    return qualityRecords;
  }

  /** The quality capability's shared state: review leases and scoring-run checkpoints. */
  public QualityState qualityState() {
    return qualityState;
  }

  /** Statistics of scores and feedback over quality records. */
  public ScoreAggregations scoreAggregations() {
    return scoreAggregations;
  }

  /** Index administration (listing, merging, deleting) with the configured request timeout. */
  public IndexAdmin indices() {
    return new IndexAdmin(this, json, config.requestTimeout());
  }

  /** The engine's client, for the store's administrative classes that need their own timeouts. */
  EngineClient client() {
    return client;
  }

  EngineAnswers answers() {
    return answers;
  }

  JsonNode tree(EngineResponse response) {
    return answers.tree(response);
  }

  byte[] bytes(JsonNode node) {
    return answers.bytes(node);
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

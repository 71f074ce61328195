package io.llmlog.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.engine.EmbeddedEngine;
import io.llmlog.engine.EngineOptions;
import io.llmlog.server.LlmlogServer;
import io.llmlog.server.config.LlmlogConfig;
import io.llmlog.server.config.Settings;
import io.llmlog.server.lifecycle.LifecycleSettings;
import io.llmlog.server.store.IndexAdmin;
import io.llmlog.server.store.LogStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One embedded OpenSearch node with both contestants on it: llmlog (a server in this JVM, using the
 * node through {@code engine.url} with index prefix {@value #LLMLOG_PREFIX}, as the embedded
 * default does through its private port) and the peer, the brief's template for {@code llm-logs-*}
 * that documents reach by a direct {@code _bulk}. Engine, llmlog and the load generator share one
 * JVM, as engine and llmlog do in {@code llmlog serve}. Closing stops both and deletes the
 * directory.
 */
final class Rig implements AutoCloseable {
  /** llmlog's indices are {@code llmlog-llm-logs-*}; its users still write {@code llm-logs-*}. */
  static final String LLMLOG_PREFIX = "llmlog-";

  /** The peer's indices, as the brief's Logstash output names them. */
  static final String PEER_PREFIX = "";

  final Path dir;
  final EmbeddedEngine engine;
  final LlmlogServer server;
  final HttpClient http;
  final ObjectMapper json = new ObjectMapper();
  private final boolean keep;

  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final Thread cleanup = new Thread(this::closeQuietly, "llmlog-bench-cleanup");

  private Rig(Path dir, EmbeddedEngine engine, LlmlogServer server, boolean keep) {
    this.dir = dir;
    this.engine = engine;
    this.server = server;
    this.keep = keep;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    // A benchmark stopped with Ctrl-C or kill must not leave gigabytes of indices behind.
    Runtime.getRuntime().addShutdownHook(cleanup);
  }

  private void closeQuietly() {
    try {
      close();
    } catch (IOException | RuntimeException e) {
      System.err.println("could not clean up " + dir + ": " + e);
    }
  }

  /**
   * Starts the node, installs the brief's template and starts llmlog on the node.
   *
   * @param llmlogSettings extra llmlog settings as dotted keys ({@code engine.refresh_interval=1s})
   */
  static Rig start(Path parent, Map<String, String> llmlogSettings, boolean keep)
      throws IOException {
    Files.createDirectories(parent);
    return open(Files.createTempDirectory(parent, "llmlog-bench-"), llmlogSettings, keep);
  }

  /**
   * Starts the node and llmlog again on a directory an earlier run kept ({@code --keep}), with its
   * indices as that run left them; the directory is kept again.
   */
  static Rig reuse(Path kept, Map<String, String> llmlogSettings) throws IOException {
    if (!Files.isDirectory(kept.resolve("node"))) {
      throw new IllegalArgumentException(kept + " is not a directory kept by a benchmark run");
    }
    return open(kept, llmlogSettings, true);
  }

  private static Rig open(Path dir, Map<String, String> llmlogSettings, boolean keep)
      throws IOException {
    EmbeddedEngine engine =
        EmbeddedEngine.start(EngineOptions.builder(dir.resolve("node")).httpPort(0).build());
    LlmlogServer server = null;
    try {
      Map<String, Object> settings = new LinkedHashMap<>();
      settings.put(
          "server",
          new LinkedHashMap<>(
              Map.of(
                  "data_dir",
                  dir.resolve("llmlog").toString(),
                  "port",
                  0,
                  "es_port",
                  0,
                  "otlp_port",
                  0)));
      settings.put(
          "engine",
          new LinkedHashMap<>(
              Map.of("url", engine.httpUri().toString(), "index_prefix", LLMLOG_PREFIX)));
      // No lifecycle: the benchmarks' days are months old by the machine's clock, and its hourly
      // run would archive them mid-run.
      settings.put("lifecycle", new LinkedHashMap<>(Map.of("enabled", false)));
      Settings base = Settings.of(settings, name -> null);
      for (Map.Entry<String, String> extra : llmlogSettings.entrySet()) {
        base = base.with(extra.getKey(), extra.getValue());
      }
      server = LlmlogServer.start(LlmlogConfig.from(base), Clock.systemUTC());
      Rig rig = new Rig(dir, engine, server, keep);
      rig.engineRequest(
          "PUT",
          "/_template/" + Brief.TEMPLATE_NAME,
          Brief.TEMPLATE.getBytes(StandardCharsets.UTF_8));
      return rig;
    } catch (RuntimeException e) {
      if (server != null) {
        server.close();
      }
      engine.close();
      throw e;
    }
  }

  /** The run's directory: the node's data under {@code node}, llmlog's under {@code llmlog}. */
  Path dir() {
    return dir;
  }

  URI engineUri() {
    return engine.httpUri();
  }

  URI apiUri() {
    return URI.create("http://127.0.0.1:" + server.port());
  }

  URI esUri() {
    return URI.create("http://127.0.0.1:" + server.esPort());
  }

  /**
   * A store over the node with an index prefix, for llmlog's search services on either contestant's
   * indices.
   */
  LogStore store(String prefix) {
    Settings settings =
        Settings.of(
            Map.of(
                "engine",
                Map.of(
                    "url",
                    engine.httpUri().toString(),
                    "index_prefix",
                    prefix,
                    "request_timeout",
                    "300s")),
            name -> null);
    return new LogStore(
        List.of(engine.httpUri()),
        LlmlogConfig.from(settings).engine(),
        json,
        new SimpleMeterRegistry());
  }

  /** A request to the node; fails unless 2xx. */
  JsonNode engineRequest(String method, String path, byte[] body) {
    HttpResponse<byte[]> response =
        send(engineUri(), method, path, body, "application/json", Duration.ofHours(2));
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(
          method
              + " "
              + path
              + " answered "
              + response.statusCode()
              + ": "
              + new String(response.body(), StandardCharsets.UTF_8));
    }
    try {
      return json.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  HttpResponse<byte[]> send(
      URI base, String method, String path, byte[] body, String contentType, Duration timeout) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(timeout)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (body != null) {
      request.header("Content-Type", contentType);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Makes everything written searchable. */
  void refresh(String indices) {
    engineRequest(
        "POST", "/" + indices + "/_refresh?ignore_unavailable=true&allow_no_indices=true", null);
  }

  long count(String indices) {
    return engineRequest(
            "GET", "/" + indices + "/_count?ignore_unavailable=true&allow_no_indices=true", null)
        .path("count")
        .asLong();
  }

  void delete(String indices) {
    engineRequest(
        "DELETE",
        "/" + indices + "?ignore_unavailable=true&allow_no_indices=true&expand_wildcards=all",
        null);
  }

  /** Waits until the node runs no merge, so that one run's merging does not bill the next. */
  void awaitMergesIdle(Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode nodes = engineRequest("GET", "/_nodes/stats/indices/merge", null).path("nodes");
      long current = 0;
      for (JsonNode node : nodes) {
        current += node.path("indices").path("merges").path("current").asLong();
      }
      if (current == 0) {
        return;
      }
      sleep(200);
    }
  }

  /** Merges every shard of the indices into one segment; waits for it. */
  void forceMerge(String indices) {
    engineRequest("POST", "/" + indices + "/_forcemerge?max_num_segments=1", null);
    // The merged-away segments' files go once no reader holds them: refresh, then commit.
    refresh(indices);
    engineRequest("POST", "/" + indices + "/_flush?force=true", null);
  }

  /**
   * What llmlog's lifecycle does to an index at {@code warm_after}: blocks writes and force-merges
   * it with the warm codec ({@link LifecycleSettings#WARM_CODEC}), with llmlog's own code, one
   * index at a time as the lifecycle does.
   *
   * @param indices an index name, or several separated by commas
   */
  void warm(String indices) {
    IndexAdmin admin = new IndexAdmin(store(LLMLOG_PREFIX), json, Duration.ofHours(2));
    for (String index : indices.split(",")) {
      admin.blockWrites(index);
      admin.forceMerge(index, LifecycleSettings.WARM_CODEC, Duration.ofHours(2));
    }
    refresh(indices);
    engineRequest("POST", "/" + indices + "/_flush?force=true", null);
  }

  /** The primaries' documents and their files' size on disk (the only copy on one node). */
  record IndexSize(
      long docs,
      long deletedDocs,
      long storeBytes,
      int segments,
      Map<String, Long> bytesByFileKind) {}

  IndexSize size(String indices) throws IOException {
    JsonNode primaries =
        engineRequest("GET", "/" + indices + "/_stats/docs,store,segments", null)
            .path("_all")
            .path("primaries");
    Map<String, Long> kinds = new TreeMap<>();
    JsonNode cat =
        engineRequest("GET", "/_cat/indices/" + indices + "?format=json&h=index,uuid", null);
    for (JsonNode index : cat) {
      try (Stream<Path> files = Files.walk(dir.resolve("node"))) {
        for (Path file :
            files
                .filter(
                    p ->
                        p.toString().contains("/" + index.path("uuid").asText() + "/")
                            && p.getParent().getFileName().toString().equals("index")
                            && Files.isRegularFile(p))
                .toList()) {
          kinds.merge(fileKind(file.getFileName().toString()), Files.size(file), Long::sum);
        }
      }
    }
    // The files, not the store statistics: the engine caches those for ten seconds, and a merge
    // changes them.
    long bytes = kinds.values().stream().mapToLong(Long::longValue).sum();
    return new IndexSize(
        primaries.path("docs").path("count").asLong(),
        primaries.path("docs").path("deleted").asLong(),
        bytes,
        primaries.path("segments").path("count").asInt(),
        kinds);
  }

  /** What Lucene keeps in a file, by its extension. */
  static String fileKind(String name) {
    int dot = name.lastIndexOf('.');
    String extension = dot < 0 ? name : name.substring(dot + 1);
    return switch (extension) {
      case "fdt", "fdx", "fdm" -> "stored fields (_source, _id)";
      case "tim", "tip", "tmd" -> "term dictionary";
      case "doc" -> "postings (doc ids, freqs)";
      case "pos", "pay" -> "positions";
      case "nvd", "nvm" -> "norms";
      case "dvd", "dvm" -> "doc values";
      case "kdd", "kdi", "kdm" -> "points (numbers, dates)";
      case "cfs", "cfe" -> "compound (small segments)";
      default -> "other (" + (name.startsWith("segments") ? "segments" : extension) + ")";
    };
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws IOException {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (Thread.currentThread() != cleanup) {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    }
    server.close();
    engine.close();
    http.close();
    if (!keep) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(file);
        }
      }
    }
  }
}

package io.llmlog.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How to start an {@link EmbeddedEngine}. Build one with {@link #builder(Path)}; every other knob
 * has a default that suits {@code llmlog serve}.
 *
 * @param dataDir where the node keeps everything: its home, data and logs live under {@code
 *     <dataDir>/engine}
 * @param host the address HTTP and transport bind to; loopback by default, because the engine is
 *     private to llmlog and has no authentication
 * @param httpPort the HTTP port, or 0 to let the operating system pick a free one (see {@link
 *     EmbeddedEngine#httpUri()})
 * @param transportPort the node-to-node transport port, or 0 for a free one; a single node still
 *     binds it
 * @param heap how much of the shared JVM heap the engine's caches and buffers may take
 * @param diskThresholdEnabled whether the node stops allocating shards when the disk fills up; only
 *     tests turn it off, a user must never lose that protection silently
 * @param engineLogLevel the level of OpenSearch's own loggers ({@code org.opensearch}); WARN hides
 *     its start-up chatter
 * @param closeTimeout how long {@link EmbeddedEngine#close()} waits for the node to stop
 * @param extraSettings raw OpenSearch node settings, applied last so they override everything above
 */
public record EngineOptions(
    Path dataDir,
    String host,
    int httpPort,
    int transportPort,
    HeapShares heap,
    boolean diskThresholdEnabled,
    String engineLogLevel,
    Duration closeTimeout,
    Map<String, String> extraSettings) {

  /** The loopback address the engine binds to unless told otherwise. */
  public static final String LOOPBACK = "127.0.0.1";

  private static final Set<String> LOG_LEVELS =
      Set.of("OFF", "FATAL", "ERROR", "WARN", "INFO", "DEBUG", "TRACE", "ALL");

  public EngineOptions {
    Objects.requireNonNull(dataDir, "dataDir");
    dataDir = dataDir.toAbsolutePath().normalize();
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host is blank");
    }
    checkPort("httpPort", httpPort);
    checkPort("transportPort", transportPort);
    Objects.requireNonNull(heap, "heap");
    Objects.requireNonNull(engineLogLevel, "engineLogLevel");
    engineLogLevel = engineLogLevel.toUpperCase(Locale.ROOT);
    if (!LOG_LEVELS.contains(engineLogLevel)) {
      throw new IllegalArgumentException(
          "engineLogLevel must be one of " + LOG_LEVELS + ", was " + engineLogLevel);
    }
    Objects.requireNonNull(closeTimeout, "closeTimeout");
    if (closeTimeout.isNegative() || closeTimeout.isZero()) {
      throw new IllegalArgumentException("closeTimeout must be positive, was " + closeTimeout);
    }
    extraSettings = Map.copyOf(Objects.requireNonNull(extraSettings, "extraSettings"));
  }

  /** Options with defaults for everything but the data directory. */
  public static Builder builder(Path dataDir) {
    return new Builder(dataDir);
  }

  /** A builder pre-filled with these options. */
  public Builder toBuilder() {
    return new Builder(dataDir)
        .host(host)
        .httpPort(httpPort)
        .transportPort(transportPort)
        .heap(heap)
        .diskThresholdEnabled(diskThresholdEnabled)
        .engineLogLevel(engineLogLevel)
        .closeTimeout(closeTimeout)
        .extraSettings(extraSettings);
  }

  private static void checkPort(String name, int port) {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException(
          name + " must be 0 (any free port) or 1-65535, was " + port);
    }
  }

  /**
   * Shares of the JVM heap, in percent, that the embedded node may use. An embedded node shares the
   * heap with llmlog itself, so every OpenSearch default that says "a share of the heap" is set
   * explicitly here rather than left to defaults that assume OpenSearch owns the whole JVM.
   *
   * @param indexBufferPercent {@code indices.memory.index_buffer_size}: in-memory buffer for new
   *     documents, shared by all shards being written
   * @param queryCachePercent {@code indices.queries.cache.size}: cached filter bitsets
   * @param fielddataCachePercent {@code indices.fielddata.cache.size}: uninverted text fields;
   *     unbounded by default in OpenSearch, which is not acceptable in a shared heap
   * @param totalBreakerPercent {@code indices.breaker.total.limit}: the parent circuit breaker,
   *     which with real-memory accounting measures the whole heap, llmlog's own objects included
   */
  public record HeapShares(
      int indexBufferPercent,
      int queryCachePercent,
      int fielddataCachePercent,
      int totalBreakerPercent) {
    /** The defaults; see RATIONALE.md for why each number. */
    public static final HeapShares DEFAULTS = new HeapShares(10, 5, 10, 95);

    public HeapShares {
      checkPercent("indexBufferPercent", indexBufferPercent, 1);
      checkPercent("queryCachePercent", queryCachePercent, 0);
      checkPercent("fielddataCachePercent", fielddataCachePercent, 0);
      checkPercent("totalBreakerPercent", totalBreakerPercent, 1);
    }

    private static void checkPercent(String name, int value, int min) {
      if (value < min || value > 100) {
        throw new IllegalArgumentException(
            name + " must be between " + min + " and 100, was " + value);
      }
    }
  }

  /** Builds {@link EngineOptions}; validation happens in {@link #build()}. */
  public static final class Builder {
    private final Path dataDir;
    private String host = LOOPBACK;
    private int httpPort;
    private int transportPort;
    private HeapShares heap = HeapShares.DEFAULTS;
    private boolean diskThresholdEnabled = true;
    private String engineLogLevel = "WARN";
    private Duration closeTimeout = Duration.ofSeconds(10);
    private final Map<String, String> extraSettings = new LinkedHashMap<>();

    private Builder(Path dataDir) {
      this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
    }

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /** 0, the default, picks a free port. */
    public Builder httpPort(int httpPort) {
      this.httpPort = httpPort;
      return this;
    }

    /** 0, the default, picks a free port. */
    public Builder transportPort(int transportPort) {
      this.transportPort = transportPort;
      return this;
    }

    public Builder heap(HeapShares heap) {
      this.heap = heap;
      return this;
    }

    /**
     * Tests turn this off so a nearly full disk on a build machine does not block index creation.
     */
    public Builder diskThresholdEnabled(boolean diskThresholdEnabled) {
      this.diskThresholdEnabled = diskThresholdEnabled;
      return this;
    }

    public Builder engineLogLevel(String engineLogLevel) {
      this.engineLogLevel = engineLogLevel;
      return this;
    }

    public Builder closeTimeout(Duration closeTimeout) {
      this.closeTimeout = closeTimeout;
      return this;
    }

    /**
     * One raw OpenSearch setting, such as {@code node.processors=2}; overrides what llmlog sets.
     */
    public Builder extraSetting(String key, String value) {
      extraSettings.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    public Builder extraSettings(Map<String, String> settings) {
      settings.forEach(this::extraSetting);
      return this;
    }

    public EngineOptions build() {
      return new EngineOptions(
          dataDir,
          host,
          httpPort,
          transportPort,
          heap,
          diskThresholdEnabled,
          engineLogLevel,
          closeTimeout,
          extraSettings);
    }
  }
}

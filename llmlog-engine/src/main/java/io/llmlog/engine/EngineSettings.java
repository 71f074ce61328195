package io.llmlog.engine;

import org.opensearch.common.settings.Settings;

/** Turns {@link EngineOptions} into the settings of a single embedded OpenSearch node. */
final class EngineSettings {
  static final String CLUSTER_NAME = "llmlog";
  static final String NODE_NAME = "llmlog-embedded";

  private EngineSettings() {}

  static Settings of(EngineOptions options, EnginePaths paths) {
    EngineOptions.HeapShares heap = options.heap();
    Settings.Builder settings = Settings.builder()
        .put("path.home", paths.home().toString())
        .put("path.data", paths.data().toString())
        // Keeps OpenSearch from ever writing a logs/ folder into the working directory.
        .put("path.logs", paths.logs().toString())
        .put("cluster.name", CLUSTER_NAME)
        .put("node.name", NODE_NAME)
        .put("discovery.type", "single-node")
        .put("network.host", options.host())
        // OpenSearch binds port 0 to an ephemeral port and reports it in boundAddress(): no probe, no race.
        .put("http.port", Integer.toString(options.httpPort()))
        .put("transport.port", Integer.toString(options.transportPort()))
        .put("http.type", "netty4")
        .put("transport.type", "netty4")
        // A single node can never hold a replica: without this every new index stays yellow.
        .put("cluster.default_number_of_replicas", "0")
        .put("cluster.routing.allocation.disk.threshold_enabled", options.diskThresholdEnabled())
        // The heap is shared with llmlog: every heap share is set explicitly (see RATIONALE.md).
        .put("indices.memory.index_buffer_size", heap.indexBufferPercent() + "%")
        .put("indices.queries.cache.size", heap.queryCachePercent() + "%")
        .put("indices.fielddata.cache.size", heap.fielddataCachePercent() + "%")
        // Real-memory accounting is the one breaker that also sees llmlog's own allocations.
        .put("indices.breaker.total.use_real_memory", true)
        .put("indices.breaker.total.limit", heap.totalBreakerPercent() + "%");
    options.extraSettings().forEach(settings::put);
    return settings.build();
  }
}

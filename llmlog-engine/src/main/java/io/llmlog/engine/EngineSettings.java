package io.llmlog.engine;

import org.opensearch.common.settings.Settings;

/** Turns {@link EngineOptions} into the settings of a single embedded OpenSearch node. */
final class EngineSettings {
  static final String CLUSTER_NAME = "llmlog";
  static final String NODE_NAME = "llmlog-embedded";

  /**
   * The script contexts of searches: aggregations (scripted_metric's four phases, bucket_script,
   * bucket_selector, moving_fn), script fields, script queries and scores, script sorts. Not {@code
   * update}, {@code ingest} or {@code template}: nothing may write or transform documents with a
   * script.
   */
  static final String SEARCH_SCRIPT_CONTEXTS =
      "aggs,aggs_init,aggs_map,aggs_combine,aggs_reduce,bucket_aggregation,aggregation_selector,"
          + "moving-function,field,filter,score,terms_set,number_sort,string_sort";

  private EngineSettings() {}

  static Settings of(EngineOptions options, EnginePaths paths) {
    EngineOptions.HeapShares heap = options.heap();
    Settings.Builder settings =
        Settings.builder()
            .put("path.home", paths.home().toString())
            .put("path.data", paths.data().toString())
            // Keeps OpenSearch from ever writing a logs/ folder into the working directory.
            .put("path.logs", paths.logs().toString())
            .put("cluster.name", CLUSTER_NAME)
            .put("node.name", NODE_NAME)
            .put("discovery.type", "single-node")
            .put("network.host", options.host())
            // OpenSearch binds port 0 to an ephemeral port and reports it in boundAddress(): no
            // probe, no race.
            .put("http.port", Integer.toString(options.httpPort()))
            .put("transport.port", Integer.toString(options.transportPort()))
            .put("http.type", "netty4")
            .put("transport.type", "netty4")
            // A single node can never hold a replica: without this every new index stays yellow.
            .put("cluster.default_number_of_replicas", "0")
            .put(
                "cluster.routing.allocation.disk.threshold_enabled", options.diskThresholdEnabled())
            // The heap is shared with llmlog: every heap share is set explicitly (see
            // RATIONALE.md).
            .put("indices.memory.index_buffer_size", heap.indexBufferPercent() + "%")
            .put("indices.queries.cache.size", heap.queryCachePercent() + "%")
            .put("indices.fielddata.cache.size", heap.fielddataCachePercent() + "%")
            // Real-memory accounting is the one breaker that also sees llmlog's own allocations.
            .put("indices.breaker.total.use_real_memory", true)
            .put("indices.breaker.total.limit", heap.totalBreakerPercent() + "%")
            // Painless runs in its own sandbox (an allowlist of classes and methods, loop counters,
            // no
            // reflection or I/O); on top, only scripts written in the search itself, and only in
            // the
            // contexts of searches: no stored scripts, and no script that updates documents.
            .put("script.allowed_types", "inline")
            .put("script.allowed_contexts", SEARCH_SCRIPT_CONTEXTS);
    options.extraSettings().forEach(settings::put);
    return settings.build();
  }
}

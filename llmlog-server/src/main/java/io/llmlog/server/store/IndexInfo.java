package io.llmlog.server.store;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The engine's read-only index information APIs that dashboards call to list fields and check the
 * server (Grafana's Elasticsearch data source, Kibana-style tools): mappings, field capabilities,
 * {@code _cat/indices}, {@code _cat/health} and cluster health. The caller passes the index
 * expression as the engine knows it, already scoped to llmlog's indices; only the query parameters
 * these APIs document for reading pass, so none can change what is read.
 */
public final class IndexInfo {
  private static final Set<String> MAPPING_PARAMETERS =
      Set.of(
          "ignore_unavailable",
          "allow_no_indices",
          "expand_wildcards",
          "local",
          "master_timeout",
          "cluster_manager_timeout",
          "pretty",
          "human",
          "filter_path",
          "include_type_name");
  private static final Set<String> FIELD_CAPS_PARAMETERS =
      Set.of(
          "fields",
          "ignore_unavailable",
          "allow_no_indices",
          "expand_wildcards",
          "include_unmapped",
          "pretty",
          "human",
          "filter_path");
  private static final Set<String> CAT_PARAMETERS =
      Set.of(
          "format",
          "h",
          "help",
          "s",
          "v",
          "bytes",
          "time",
          "health",
          "pri",
          "expand_wildcards",
          "local",
          "pretty",
          "include_unloaded_segments");
  private static final Set<String> HEALTH_PARAMETERS =
      Set.of(
          "wait_for_status",
          "timeout",
          "local",
          "level",
          "pretty",
          "human",
          "filter_path",
          "wait_for_no_relocating_shards",
          "wait_for_active_shards",
          "wait_for_no_initializing_shards");

  private final EngineClient client;
  private final Duration timeout;

  public IndexInfo(LogStore store, Duration requestTimeout) {
    this.client = store.client();
    this.timeout = requestTimeout;
  }

  /** {@code GET /{indices}/_mapping}. */
  public EngineResponse mapping(String indices, Map<String, String> parameters) {
    return get("/" + indices + "/_mapping", parameters, MAPPING_PARAMETERS);
  }

  /** {@code GET /{indices}/_field_caps}, or POST with a body (an {@code index_filter}). */
  public EngineResponse fieldCaps(String indices, Map<String, String> parameters, byte[] body) {
    String path = "/" + indices + "/_field_caps" + query(parameters, FIELD_CAPS_PARAMETERS);
    return body == null || body.length == 0
        ? client.send("GET", path, null, "application/json", timeout)
        : client.send("POST", path, body, "application/json", timeout);
  }

  /** {@code GET /_cat/indices/{indices}}. */
  public EngineResponse catIndices(String indices, Map<String, String> parameters) {
    return get("/_cat/indices/" + indices, parameters, CAT_PARAMETERS);
  }

  /** {@code GET /_cat/health}: the cluster's one line, no index names. */
  public EngineResponse catHealth(Map<String, String> parameters) {
    return get("/_cat/health", parameters, CAT_PARAMETERS);
  }

  /** {@code GET /_cluster/health/{indices}}: the health of these indices only. */
  public EngineResponse clusterHealth(String indices, Map<String, String> parameters) {
    return get("/_cluster/health/" + indices, parameters, HEALTH_PARAMETERS);
  }

  private EngineResponse get(String path, Map<String, String> parameters, Set<String> allowed) {
    return client.send("GET", path + query(parameters, allowed), null, "application/json", timeout);
  }

  /** The allowed parameters, in the order given; the others are dropped rather than passed on. */
  private static String query(Map<String, String> parameters, Set<String> allowed) {
    Map<String, String> passed = new LinkedHashMap<>(parameters);
    passed.keySet().retainAll(allowed);
    return Searches.query(passed);
  }
}

package io.llmlog.server.query;

import io.llmlog.server.store.EngineResponse;
import io.llmlog.server.store.IndexInfo;
import io.llmlog.server.store.LogStore;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The read-only index APIs of the Elasticsearch facade, which Grafana's Elasticsearch data source
 * and similar tools call to list fields and check the server: {@code _mapping}, {@code
 * _field_caps}, {@code _cat/indices}, {@code _cat/health} and {@code _cluster/health}. They answer
 * as the engine does, for llmlog's searchable indices only ({@link FacadeIndices}), index names
 * without the deployment's prefix.
 */
public final class FacadeIndexInfo {
  private final IndexInfo info;
  private final FacadeSearch search;
  private final FacadeIndices indices;

  public FacadeIndexInfo(LogStore store, FacadeSearch search, Duration requestTimeout) {
    this.info = new IndexInfo(Objects.requireNonNull(store, "store"), requestTimeout);
    this.search = Objects.requireNonNull(search, "search");
    this.indices = new FacadeIndices(store.indexPrefix());
  }

  /**
   * The mappings of the indices of {@code index} (null: all searchable ones), keyed by index name.
   *
   * @throws ForbiddenIndexException when an index is not llmlog's
   */
  public EngineResponse mapping(String index, Map<String, String> parameters) {
    return indices.toUser(info.mapping(indices.toEngine(index), parameters));
  }

  /**
   * Field capabilities; a body's {@code index_filter} is scoped like a search body.
   *
   * @throws ForbiddenIndexException when an index is not llmlog's
   */
  public EngineResponse fieldCaps(String index, Map<String, String> parameters, byte[] body) {
    byte[] scoped = body == null || body.length == 0 ? null : search.scopedBody(body);
    return indices.toUser(info.fieldCaps(indices.toEngine(index), parameters, scoped));
  }

  /**
   * {@code _cat/indices} of llmlog's searchable indices matching {@code index} (null: all of them).
   */
  public EngineResponse catIndices(String index, Map<String, String> parameters) {
    return indices.toUser(info.catIndices(indices.toEngine(index), parameters));
  }

  /** {@code _cat/health}: the engine's one line about its cluster. */
  public EngineResponse catHealth(Map<String, String> parameters) {
    return info.catHealth(parameters);
  }

  /** {@code _cluster/health}, computed over llmlog's searchable indices. */
  public EngineResponse clusterHealth(String index, Map<String, String> parameters) {
    return indices.toUser(info.clusterHealth(indices.toEngine(index), parameters));
  }
}

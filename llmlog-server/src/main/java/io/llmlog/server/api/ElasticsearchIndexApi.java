package io.llmlog.server.api;

import io.llmlog.server.config.LlmlogConfig.Role;
import io.llmlog.server.ingest.Body;
import io.llmlog.server.query.FacadeIndexInfo;
import io.llmlog.server.store.EngineResponse;
import java.util.function.BooleanSupplier;

/**
 * The read-only index APIs of the Elasticsearch facade, for keys with the read role: what Grafana's
 * Elasticsearch data source calls to check the server ({@code GET /}, {@code _cluster/health}) and
 * to list fields ({@code _mapping}), and what similar tools call ({@code _field_caps}, {@code
 * _cat/indices}, {@code _cat/health}). HEAD works on each, as on Elasticsearch. See {@link
 * FacadeIndexInfo} for what reaches the engine.
 */
@ElasticsearchRoutes
final class ElasticsearchIndexApi {
  private final FacadeIndexInfo info;
  private final BooleanSupplier ready;

  ElasticsearchIndexApi(FacadeIndexInfo info, BooleanSupplier ready) {
    this.info = info;
    this.ready = ready;
  }

  void register(Router router) {
    router.add(
        "GET",
        "/_mapping",
        Role.READ,
        exchange ->
            answer(exchange, info.mapping(null, ElasticsearchSearchApi.parameters(exchange))));
    router.add(
        "GET",
        "/{index}/_mapping",
        Role.READ,
        exchange ->
            answer(
                exchange,
                info.mapping(
                    exchange.pathParameter("index"), ElasticsearchSearchApi.parameters(exchange))));
    for (String method : new String[] {"GET", "POST"}) {
      router.add(method, "/_field_caps", Role.READ, exchange -> fieldCaps(exchange, null));
      router.add(
          method,
          "/{index}/_field_caps",
          Role.READ,
          exchange -> fieldCaps(exchange, exchange.pathParameter("index")));
    }
    router.add(
        "GET",
        "/_cat/indices",
        Role.READ,
        exchange ->
            answer(exchange, info.catIndices(null, ElasticsearchSearchApi.parameters(exchange))));
    router.add(
        "GET",
        "/_cat/indices/{index}",
        Role.READ,
        exchange ->
            answer(
                exchange,
                info.catIndices(
                    exchange.pathParameter("index"), ElasticsearchSearchApi.parameters(exchange))));
    router.add(
        "GET",
        "/_cat/health",
        Role.READ,
        exchange -> answer(exchange, info.catHealth(ElasticsearchSearchApi.parameters(exchange))));
    router.add(
        "GET",
        "/_cluster/health",
        Role.READ,
        exchange ->
            answer(
                exchange, info.clusterHealth(null, ElasticsearchSearchApi.parameters(exchange))));
    router.add(
        "GET",
        "/_cluster/health/{index}",
        Role.READ,
        exchange ->
            answer(
                exchange,
                info.clusterHealth(
                    exchange.pathParameter("index"), ElasticsearchSearchApi.parameters(exchange))));
  }

  private void fieldCaps(Exchange exchange, String index) throws Exception {
    Body body = exchange.body();
    answer(
        exchange,
        info.fieldCaps(
            index,
            ElasticsearchSearchApi.parameters(exchange),
            body.isEmpty() ? null : body.bytes()));
  }

  private void answer(Exchange exchange, EngineResponse response) {
    ElasticsearchSearchApi.requireReady(ready);
    // _cat answers text unless asked for JSON; the engine's first bytes tell which.
    boolean json =
        response.body().length > 0 && (response.body()[0] == '{' || response.body()[0] == '[');
    exchange.send(
        response.status(),
        json ? "application/json" : "text/plain; charset=UTF-8",
        response.body());
  }
}

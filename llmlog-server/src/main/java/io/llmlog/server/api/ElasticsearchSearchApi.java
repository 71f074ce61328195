package io.llmlog.server.api;

import io.llmlog.server.config.LlmlogConfig.Role;
import io.llmlog.server.ingest.Body;
import io.llmlog.server.query.FacadeSearch;
import io.llmlog.server.store.EngineResponse;
import io.llmlog.server.store.EngineUnavailableException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Search on the Elasticsearch facade: {@code _search}, {@code _count} and {@code _msearch}, with or
 * without an index in the path, GET or POST, for keys with the read role. See {@link FacadeSearch}
 * for what reaches the engine.
 */
@ElasticsearchRoutes
final class ElasticsearchSearchApi {
  private final FacadeSearch search;
  private final BooleanSupplier ready;

  ElasticsearchSearchApi(FacadeSearch search, BooleanSupplier ready) {
    this.search = search;
    this.ready = ready;
  }

  void register(Router router) {
    for (String method : new String[] {"GET", "POST"}) {
      for (String endpoint : new String[] {"_search", "_count"}) {
        router.add(method, "/" + endpoint, Role.READ, exchange -> search(exchange, endpoint, null));
        router.add(
            method,
            "/{index}/" + endpoint,
            Role.READ,
            exchange -> search(exchange, endpoint, exchange.pathParameter("index")));
      }
      router.add(method, "/_msearch", Role.READ, exchange -> msearch(exchange, null));
      router.add(
          method,
          "/{index}/_msearch",
          Role.READ,
          exchange -> msearch(exchange, exchange.pathParameter("index")));
    }
  }

  private void search(Exchange exchange, String endpoint, String index) throws Exception {
    requireReady();
    Body body = exchange.body();
    answer(
        exchange,
        search.search(endpoint, index, parameters(exchange), body.isEmpty() ? null : body.bytes()));
  }

  private void msearch(Exchange exchange, String index) throws Exception {
    requireReady();
    answer(exchange, search.msearch(index, parameters(exchange), exchange.body().bytes()));
  }

  static Map<String, String> parameters(Exchange exchange) {
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String name : exchange.queryNames()) {
      String value = exchange.query(name);
      parameters.put(name, value == null ? "" : value);
    }
    return parameters;
  }

  private static void answer(Exchange exchange, EngineResponse response) {
    exchange.send(response.status(), "application/json", response.body());
  }

  private void requireReady() {
    requireReady(ready);
  }

  static void requireReady(BooleanSupplier ready) {
    if (!ready.getAsBoolean()) {
      throw new EngineUnavailableException("llmlog is starting; retry in a few seconds", null);
    }
  }
}

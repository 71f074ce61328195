package io.llmlog.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.server.config.LlmlogConfig;
import io.llmlog.server.ingest.IngestService;
import io.llmlog.server.lifecycle.Lifecycle;
import io.llmlog.server.query.Searcher;
import io.llmlog.server.query.StatsService;
import io.llmlog.server.store.LogStore;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Builds the two listening sites, the native API and the Elasticsearch facade, and starts them. */
public final class ApiServer implements AutoCloseable {
  public static final String NATIVE = "api";
  public static final String ELASTICSEARCH = "es";

  private final HttpFront front;

  private ApiServer(HttpFront front) {
    this.front = front;
  }

  public static ApiServer start(LlmlogConfig config, IngestService ingest, LogStore store, ObjectMapper json,
      PrometheusMeterRegistry metrics, BooleanSupplier ready, Lifecycle lifecycle) throws Exception {
    Authenticator authenticator = new Authenticator(config.auth());
    Router nativeRoutes = new Router();
    new NativeApi(ingest, store, json, metrics, ready, lifecycle).register(nativeRoutes);
    new LifecycleApi(lifecycle, json, ready).register(nativeRoutes);
    new SearchApi(new Searcher(store, json, Clock.systemUTC()), new StatsService(store, json, Clock.systemUTC()), json, ready).register(nativeRoutes);
    Router esRoutes = new Router();
    new ElasticsearchApi(ingest, json, config.limits(), ready).register(esRoutes);
    new ShipperSetupApi(json).register(esRoutes);
    Site nativeSite = new Site(NATIVE, nativeRoutes, ErrorStyle.NATIVE, authenticator, json, config.limits(), exchange -> {}, null);
    Site esSite = new Site(ELASTICSEARCH, esRoutes, ErrorStyle.ELASTICSEARCH, authenticator, json, config.limits(),
        ElasticsearchApi::decorate, ElasticsearchApi::unsupported);
    HttpFront front = new HttpFront(config.server().host(), List.of(nativeSite, esSite), List.of(config.server().port(), config.server().esPort()));
    front.start();
    return new ApiServer(front);
  }

  /** The native API's port. */
  public int port() {
    return front.port(NATIVE);
  }

  /** The Elasticsearch facade's port. */
  public int esPort() {
    return front.port(ELASTICSEARCH);
  }

  @Override
  public void close() {
    front.close();
  }
}

package io.llmlog.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.server.alert.AlertService;
import io.llmlog.server.config.LlmlogConfig;
import io.llmlog.server.gateway.Gateway;
import io.llmlog.server.ingest.IngestService;
import io.llmlog.server.lifecycle.Lifecycle;
import io.llmlog.server.live.LiveAggregates;
import io.llmlog.server.otlp.OtlpBodies;
import io.llmlog.server.otlp.OtlpIngest;
import io.llmlog.server.quality.Quality;
import io.llmlog.server.query.FacadeIndexInfo;
import io.llmlog.server.query.FacadeSearch;
import io.llmlog.server.query.QualityStats;
import io.llmlog.server.query.Searcher;
import io.llmlog.server.query.StatsService;
import io.llmlog.server.store.LogStore;
import io.llmlog.server.trace.SessionService;
import io.llmlog.server.trace.TraceService;
import io.llmlog.server.trace.UserService;
import io.llmlog.server.ui.Dashboard;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Builds the listening sites — the native API, the Elasticsearch facade, the OTLP port — and starts
 * them.
 */
public final class ApiServer implements AutoCloseable {
  public static final String NATIVE = "api";
  public static final String ELASTICSEARCH = "es";
  public static final String OTLP = "otlp";

  private final HttpFront front;

  private ApiServer(HttpFront front) {
    this.front = front;
  }

  /** What the APIs serve: the server's capabilities, and whether the server is ready. */
  public record Backends(
      IngestService ingest,
      LogStore store,
      PrometheusMeterRegistry metrics,
      BooleanSupplier ready,
      Clock clock,
      LiveAggregates live,
      AlertService alerts,
      Lifecycle lifecycle,
      OtlpIngest otlp,
      Gateway gateway,
      Quality quality) {}

  public static ApiServer start(LlmlogConfig config, ObjectMapper json, Backends backends)
      throws Exception {
    IngestService ingest = backends.ingest();
    LogStore store = backends.store();
    BooleanSupplier ready = backends.ready();
    Authenticator authenticator = new Authenticator(config.auth());
    Router nativeRoutes = new Router();
    new NativeApi(ingest, store, json, backends.metrics(), ready, backends.lifecycle())
        .register(nativeRoutes);
    new LifecycleApi(backends.lifecycle(), json, ready).register(nativeRoutes);
    new SearchApi(
            new Searcher(store, json, backends.clock()),
            new StatsService(
                store,
                json,
                backends.clock(),
                backends.live() == null ? null : backends.live().statsRollups()),
            new QualityStats(store, json),
            backends.quality().settings().negativeFeedback(),
            json,
            ready)
        .register(nativeRoutes);
    new AlertsApi(backends.live(), backends.alerts(), json).register(nativeRoutes);
    new QualityApi(backends.quality(), json, ready).register(nativeRoutes);
    new TracesApi(
            new TraceService(store, json, backends.clock()),
            new SessionService(store, json, backends.clock()),
            new UserService(store, json, backends.clock()),
            json,
            ready)
        .register(nativeRoutes);
    OtlpApi otlp = new OtlpApi(backends.otlp(), new OtlpBodies(json), ready);
    otlp.register(nativeRoutes);
    // The dashboard's files are public; the page asks for a key when the API answers 401.
    new DashboardRoutes(Dashboard.load()).register(nativeRoutes);
    Router esRoutes = new Router();
    new ElasticsearchApi(ingest, json, config.limits(), ready).register(esRoutes);
    FacadeSearch facadeSearch = new FacadeSearch(store, json);
    new ElasticsearchSearchApi(facadeSearch, ready).register(esRoutes);
    new ElasticsearchIndexApi(
            new FacadeIndexInfo(store, facadeSearch, config.engine().requestTimeout()), ready)
        .register(esRoutes);
    new ShipperSetupApi(json).register(esRoutes);
    GatewayApi gateway =
        new GatewayApi(backends.gateway(), authenticator, json, config.limits(), backends.clock());
    gateway.register(nativeRoutes);
    Site nativeSite =
        new Site(
                NATIVE,
                nativeRoutes,
                ErrorStyle.NATIVE,
                authenticator,
                json,
                config.limits(),
                exchange -> exchange.header("X-Content-Type-Options", "nosniff"),
                null)
            .withGateway(gateway);
    Site esSite =
        new Site(
            ELASTICSEARCH,
            esRoutes,
            ErrorStyle.ELASTICSEARCH,
            authenticator,
            json,
            config.limits(),
            ElasticsearchApi::decorate,
            ElasticsearchApi::unsupported);
    List<Site> sites = new java.util.ArrayList<>(List.of(nativeSite, esSite));
    List<Integer> ports =
        new java.util.ArrayList<>(List.of(config.server().port(), config.server().esPort()));
    if (config.server().otlpPort() != 0) {
      // The port OpenTelemetry exporters send to by default: OTLP alone, with the same keys.
      Router otlpRoutes = new Router();
      otlp.register(otlpRoutes);
      sites.add(
          new Site(
              OTLP,
              otlpRoutes,
              ErrorStyle.NATIVE,
              authenticator,
              json,
              config.limits(),
              exchange -> {},
              null));
      ports.add(config.server().otlpPort());
    }
    HttpFront front = new HttpFront(config.server().host(), sites, ports);
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

  /** The OTLP listener's port, or 0 when there is none. */
  public int otlpPort() {
    return front.has(OTLP) ? front.port(OTLP) : 0;
  }

  @Override
  public void close() {
    front.close();
  }
}

package io.llmlog.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.engine.EmbeddedEngine;
import io.llmlog.engine.EngineOptions;
import io.llmlog.engine.EngineStartException;
import io.llmlog.server.alert.AlertRules;
import io.llmlog.server.alert.AlertService;
import io.llmlog.server.alert.RulesException;
import io.llmlog.server.api.ApiServer;
import io.llmlog.server.config.ConfigException;
import io.llmlog.server.config.LlmlogConfig;
import io.llmlog.server.gateway.Gateway;
import io.llmlog.server.gateway.GatewaySettings;
import io.llmlog.server.ingest.IngestService;
import io.llmlog.server.lifecycle.DiskGuard;
import io.llmlog.server.lifecycle.Lifecycle;
import io.llmlog.server.lifecycle.LifecycleSettings;
import io.llmlog.server.live.LiveAggregates;
import io.llmlog.server.live.LiveSettings;
import io.llmlog.server.otlp.OtlpIngest;
import io.llmlog.server.otlp.OtlpSettings;
import io.llmlog.server.pipeline.PipelineMetrics;
import io.llmlog.server.pipeline.Pipelines;
import io.llmlog.server.quality.Quality;
import io.llmlog.server.quality.QualitySettings;
import io.llmlog.server.store.LogStore;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.BindException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A running llmlog: the engine (embedded, or a connection to an external cluster), the store, the
 * pipeline, ingest and the HTTP APIs. {@link #start} returns once everything is ready; {@link
 * #close} stops it in reverse order.
 */
public final class LlmlogServer implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(LlmlogServer.class);

  private final LlmlogConfig config;
  private final AutoCloseable engine;
  private final LogStore store;
  private final ApiServer api;
  private final AlertService alerts;
  private final Lifecycle lifecycle;
  private final Gateway gateway;
  private final Quality quality;
  private final AtomicBoolean closed = new AtomicBoolean();

  private LlmlogServer(
      LlmlogConfig config,
      AutoCloseable engine,
      LogStore store,
      ApiServer api,
      AlertService alerts,
      Lifecycle lifecycle,
      Gateway gateway,
      Quality quality) {
    this.gateway = gateway;
    this.quality = quality;
    this.config = config;
    this.engine = engine;
    this.store = store;
    this.api = api;
    this.alerts = alerts;
    this.lifecycle = lifecycle;
  }

  /**
   * Starts llmlog.
   *
   * @throws StartupException with a message that says what to fix
   */
  public static LlmlogServer start(LlmlogConfig config, Clock clock) {
    return start(config, clock, null);
  }

  /**
   * Starts llmlog with a given free-space probe for the disk guard (tests); null for the real one.
   *
   * @throws StartupException with a message that says what to fix
   */
  public static LlmlogServer start(LlmlogConfig config, Clock clock, DiskGuard.Probe diskProbe) {
    checkSecurity(config);
    checkPorts(config.server());
    // Settings first: an invalid rule, policy or unknown key refuses the start before anything is
    // started.
    ServerSettings sections;
    try {
      sections = ServerSettings.read(config);
    } catch (ConfigException | RulesException e) {
      throw new StartupException(e.getMessage(), e);
    }
    LiveSettings liveSettings = sections.live();
    AlertRules rules = sections.rules();
    LifecycleSettings lifecycleSettings = sections.lifecycle();
    OtlpSettings otlpSettings = sections.otlp();
    GatewaySettings gatewaySettings = sections.gateway();
    QualitySettings qualitySettings = sections.quality();
    ObjectMapper json = objectMapper(config.limits());
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(metrics);
    AutoCloseable engine = null;
    LogStore store = null;
    ApiServer api = null;
    AlertService alerts = null;
    Lifecycle lifecycle = null;
    Gateway gateway = null;
    Quality quality = null;
    AtomicBoolean ready = new AtomicBoolean();
    try {
      List<URI> nodes = config.engine().urls();
      if (config.engine().embedded()) {
        EmbeddedEngine embedded = startEmbedded(config);
        engine = embedded;
        nodes = List.of(embedded.httpUri());
      }
      store = new LogStore(nodes, config.engine(), json, metrics);
      LogStore stored = store;
      Pipelines.Built pipelines =
          Pipelines.build(
              config.settings(),
              json,
              clock,
              requestId -> stored.calls().exists(requestId),
              Quality.pipelineTail(qualitySettings, clock));
      PipelineMetrics.bind(pipelines.calls(), metrics);
      IngestService ingest =
          new IngestService(pipelines, store, json, config.limits(), clock, metrics);
      LiveAggregates live =
          LiveAggregates.create(
              liveSettings,
              rules.views(liveSettings.dashboardView()),
              store,
              json,
              clock,
              metrics,
              serverId());
      Quality scoring =
          Quality.create(qualitySettings, config.settings(), ingest, store, json, clock, metrics);
      quality = scoring;
      // The live aggregates first; a fault there must not keep the judges from their calls.
      ingest.onStoredCalls(
          calls -> {
            try {
              live.stored(calls);
            } finally {
              scoring.stored(calls);
            }
          });
      alerts = AlertService.create(config.settings(), rules, live, store, json, clock, metrics);
      lifecycle =
          Lifecycle.create(config, lifecycleSettings, store, json, clock, metrics, diskProbe);
      ingest.pauseWhen(lifecycle.diskGuard()::pauseReason);
      OtlpIngest otlp = new OtlpIngest(ingest, otlpSettings, json, config.limits(), metrics);
      gateway = Gateway.start(gatewaySettings, ingest, json, metrics);
      api =
          startApi(
              config,
              json,
              new ApiServer.Backends(
                  ingest,
                  store,
                  metrics,
                  ready::get,
                  clock,
                  live,
                  alerts,
                  lifecycle,
                  otlp,
                  gateway,
                  quality));
      store.start(Duration.ofSeconds(60));
      alerts.start();
      lifecycle.start();
      quality.start();
      ready.set(true);
      LOG.info(
          "llmlog is ready: API and dashboard on http://{}:{}, Elasticsearch-compatible API on http://{}:{}, {}, engine {}",
          config.server().host(),
          api.port(),
          config.server().host(),
          api.esPort(),
          otlpWhere(config.server(), api),
          config.engine().embedded() ? "embedded" : nodes);
      return new LlmlogServer(config, engine, store, api, alerts, lifecycle, gateway, quality);
    } catch (RuntimeException e) {
      closeQuietly(api);
      closeQuietly(gateway);
      closeQuietly(quality);
      closeQuietly(lifecycle);
      closeQuietly(alerts);
      closeQuietly(store);
      closeQuietly(engine);
      throw e instanceof StartupException ? e : new StartupException(e.getMessage(), e);
    }
  }

  private static ApiServer startApi(
      LlmlogConfig config, ObjectMapper json, ApiServer.Backends backends) {
    try {
      return ApiServer.start(config, json, backends);
    } catch (Exception e) {
      Throwable cause = e;
      while (cause != null && !(cause instanceof BindException)) {
        cause = cause.getCause();
      }
      if (cause != null || String.valueOf(e.getMessage()).contains("Failed to bind")) {
        throw new StartupException(portsMessage(config.server(), busyPorts(config.server())), e);
      }
      throw new StartupException("cannot start the HTTP listeners: " + e.getMessage(), e);
    }
  }

  /** Where OTLP/HTTP is served, for the ready line. */
  private static String otlpWhere(LlmlogConfig.Server server, ApiServer api) {
    return api.otlpPort() == 0
        ? "OTLP/HTTP on the API port only"
        : "OTLP on http://" + server.host() + ":" + api.otlpPort();
  }

  /** The engine inside this JVM, data under the data directory, HTTP on a free loopback port. */
  private static EmbeddedEngine startEmbedded(LlmlogConfig config) {
    try {
      return EmbeddedEngine.start(
          EngineOptions.builder(config.server().dataDir()).httpPort(0).build());
    } catch (EngineStartException e) {
      throw new StartupException(e.getMessage(), e);
    }
  }

  /**
   * Names this server in live rollups and the alert lease: the host, and a random part for several
   * servers on one host.
   */
  private static String serverId() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "llmlog";
    }
    return host + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
  }

  /** Fails before the engine starts when a port is taken, rather than seconds later. */
  private static void checkPorts(LlmlogConfig.Server server) {
    List<String> busy = busyPorts(server);
    if (!busy.isEmpty()) {
      throw new StartupException(portsMessage(server, busy));
    }
  }

  private static String portsMessage(LlmlogConfig.Server server, List<String> busy) {
    return "cannot listen on "
        + server.host()
        + " "
        + (busy.isEmpty()
            ? "port " + server.port() + ", " + server.esPort() + " or " + server.otlpPort()
            : String.join(" and ", busy))
        + ": another process is listening there (or the address is not this machine's). Stop it, or pick other ports with --port and "
        + "--es-port (0 picks a free one), and --otlp-port (0 turns the OTLP listener off; OTLP stays on the API port).";
  }

  /**
   * The options naming ports that cannot be bound right now ({@code --port 8080}); 0 is always
   * free.
   */
  private static List<String> busyPorts(LlmlogConfig.Server server) {
    List<String> busy = new java.util.ArrayList<>();
    String[] options = {"--port ", "--es-port ", "--otlp-port "};
    for (int[] port :
        new int[][] {{server.port(), 0}, {server.esPort(), 1}, {server.otlpPort(), 2}}) {
      if (port[0] == 0) {
        continue;
      }
      try (java.net.ServerSocket probe =
          new java.net.ServerSocket(port[0], 1, java.net.InetAddress.getByName(server.host()))) {
        probe.setReuseAddress(true);
      } catch (java.io.IOException inUse) {
        busy.add(options[port[1]] + port[0]);
      }
    }
    return busy;
  }

  /**
   * Binding beyond loopback without API keys would expose everyone's prompts: refuse unless told
   * to.
   */
  private static void checkSecurity(LlmlogConfig config) {
    if (!config.server().loopbackOnly()
        && !config.auth().enabled()
        && !config.server().insecure()) {
      throw new StartupException(
          "refusing to listen on "
              + config.server().host()
              + " without API keys: anyone who can reach this "
              + "address could read every prompt and response. Add keys to llmlog.yaml (auth: api_keys: [{key: <32+ random chars>, role: admin}]) "
              + "or set LLMLOG_AUTH_API_KEYS=<key>:admin, or pass --insecure if this network is trusted.");
    }
  }

  /** JSON with the limits of the configuration applied to every parser. */
  public static ObjectMapper objectMapper(LlmlogConfig.Limits limits) {
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(limits.maxJsonDepth())
                    .maxStringLength(limits.maxStringLength())
                    .build())
            .build();
    return new ObjectMapper(factory);
  }

  public LlmlogConfig config() {
    return config;
  }

  /** The native API's port (the real one when 0 was configured). */
  public int port() {
    return api.port();
  }

  /** The Elasticsearch facade's port. */
  public int esPort() {
    return api.esPort();
  }

  /** The OTLP listener's port, or 0 when it is off (OTLP is then on {@link #port()} only). */
  public int otlpPort() {
    return api.otlpPort();
  }

  public LogStore store() {
    return store;
  }

  public Lifecycle lifecycle() {
    return lifecycle;
  }

  /** The logging gateway, for its counters. */
  public Gateway gateway() {
    return gateway;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    LOG.info("llmlog is stopping");
    closeQuietly(api);
    // After the listeners: calls in flight have ended and handed their records over; they are
    // stored now.
    closeQuietly(gateway);
    closeQuietly(quality);
    closeQuietly(lifecycle);
    closeQuietly(alerts);
    closeQuietly(store);
    closeQuietly(engine);
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.warn("while stopping {}: {}", closeable.getClass().getSimpleName(), e.toString());
    }
  }

  /** llmlog could not start; the message says why and what to do. */
  public static final class StartupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StartupException(String message) {
      super(message);
    }

    public StartupException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}

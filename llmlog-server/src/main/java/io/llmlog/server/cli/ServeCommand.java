package io.llmlog.server.cli;

import io.llmlog.server.LlmlogServer;
import io.llmlog.server.config.ConfigException;
import io.llmlog.server.config.LlmlogConfig;
import io.llmlog.server.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./llmlog serve}: runs the server until it is stopped (Ctrl-C or SIGTERM). */
@Command(
    name = "serve",
    header = "Run the llmlog server (dashboard, REST API, Elasticsearch-compatible API, engine).",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the llmlog server: the web dashboard and REST API (default http://127.0.0.1:8080),",
      "the Elasticsearch-compatible API for log shippers (default http://127.0.0.1:9200), OTLP/HTTP",
      "for OpenTelemetry exporters (default http://127.0.0.1:4318, and on the API port), and an",
      "embedded search engine keeping its data under --data-dir (or an external OpenSearch or",
      "Elasticsearch cluster given with --engine-url).",
      "",
      "Settings come from --config (default ./llmlog.yaml when it exists), then environment",
      "variables named after each key (server.port -> LLMLOG_SERVER_PORT), then these options.",
      ""
    })
final class ServeCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (default: ./llmlog.yaml if present)")
  Path config;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "where the embedded engine keeps its data (default: ./data)")
  Path dataDir;

  @Option(names = "--host", paramLabel = "ADDRESS", description = "address to listen on (default: 127.0.0.1; anything else needs API keys)")
  String host;

  @Option(names = "--port", paramLabel = "PORT", description = "port of the dashboard and REST API (default: 8080; 0 picks a free one)")
  Integer port;

  @Option(names = "--es-port", paramLabel = "PORT", description = "port of the Elasticsearch-compatible API (default: 9200; 0 picks a free one)")
  Integer esPort;

  @Option(names = "--otlp-port", paramLabel = "PORT",
      description = "port of the OTLP/HTTP listener for OpenTelemetry exporters (default: 4318; 0 turns it off, OTLP stays on --port)")
  Integer otlpPort;

  @Option(names = "--engine-url", paramLabel = "URL[,URL...]",
      description = "use this OpenSearch or Elasticsearch cluster instead of the embedded engine, e.g. http://es1:9200,http://es2:9200")
  String engineUrl;

  @Option(names = "--insecure", description = "allow listening beyond loopback without API keys (only on a trusted network)")
  boolean insecure;

  @Override
  public Integer call() throws Exception {
    LlmlogConfig configuration;
    try {
      configuration = LlmlogConfig.from(settings());
    } catch (ConfigException e) {
      spec.commandLine().getErr().println("llmlog: " + e.getMessage());
      return 2;
    }
    LlmlogServer server;
    try {
      server = LlmlogServer.start(configuration, Clock.systemUTC());
    } catch (LlmlogServer.StartupException | ConfigException e) {
      spec.commandLine().getErr().println("llmlog: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "llmlog-shutdown"));
    spec.commandLine().getOut().printf("llmlog is running: dashboard and API on http://%s:%d, Elasticsearch-compatible API on http://%s:%d%s (Ctrl-C stops it)%n",
        configuration.server().host(), server.port(), configuration.server().host(), server.esPort(),
        server.otlpPort() == 0 ? "" : ", OTLP on http://" + configuration.server().host() + ":" + server.otlpPort());
    spec.commandLine().getOut().flush();
    stopped.await();
    return 0;
  }

  private Settings settings() {
    Path file = config;
    if (file == null && Files.exists(Path.of("llmlog.yaml"))) {
      file = Path.of("llmlog.yaml");
    }
    Settings settings = file == null ? Settings.empty(System::getenv) : Settings.load(file, System::getenv);
    return settings
        .with("server.data_dir", dataDir == null ? null : dataDir.toString())
        .with("server.host", host)
        .with("server.port", port)
        .with("server.es_port", esPort)
        .with("server.otlp_port", otlpPort)
        .with("engine.url", engineUrl)
        .with("server.insecure", insecure ? Boolean.TRUE : null);
  }
}

package io.llmlog.server.cli;

import io.llmlog.server.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options that set settings, shared by {@code serve} and {@code config show}: the file, then
 * the environment, then these options, each overriding the one before.
 */
final class SettingsOptions {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "YAML configuration file (default: ./llmlog.yaml if present)")
  Path config;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "where the embedded engine keeps its data (default: ./data)")
  Path dataDir;

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      description = "address to listen on (default: 127.0.0.1; anything else needs API keys)")
  String host;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "port of the dashboard and REST API (default: 8080; 0 picks a free one)")
  Integer port;

  @Option(
      names = "--es-port",
      paramLabel = "PORT",
      description = "port of the Elasticsearch-compatible API (default: 9200; 0 picks a free one)")
  Integer esPort;

  @Option(
      names = "--otlp-port",
      paramLabel = "PORT",
      description =
          "port of the OTLP/HTTP listener for OpenTelemetry exporters (default: 4318; 0 turns it off, OTLP stays on --port)")
  Integer otlpPort;

  @Option(
      names = "--engine-url",
      paramLabel = "URL[,URL...]",
      description =
          "use this OpenSearch or Elasticsearch cluster instead of the embedded engine, e.g. http://es1:9200,http://es2:9200")
  String engineUrl;

  @Option(
      names = "--insecure",
      description = "allow listening beyond loopback without API keys (only on a trusted network)")
  boolean insecure;

  /**
   * The settings these options name, with the whole environment (so that an unknown LLMLOG_*
   * variable is named).
   */
  Settings settings() {
    Path file = config;
    if (file == null && Files.exists(Path.of("llmlog.yaml"))) {
      file = Path.of("llmlog.yaml");
    }
    Settings settings =
        file == null ? Settings.empty(System.getenv()) : Settings.load(file, System.getenv());
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

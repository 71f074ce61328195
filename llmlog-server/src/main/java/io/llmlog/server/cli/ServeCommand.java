package io.llmlog.server.cli;

import io.llmlog.server.LlmlogServer;
import io.llmlog.server.config.ConfigException;
import io.llmlog.server.config.LlmlogConfig;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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
  @Spec CommandSpec spec;

  @Mixin SettingsOptions options;

  @Override
  public Integer call() throws Exception {
    LlmlogConfig configuration;
    try {
      configuration = LlmlogConfig.from(options.settings());
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
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "llmlog-shutdown"));
    spec.commandLine()
        .getOut()
        .printf(
            "llmlog is running: dashboard and API on http://%s:%d, Elasticsearch-compatible API on http://%s:%d%s (Ctrl-C stops it)%n",
            configuration.server().host(),
            server.port(),
            configuration.server().host(),
            server.esPort(),
            server.otlpPort() == 0
                ? ""
                : ", OTLP on http://" + configuration.server().host() + ":" + server.otlpPort());
    spec.commandLine().getOut().flush();
    stopped.await();
    return 0;
  }
}

package io.llmlog.server;

import io.llmlog.engine.junit.TestEngine;
import io.llmlog.server.config.LlmlogConfig;
import io.llmlog.server.config.Settings;
import io.llmlog.server.lifecycle.DiskGuard;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/** Starts llmlog servers in the test JVM on free ports. */
public final class TestServers {
  private TestServers() {}

  /** A server on the shared test engine, with the test class's index prefix. */
  public static LlmlogServer onSharedEngine(TestEngine engine, Map<String, Object> extra) {
    return onSharedEngine(engine, extra, Clock.systemUTC());
  }

  /**
   * A server on the shared test engine whose clock the test moves (pipeline, live aggregates,
   * alerts).
   */
  public static LlmlogServer onSharedEngine(
      TestEngine engine, Map<String, Object> extra, Clock clock) {
    return onSharedEngine(engine, extra, clock, name -> null);
  }

  /** A server with its own embedded engine under {@code dataDir}. */
  public static LlmlogServer embedded(Path dataDir) {
    return start(Map.of("server", new LinkedHashMap<>(Map.of("data_dir", dataDir.toString()))));
  }

  /** A server against an engine at {@code uri}. */
  public static LlmlogServer external(URI uri) {
    return start(Map.of("engine", new LinkedHashMap<>(Map.of("url", uri.toString()))));
  }

  public static LlmlogServer start(Map<String, Object> settings) {
    return start(settings, Clock.systemUTC());
  }

  public static LlmlogServer start(Map<String, Object> settings, Clock clock) {
    return start(settings, clock, null);
  }

  /**
   * A server on the shared test engine that reads environment variables from {@code environment}
   * (the judge's API key, say).
   */
  public static LlmlogServer onSharedEngine(
      TestEngine engine,
      Map<String, Object> extra,
      Clock clock,
      java.util.function.Function<String, String> environment) {
    Map<String, Object> settings = new LinkedHashMap<>();
    Map<String, Object> engineSettings =
        new LinkedHashMap<>(
            Map.of(
                "url",
                engine.uri().toString(),
                "index_prefix",
                engine.indexPrefix(),
                "refresh_interval",
                "1s"));
    settings.putAll(extra);
    if (extra.get("engine") instanceof Map<?, ?> more) {
      more.forEach((key, value) -> engineSettings.put(String.valueOf(key), value));
    }
    settings.put("engine", engineSettings);
    return start(settings, clock, null, environment);
  }

  /**
   * A server whose disk guard measures {@code disk} instead of the real file system (null: the real
   * one).
   */
  public static LlmlogServer start(
      Map<String, Object> settings, Clock clock, DiskGuard.Probe disk) {
    return start(settings, clock, disk, name -> null);
  }

  private static LlmlogServer start(
      Map<String, Object> settings,
      Clock clock,
      DiskGuard.Probe disk,
      java.util.function.Function<String, String> environment) {
    // No OTLP listener: every server of the suite would want 4318. OTLP is served on the API port
    // too.
    Settings base =
        Settings.of(settings, environment)
            .with("server.port", 0)
            .with("server.es_port", 0)
            .with("server.otlp_port", 0);
    return LlmlogServer.start(LlmlogConfig.from(base), clock, disk);
  }

  public static URI api(LlmlogServer server) {
    return URI.create("http://127.0.0.1:" + server.port() + "/");
  }

  public static URI es(LlmlogServer server) {
    return URI.create("http://127.0.0.1:" + server.esPort() + "/");
  }
}

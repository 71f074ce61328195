package io.llmlog.server.lifecycle;

import io.llmlog.engine.junit.TestEngine;
import io.llmlog.server.LlmlogServer;
import io.llmlog.server.config.LlmlogConfig;
import io.llmlog.server.config.Settings;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Servers on the shared engine with a data directory (for archives), a clock and a disk probe the
 * test controls.
 */
final class LifecycleServers {
  private LifecycleServers() {}

  static LlmlogServer start(
      TestEngine engine,
      Path dataDir,
      Clock clock,
      DiskGuard.Probe probe,
      Map<String, Object> lifecycle) {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put(
        "engine",
        new LinkedHashMap<>(
            Map.of(
                "url",
                engine.uri().toString(),
                "index_prefix",
                engine.indexPrefix(),
                "refresh_interval",
                "1s")));
    settings.put("server", new LinkedHashMap<>(Map.of("data_dir", dataDir.toString())));
    settings.put("lifecycle", lifecycle);
    Settings base =
        Settings.of(settings, name -> null)
            .with("server.port", 0)
            .with("server.es_port", 0)
            .with("server.otlp_port", 0);
    return LlmlogServer.start(LlmlogConfig.from(base), clock, probe);
  }
}

package io.llmlog.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmlog.core.testing.LlmlogProcess;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test kit's child-process server, as the integration modules use it, answers on the ports it
 * reports.
 */
class LlmlogProcessIT {
  @Test
  void start_builtJar_isReadyOnTheReportedPortsAndStops(@TempDir Path dir) throws Exception {
    LlmlogProcess server = LlmlogProcess.start(dir, Map.of());
    try (server) {
      Http api = new Http(server.api());
      assertThat(api.get("/health").status()).isEqualTo(200);
      assertThat(new Http(server.es()).get("/").json().path("version").path("number").asText())
          .isNotEmpty();
    }
    assertThat(server.isAlive()).isFalse();
  }
}

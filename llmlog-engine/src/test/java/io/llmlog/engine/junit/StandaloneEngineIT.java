package io.llmlog.engine.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine in a child JVM, as tests that need an "external" OpenSearch use it. */
class StandaloneEngineIT {
  @TempDir Path dataDir;

  @Test
  void start_childJvm_servesRestUntilClosedCleanlyBySigterm() {
    ExternalEngineProcess process = ExternalEngineProcess.start(dataDir);
    try (process) {
      TestEngine engine = TestEngine.at(process.uri(), "");

      assertThat(process.uri().getHost()).isEqualTo("127.0.0.1");
      assertThat(process.pid()).isNotEqualTo(ProcessHandle.current().pid());
      assertThat(engine.get("/")).contains("\"cluster_name\" : \"llmlog\"");
    }

    assertThat(process.isAlive()).isFalse();
    // Only EmbeddedEngine.close() removes the pid file: SIGTERM ran the shutdown hook, not a hard
    // exit.
    assertThat(dataDir.resolve("engine/llmlog-engine.pid")).doesNotExist();
  }

  @Test
  void close_thenStartAgainOnSameDataDir_documentIsStillThere() {
    try (ExternalEngineProcess first = ExternalEngineProcess.start(dataDir)) {
      TestEngine.at(first.uri(), "")
          .put("/llm-logs-external/_doc/1?refresh=true", "{\"model\":\"m\"}");
    }

    try (ExternalEngineProcess second = ExternalEngineProcess.start(dataDir)) {
      assertThat(TestEngine.at(second.uri(), "").count("llm-logs-external")).isEqualTo(1);
    }
  }

  @Test
  void start_portTaken_failsWithTheChildsMessage() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();

      assertThatThrownBy(() -> ExternalEngineProcess.start(dataDir, port, List.of("-Xmx256m")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("exited with status 1")
          .hasMessageContaining("HTTP port " + port + " on 127.0.0.1 is already in use");
    }
  }
}

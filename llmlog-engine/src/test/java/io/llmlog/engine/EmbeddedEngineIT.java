package io.llmlog.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.llmlog.engine.EngineStartException.Reason;
import io.llmlog.engine.junit.TestEngine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each test starts its own node, because each is about starting, stopping or failing to start one.
 */
class EmbeddedEngineIT {
  @TempDir Path dataDir;

  private EngineOptions.Builder options() {
    return EngineOptions.builder(dataDir).diskThresholdEnabled(false);
  }

  @Test
  void start_freePorts_servesRestOnLoopbackAtTheBoundPort() {
    try (EmbeddedEngine engine = EmbeddedEngine.start(options().build())) {
      TestEngine rest = TestEngine.at(engine.httpUri(), "");

      assertThat(engine.httpUri().getHost()).isEqualTo("127.0.0.1");
      assertThat(engine.httpUri().getPort()).isPositive();
      assertThat(rest.get("/")).contains("\"cluster_name\" : \"llmlog\"");
      assertThat(dataDir.resolve("engine/data")).isDirectory();
    }
  }

  @Test
  void start_anyOptions_writesNoLogsFolderIntoTheWorkingDirectory() {
    Path cwdLogs = Path.of("logs").toAbsolutePath();
    assumeFalse(Files.exists(cwdLogs), "a logs folder existed before the test");

    try (EmbeddedEngine engine = EmbeddedEngine.start(options().build())) {
      assertThat(engine.httpUri()).isNotNull();
      assertThat(cwdLogs).doesNotExist();
    }
  }

  @Test
  void start_newIndex_isGreenWithoutReplicas() {
    try (EmbeddedEngine engine = EmbeddedEngine.start(options().build())) {
      TestEngine rest = TestEngine.at(engine.httpUri(), "");
      rest.put("/health-check", "{}");

      assertThat(rest.get("/_cluster/health/health-check?wait_for_status=green&timeout=30s"))
          .contains("\"status\":\"green\"");
    }
  }

  @Test
  void close_thenRestartOnSameDataDir_documentIsStillThere() {
    try (EmbeddedEngine first = EmbeddedEngine.start(options().build())) {
      TestEngine.at(first.httpUri(), "")
          .put("/llm-logs-restart/_doc/1?refresh=true", "{\"model\":\"gpt-x\"}");
    }

    try (EmbeddedEngine second = EmbeddedEngine.start(options().build())) {
      TestEngine rest = TestEngine.at(second.httpUri(), "");

      assertThat(rest.get("/llm-logs-restart/_doc/1")).contains("\"found\":true").contains("gpt-x");
      assertThat(rest.count("llm-logs-restart")).isEqualTo(1);
    }
  }

  @Test
  void close_calledTwiceAndAfterCloseOnShutdown_isIdempotent() {
    EmbeddedEngine engine = EmbeddedEngine.start(options().build()).closeOnShutdown();

    engine.close();
    engine.close();

    assertThat(dataDir.resolve("engine/llmlog-engine.pid")).doesNotExist();
  }

  @Test
  void start_dataDirInUseByRunningEngine_failsNamingDataDirAndPid() {
    try (EmbeddedEngine running = EmbeddedEngine.start(options().build())) {
      assertThatThrownBy(() -> EmbeddedEngine.start(options().build()))
          .isInstanceOfSatisfying(
              EngineStartException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.DATA_DIR_IN_USE))
          .hasMessage(
              "data directory "
                  + dataDir.toAbsolutePath()
                  + " is in use by another engine in this same process"
                  + " (pid "
                  + ProcessHandle.current().pid()
                  + ") — stop it or pass another --data-dir");

      // The failed start must not have disturbed the running engine.
      assertThat(TestEngine.at(running.httpUri(), "").get("/")).contains("llmlog");
    }
  }

  @Test
  void start_httpPortTaken_failsNamingThePortThenDataDirIsReusable() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();

      assertThatThrownBy(() -> EmbeddedEngine.start(options().httpPort(port).build()))
          .isInstanceOfSatisfying(
              EngineStartException.class, e -> assertThat(e.reason()).isEqualTo(Reason.PORT_IN_USE))
          .hasMessageStartingWith("HTTP port " + port + " on 127.0.0.1 is already in use")
          .hasMessageContaining("--http-port");
    }
    // The failed start released the data directory lock.
    try (EmbeddedEngine engine = EmbeddedEngine.start(options().build())) {
      assertThat(engine.httpUri().getPort()).isPositive();
    }
  }

  @Test
  void start_transportPortTaken_failsNamingThePort() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();

      assertThatThrownBy(() -> EmbeddedEngine.start(options().transportPort(port).build()))
          .isInstanceOfSatisfying(
              EngineStartException.class, e -> assertThat(e.reason()).isEqualTo(Reason.PORT_IN_USE))
          .hasMessageStartingWith("transport port " + port + " on 127.0.0.1 is already in use")
          .hasMessageContaining("--transport-port");
    }
  }

  @Test
  void start_dataDirIsAFile_failsAsNotWritable() throws IOException {
    Path file = Files.writeString(dataDir.resolve("not-a-directory"), "x");

    assertThatThrownBy(() -> EmbeddedEngine.start(EngineOptions.builder(file).build()))
        .isInstanceOfSatisfying(
            EngineStartException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.DATA_DIR_NOT_WRITABLE))
        .hasMessageStartingWith("data directory " + file.toAbsolutePath() + " cannot be written")
        .hasMessageEndingWith("pass another --data-dir");
  }

  @Test
  void start_readOnlyDataDir_failsAsNotWritable() throws IOException {
    Path readOnly = Files.createDirectory(dataDir.resolve("read-only"));
    Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      // root writes anywhere; the check is then meaningless
      assumeFalse(Files.isWritable(readOnly), "running as root");

      assertThatThrownBy(() -> EmbeddedEngine.start(EngineOptions.builder(readOnly).build()))
          .isInstanceOfSatisfying(
              EngineStartException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.DATA_DIR_NOT_WRITABLE));
    } finally {
      Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }
}

package io.llmlog.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmlog.engine.EngineStartException.Reason;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.lucene.store.LockObtainFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensearch.http.BindHttpException;
import org.opensearch.transport.BindTransportException;

class StartFailuresTest {
  @TempDir Path dataDir;

  private EngineOptions options(int httpPort, int transportPort) {
    return EngineOptions.builder(dataDir).httpPort(httpPort).transportPort(transportPort).build();
  }

  private EnginePaths paths() {
    return EnginePaths.under(dataDir.toAbsolutePath());
  }

  @Test
  void translate_httpAddressInUse_namesPortAndFlag() {
    Exception failure =
        new BindHttpException(
            "Failed to bind to 127.0.0.1:[19200]", new BindException("Address already in use"));

    EngineStartException e = StartFailures.translate(failure, options(19200, 0), paths());

    assertThat(e.reason()).isEqualTo(Reason.PORT_IN_USE);
    assertThat(e.getMessage())
        .isEqualTo(
            "HTTP port 19200 on 127.0.0.1 is already in use, probably by another llmlog"
                + " or OpenSearch — stop it or pass another --http-port (0 picks any free port)");
    assertThat(e.getCause()).isSameAs(failure);
  }

  @Test
  void translate_transportAddressInUseDeepInChain_namesTransportPort() {
    Exception failure =
        new IllegalStateException(
            "start failed",
            new BindTransportException(
                "Failed to bind to 127.0.0.1:[19300]",
                new BindException("Address already in use")));

    EngineStartException e = StartFailures.translate(failure, options(0, 19300), paths());

    assertThat(e.reason()).isEqualTo(Reason.PORT_IN_USE);
    assertThat(e.getMessage())
        .startsWith("transport port 19300 on 127.0.0.1 is already in use")
        .contains("--transport-port");
  }

  @Test
  void translate_bindFailureOtherThanInUse_namesTheHost() {
    Exception failure =
        new BindHttpException(
            "Failed to bind", new BindException("Cannot assign requested address"));

    EngineStartException e = StartFailures.translate(failure, options(0, 0), paths());

    assertThat(e.reason()).isEqualTo(Reason.PORT_IN_USE);
    assertThat(e.getMessage())
        .contains("Cannot assign requested address")
        .contains("an address of this machine");
  }

  @Test
  void translate_nodeLockHeldByThisProcess_saysSoAndNamesDataDirFlag() throws IOException {
    Files.createDirectories(paths().home());
    Files.writeString(paths().pidFile(), ProcessHandle.current().pid() + "\n");
    Exception failure =
        new IllegalStateException(
            "failed to obtain node locks, tried [[/x]] with lock id [0]",
            new LockObtainFailedException("Lock held by this virtual machine"));

    EngineStartException e = StartFailures.translate(failure, options(0, 0), paths());

    assertThat(e.reason()).isEqualTo(Reason.DATA_DIR_IN_USE);
    assertThat(e.getMessage())
        .isEqualTo(
            "data directory "
                + dataDir.toAbsolutePath()
                + " is in use by another engine in"
                + " this same process (pid "
                + ProcessHandle.current().pid()
                + ") — stop it or pass another --data-dir");
  }

  @Test
  void translate_nodeLockWithoutPidFile_saysHolderIsUnknown() {
    Exception failure =
        new IllegalStateException("failed to obtain node locks, tried [[/x]] with lock id [0]");

    EngineStartException e = StartFailures.translate(failure, options(0, 0), paths());

    assertThat(e.reason()).isEqualTo(Reason.DATA_DIR_IN_USE);
    assertThat(e.getMessage()).contains("in use by another llmlog or OpenSearch process");
  }

  @Test
  void translate_accessDenied_isNotWritable() {
    Exception failure =
        new IllegalStateException("x", new AccessDeniedException("/srv/data/engine/data/nodes"));

    EngineStartException e = StartFailures.translate(failure, options(0, 0), paths());

    assertThat(e.reason()).isEqualTo(Reason.DATA_DIR_NOT_WRITABLE);
    assertThat(e.getMessage()).contains("cannot be written").contains("--data-dir");
  }

  @Test
  void translate_anythingElse_failedWithRootMessage() {
    Exception failure =
        new RuntimeException("outer", new IllegalArgumentException("unknown setting [foo.bar]"));

    EngineStartException e = StartFailures.translate(failure, options(0, 0), paths());

    assertThat(e.reason()).isEqualTo(Reason.FAILED);
    assertThat(e.getMessage())
        .isEqualTo("the embedded search engine failed to start: unknown setting [foo.bar]");
  }
}

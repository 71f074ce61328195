package io.llmlog.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs {@code llmlog serve} as a child JVM, for tests that kill it with -9 and start it again. */
public final class ServerProcesses {
  private ServerProcesses() {}

  /**
   * Starts a server on {@code dataDir} with this JVM's java and class path; its output goes to a
   * log file in the data directory.
   *
   * @param environment extra environment variables, such as {@code LLMLOG_LIFECYCLE_ENABLED}
   * @param options more {@code serve} options, such as {@code --port 8080}
   */
  public static Process start(Path dataDir, Map<String, String> environment, String... options)
      throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx1g",
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                "io.llmlog.server.cli.LlmlogCommand",
                "serve",
                "--data-dir",
                dataDir.toString(),
                "--otlp-port",
                "0"));
    command.addAll(List.of(options));
    File log = dataDir.resolve("server-" + System.nanoTime() + ".log").toFile();
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log);
    // The server refuses LLMLOG_* variables that are no setting; whatever the machine running the
    // tests has set must not reach it, only what the test gives.
    builder.environment().keySet().removeIf(name -> name.startsWith("LLMLOG_"));
    builder.environment().putAll(environment);
    return builder.start();
  }

  /** Waits until {@code /health} answers 200, failing when the process exits first. */
  public static void awaitHealthy(Http api, Process server) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      assertThat(server.isAlive()).as("server process exited").isTrue();
      try {
        if (api.get("/health").status() == 200) {
          return;
        }
      } catch (RuntimeException notYet) {
        // Not listening yet.
      }
      Thread.sleep(250);
    }
    throw new AssertionError("server did not become healthy within 120 s");
  }

  /** A port free right now, for a server that must come back on the same one after a restart. */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}

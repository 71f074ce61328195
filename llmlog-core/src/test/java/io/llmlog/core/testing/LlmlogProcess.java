package io.llmlog.core.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real llmlog server with its embedded engine, run as a child JVM from the server module's built
 * jar ({@code llmlog-server/target/llmlog-server.jar} and its {@code lib/}), on free ports and a
 * data directory of the test's. Modules whose tests need a running llmlog — the integrations, the
 * end-to-end tests of frameworks — use it, so that the framework under test and llmlog each keep
 * their own class path, as they do for users. Such a module declares {@code llmlog-server} as a
 * test dependency with all its dependencies excluded, which makes Maven build the server first.
 */
public final class LlmlogProcess implements AutoCloseable {
  private static final Pattern API = Pattern.compile("API and dashboard on (http://[^,\\s]+)");
  private static final Pattern ES =
      Pattern.compile("Elasticsearch-compatible API on (http://[^,\\s]+)");
  private static final Pattern OTLP = Pattern.compile("OTLP on (http://[^,\\s]+)");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final Process process;
  private final Path log;
  private final URI api;
  private final URI es;
  private final URI otlp;

  private LlmlogProcess(Process process, Path log, URI api, URI es, URI otlp) {
    this.process = process;
    this.log = log;
    this.api = api;
    this.es = es;
    this.otlp = otlp;
  }

  /**
   * Starts {@code llmlog serve} on free ports with its data under {@code dataDir}, and returns once
   * it says it is ready.
   *
   * @param environment extra environment variables ({@code LLMLOG_AUTH_API_KEYS}, ...)
   * @param options more {@code serve} options
   * @throws IllegalStateException with the end of the server's log when it exits or is not ready in
   *     time
   */
  public static LlmlogProcess start(
      Path dataDir, Map<String, String> environment, String... options) throws IOException {
    Path jar = serverJar();
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx1g",
                "-XX:+UseG1GC",
                "--enable-native-access=ALL-UNNAMED",
                "-jar",
                jar.toString(),
                "serve",
                "--data-dir",
                dataDir.resolve("data").toString(),
                "--port",
                "0",
                "--es-port",
                "0",
                "--otlp-port",
                String.valueOf(freePort())));
    command.addAll(List.of(options));
    Files.createDirectories(dataDir);
    Path log = dataDir.resolve("llmlog-" + System.nanoTime() + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    try {
      while (System.nanoTime() < deadline) {
        String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        Matcher api = API.matcher(text);
        if (text.contains("llmlog is ready") && api.find()) {
          Matcher es = ES.matcher(text);
          Matcher otlp = OTLP.matcher(text);
          return new LlmlogProcess(
              process,
              log,
              URI.create(api.group(1) + "/"),
              es.find() ? URI.create(es.group(1) + "/") : null,
              otlp.find() ? URI.create(otlp.group(1) + "/") : null);
        }
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "llmlog exited with " + process.exitValue() + " before it was ready:\n" + tail(log));
        }
        Thread.sleep(200);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IllegalStateException("interrupted while llmlog started", e);
    }
    process.destroyForcibly();
    throw new IllegalStateException(
        "llmlog was not ready within " + START_TIMEOUT.toSeconds() + " s:\n" + tail(log));
  }

  /**
   * A port free right now, for the OTLP listener (whose 0 means off, not "any"): asked of the
   * system and released, so another process could take it before llmlog does; the start then fails
   * with the port named.
   */
  private static int freePort() throws IOException {
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /**
   * The server module's jar: the system property {@code llmlog.server.jar}, else the sibling
   * module's build output.
   */
  static Path serverJar() {
    String configured = System.getProperty("llmlog.server.jar");
    Path jar =
        configured != null
            ? Path.of(configured)
            : Path.of("..", "llmlog-server", "target", "llmlog-server.jar")
                .toAbsolutePath()
                .normalize();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "no llmlog server jar at "
              + jar
              + ": build llmlog-server first (mvn package -pl llmlog-server -am), "
              + "or set -Dllmlog.server.jar");
    }
    return jar;
  }

  /** The native API and dashboard, ending in '/'. */
  public URI api() {
    return api;
  }

  /** The Elasticsearch-compatible API, ending in '/', or null when the server did not say. */
  public URI es() {
    return es;
  }

  /** The dedicated OTLP/HTTP listener, ending in '/', or null when the server has none. */
  public URI otlp() {
    return otlp;
  }

  /** The server's output so far. */
  public String log() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Stops the server as a user's Ctrl-C would, and kills it if it does not stop within 30 s. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}

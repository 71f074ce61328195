package io.llmlog.engine.junit;

import io.llmlog.engine.StandaloneEngine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An engine in a child JVM ({@link StandaloneEngine}), for tests that need an OpenSearch outside
 * their own process: "external cluster" code paths, a server that must survive the engine's death,
 * and so on.
 *
 * <p>The child runs the same java binary and {@code java.class.path} as this JVM. Its output (the
 * engine logs at WARN, so little) is copied to this JVM's stderr with an {@code [engine-process]}
 * prefix. {@link #close()} sends SIGTERM, which the child answers by closing its node, and kills it
 * if it has not exited within {@link #STOP_TIMEOUT}.
 */
public final class ExternalEngineProcess implements AutoCloseable {
  /** How long {@link #start} waits for the ready line. */
  public static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  /** How long {@link #close()} waits after SIGTERM before killing. */
  public static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

  private static final int KEPT_OUTPUT_LINES = 40;

  private final Process process;
  private final URI uri;

  private ExternalEngineProcess(Process process, URI uri) {
    this.process = process;
    this.uri = uri;
  }

  /**
   * Starts an engine on {@code dataDir} on free ports, with a 512 MB heap and the disk threshold
   * off.
   */
  public static ExternalEngineProcess start(Path dataDir) {
    return start(dataDir, 0, List.of("-Xmx512m"));
  }

  /**
   * Starts an engine on {@code dataDir} and waits, at most {@link #START_TIMEOUT}, until it serves
   * HTTP.
   *
   * @param httpPort the HTTP port, 0 for a free one
   * @param jvmArgs extra options for the child JVM, such as {@code -Xmx512m}
   * @throws IllegalStateException when the child exits or stays silent; the message carries its
   *     last output
   */
  public static ExternalEngineProcess start(Path dataDir, int httpPort, List<String> jvmArgs) {
    Objects.requireNonNull(dataDir, "dataDir");
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.addAll(jvmArgs);
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(StandaloneEngine.class.getName());
    command.addAll(
        List.of(
            "--data-dir",
            dataDir.toAbsolutePath().toString(),
            "--http-port",
            Integer.toString(httpPort),
            "--no-disk-threshold"));

    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command.getFirst(), e);
    }
    OutputPump pump = new OutputPump(process);
    pump.start();
    try {
      URI uri = pump.ready.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return new ExternalEngineProcess(process, uri);
    } catch (ExecutionException | TimeoutException e) {
      stop(process);
      String why =
          e instanceof TimeoutException
              ? "printed no ready line within " + START_TIMEOUT
              : process.isAlive()
                  ? "closed its output"
                  : "exited with status " + process.exitValue();
      throw new IllegalStateException(
          "the engine process " + why + "; its last output:\n" + pump.lastLines(), e);
    } catch (InterruptedException e) {
      stop(process);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the engine process", e);
    }
  }

  /** The child's REST endpoint. */
  public URI uri() {
    return uri;
  }

  /** The child's process id. */
  public long pid() {
    return process.pid();
  }

  /** Whether the child is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGTERM, then a forced kill after {@link #STOP_TIMEOUT}. Idempotent. */
  @Override
  public void close() {
    stop(process);
  }

  private static void stop(Process process) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static String javaBinary() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /**
   * Reads the child's output until it ends: the child must never block on a full pipe. Completes
   * {@link #ready} with the URI of the ready line, or exceptionally when the output ends without
   * one.
   */
  private static final class OutputPump extends Thread {
    final CompletableFuture<URI> ready = new CompletableFuture<>();
    private final Process process;
    private final Deque<String> last = new ArrayDeque<>();

    OutputPump(Process process) {
      super("llmlog-engine-process-output-" + process.pid());
      this.process = process;
      setDaemon(true);
    }

    @Override
    public void run() {
      try (BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = reader.readLine()) != null; ) {
          if (!ready.isDone() && line.startsWith(StandaloneEngine.READY_LINE_PREFIX)) {
            ready.complete(
                URI.create(line.substring(StandaloneEngine.READY_LINE_PREFIX.length()).strip()));
            continue;
          }
          remember(line);
          System.err.println("[engine-process] " + line);
        }
      } catch (IOException e) {
        // The pipe closes when the child dies; what matters is reported through `ready`.
      }
      ready.completeExceptionally(new IllegalStateException("engine process output ended"));
    }

    private synchronized void remember(String line) {
      if (last.size() == KEPT_OUTPUT_LINES) {
        last.removeFirst();
      }
      last.addLast(line);
    }

    synchronized String lastLines() {
      return String.join("\n", last);
    }
  }
}

package io.llmlog.engine;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs an {@link EmbeddedEngine} as a process of its own, for tests that need an "external"
 * OpenSearch and for trying llmlog against a separately started engine.
 *
 * <pre>
 * java -cp ... io.llmlog.engine.StandaloneEngine --data-dir DIR [--http-port N] [--transport-port N]
 *     [--host ADDR] [--no-disk-threshold]
 * </pre>
 *
 * When the engine is ready it prints exactly one line to stdout, {@code llmlog-engine listening on
 * http://127.0.0.1:PORT}, and runs until SIGTERM or SIGINT, which close it cleanly. Logs go to
 * stderr. Exit status 1 when the engine cannot start, 2 on bad arguments.
 */
public final class StandaloneEngine {
  /** The start of the line printed to stdout when the engine is ready, followed by its URI. */
  public static final String READY_LINE_PREFIX = "llmlog-engine listening on ";

  private StandaloneEngine() {}

  public static void main(String[] args) throws InterruptedException {
    EngineOptions options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("llmlog-engine: " + e.getMessage());
      System.err.println(usage());
      System.exit(2);
      return;
    }
    EmbeddedEngine engine;
    try {
      engine = EmbeddedEngine.start(options).closeOnShutdown();
    } catch (EngineStartException e) {
      System.err.println("llmlog-engine: " + e.getMessage());
      System.exit(1);
      return;
    }
    PrintStream out = System.out;
    out.println(READY_LINE_PREFIX + engine.httpUri());
    out.flush();
    // The node's threads would keep the JVM up anyway; waiting here makes "runs until signalled"
    // explicit.
    new CountDownLatch(1).await();
  }

  static EngineOptions parse(String[] args) {
    Path dataDir = null;
    int httpPort = 0;
    int transportPort = 0;
    String host = EngineOptions.LOOPBACK;
    boolean diskThreshold = true;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--data-dir" -> dataDir = Path.of(value(args, ++i, "--data-dir"));
        case "--http-port" -> httpPort = port(value(args, ++i, "--http-port"), "--http-port");
        case "--transport-port" ->
            transportPort = port(value(args, ++i, "--transport-port"), "--transport-port");
        case "--host" -> host = value(args, ++i, "--host");
        case "--no-disk-threshold" -> diskThreshold = false;
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (dataDir == null) {
      throw new IllegalArgumentException("--data-dir is required");
    }
    return EngineOptions.builder(dataDir)
        .host(host)
        .httpPort(httpPort)
        .transportPort(transportPort)
        .diskThresholdEnabled(diskThreshold)
        .build();
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args[i];
  }

  private static int port(String value, String flag) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " must be a port number, was " + value);
    }
  }

  static String usage() {
    return "usage: StandaloneEngine --data-dir DIR [--http-port N] [--transport-port N] [--host ADDR] [--no-disk-threshold]";
  }
}

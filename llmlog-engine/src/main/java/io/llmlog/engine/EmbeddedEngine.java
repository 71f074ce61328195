package io.llmlog.engine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.opensearch.Version;
import org.opensearch.analysis.common.CommonAnalysisModulePlugin;
import org.opensearch.cluster.health.ClusterHealthStatus;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.core.common.transport.TransportAddress;
import org.opensearch.env.Environment;
import org.opensearch.http.HttpServerTransport;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessModulePlugin;
import org.opensearch.plugins.PluginInfo;
import org.opensearch.transport.Netty4ModulePlugin;

/**
 * A single OpenSearch node running inside this JVM, reachable over its REST API at {@link
 * #httpUri()}. llmlog talks to it exactly as to an external cluster; nothing else of OpenSearch is
 * exposed.
 *
 * <p>{@link #start} returns once the node serves HTTP and the indices already on disk are recovered
 * (cluster health yellow), so the first search sees old data. {@link #close} is idempotent. A host
 * that wants the node closed cleanly on SIGTERM calls {@link #closeOnShutdown()}.
 */
public final class EmbeddedEngine implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(EmbeddedEngine.class);
  private static final TimeValue RECOVERY_WAIT = TimeValue.timeValueSeconds(60);

  private final Node node;
  private final URI httpUri;
  private final EngineOptions options;
  private final EnginePaths paths;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Thread shutdownHook;

  private EmbeddedEngine(Node node, URI httpUri, EngineOptions options, EnginePaths paths) {
    this.node = node;
    this.httpUri = httpUri;
    this.options = options;
    this.paths = paths;
  }

  /**
   * Starts a node with its files under {@code options.dataDir()/engine}.
   *
   * @throws EngineStartException with a message that names the fix, when the data directory is in
   *     use or not writable, a port is taken, or the node fails for another reason
   */
  public static EmbeddedEngine start(EngineOptions options) {
    long startNanos = System.nanoTime();
    EnginePaths paths = EnginePaths.under(options.dataDir());
    prepareDirectories(paths);
    EngineLogging.configure(options.engineLogLevel());

    Settings settings = EngineSettings.of(options, paths);
    Node node;
    try {
      Environment environment =
          InternalSettingsPreparer.prepareEnvironment(
              settings, Map.of(), null, () -> EngineSettings.NODE_NAME);
      node =
          new ClasspathPluginsNode(
              environment,
              List.of(
                  plugin(Netty4ModulePlugin.class),
                  plugin(CommonAnalysisModulePlugin.class),
                  plugin(PainlessModulePlugin.class)));
    } catch (RuntimeException | Error e) {
      throw StartFailures.translate(e, options, paths);
    }
    try {
      // The node holds the data directory lock from here on, so the pid file names the right owner.
      PidFile.write(paths.pidFile());
      node.start();
      URI uri =
          httpUri(
              node.injector()
                  .getInstance(HttpServerTransport.class)
                  .boundAddress()
                  .publishAddress());
      awaitRecovery(node);
      EmbeddedEngine engine = new EmbeddedEngine(node, uri, options, paths);
      LOG.info(
          "search engine ready at {} in {} ms (data in {})",
          uri,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
          paths.home());
      return engine;
    } catch (Exception | Error e) {
      closeQuietly(node, options);
      // Closing releases the data directory lock and the ports, so a corrected retry can start.
      PidFile.delete(paths.pidFile());
      throw StartFailures.translate(e, options, paths);
    }
  }

  /**
   * The REST endpoint, for example {@code http://127.0.0.1:43817}, with the port actually bound.
   */
  public URI httpUri() {
    return httpUri;
  }

  /** The options this engine was started with. */
  public EngineOptions options() {
    return options;
  }

  /**
   * Closes this engine when the JVM shuts down (SIGTERM, SIGINT, {@code System.exit}), so the last
   * writes are flushed and the next start needs no recovery. An explicit {@link #close()} removes
   * the hook.
   *
   * @return this engine
   */
  public synchronized EmbeddedEngine closeOnShutdown() {
    if (shutdownHook == null && !closed.get()) {
      Thread hook = new Thread(this::closeFromHook, "llmlog-engine-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      shutdownHook = hook;
    }
    return this;
  }

  /** Stops the node and waits for it, at most {@link EngineOptions#closeTimeout()}. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    removeShutdownHook();
    closeQuietly(node, options);
    PidFile.delete(paths.pidFile());
  }

  private void closeFromHook() {
    // Runtime.removeShutdownHook throws once shutdown has begun: forget the hook before closing.
    shutdownHook = null;
    close();
  }

  private synchronized void removeShutdownHook() {
    Thread hook = shutdownHook;
    shutdownHook = null;
    if (hook != null && hook != Thread.currentThread()) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shutdownInProgress) {
        // The hook is running or about to; close() is idempotent.
      }
    }
  }

  private static void prepareDirectories(EnginePaths paths) {
    try {
      Files.createDirectories(paths.data());
      Files.createDirectories(paths.logs());
      // Creating directories can succeed on a read-only mount that already has them; a probe file
      // cannot.
      Path probe = Files.createTempFile(paths.home(), ".write-probe", ".tmp");
      Files.delete(probe);
    } catch (IOException e) {
      throw StartFailures.dataDirNotWritable(paths.dataDir(), e);
    }
  }

  private static void awaitRecovery(Node node) {
    ClusterHealthStatus status =
        node.client()
            .admin()
            .cluster()
            .prepareHealth()
            .setWaitForYellowStatus()
            .setTimeout(RECOVERY_WAIT)
            .get()
            .getStatus();
    if (status == ClusterHealthStatus.RED) {
      // Serving what is there beats refusing to start; the health API shows which index is broken.
      LOG.warn("search engine started but some indices are not available (cluster health red)");
    }
  }

  private static void closeQuietly(Node node, EngineOptions options) {
    try {
      node.close();
      if (!node.awaitClose(options.closeTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("search engine did not stop within {}; exiting anyway", options.closeTimeout());
      }
    } catch (IOException e) {
      LOG.warn("search engine did not close cleanly", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static URI httpUri(TransportAddress address) {
    InetSocketAddress socket = address.address();
    String host = socket.getAddress().getHostAddress();
    if (host.indexOf(':') >= 0) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + socket.getPort());
  }

  private static PluginInfo plugin(Class<?> pluginClass) {
    String name = pluginClass.getName();
    return new PluginInfo(name, name, "1", Version.CURRENT, "21", name, null, List.of(), false);
  }

  /** Node's constructor that accepts plugins found on the classpath is protected. */
  private static final class ClasspathPluginsNode extends Node {
    ClasspathPluginsNode(Environment environment, Collection<PluginInfo> plugins) {
      super(environment, plugins, true);
    }

    /**
     * OpenSearch records the node and cluster id in a JVM-wide set-once holder for its log
     * patterns, which llmlog's pattern does not use. A second node in the same JVM (a restart, or
     * tests) would fail to set it again and log a WARN with a stack trace on every start.
     */
    @Override
    protected void configureNodeAndClusterIdStateListener(ClusterService clusterService) {}
  }
}

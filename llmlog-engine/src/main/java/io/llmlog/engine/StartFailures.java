package io.llmlog.engine;

import io.llmlog.engine.EngineStartException.Reason;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import org.apache.lucene.store.LockObtainFailedException;
import org.opensearch.http.BindHttpException;
import org.opensearch.transport.BindTransportException;

/**
 * Translates what OpenSearch throws at start-up into an {@link EngineStartException} a newcomer can
 * act on. OpenSearch's own messages ("failed to obtain node locks, tried [...] with lock id [0];
 * maybe ... node.max_local_storage_nodes") are written for OpenSearch operators, not for llmlog
 * users.
 */
final class StartFailures {
  private StartFailures() {}

  static EngineStartException dataDirNotWritable(Path dir, IOException e) {
    String why =
        e instanceof FileSystemException fse && fse.getReason() != null
            ? fse.getReason()
            : e.toString();
    return new EngineStartException(
        Reason.DATA_DIR_NOT_WRITABLE,
        "data directory "
            + dir
            + " cannot be written ("
            + why
            + ") — fix its permissions or pass another --data-dir",
        e);
  }

  static EngineStartException translate(
      Throwable failure, EngineOptions options, EnginePaths paths) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof BindHttpException) {
        return bindFailure("HTTP", options.host(), options.httpPort(), "--http-port", failure);
      }
      if (t instanceof BindTransportException) {
        return bindFailure(
            "transport", options.host(), options.transportPort(), "--transport-port", failure);
      }
      if (t instanceof LockObtainFailedException
          || (t.getMessage() != null && t.getMessage().contains("failed to obtain node locks"))) {
        return new EngineStartException(
            Reason.DATA_DIR_IN_USE,
            "data directory "
                + paths.dataDir()
                + " is in use by "
                + PidFile.describeHolder(paths.pidFile())
                + " — stop it or pass another --data-dir",
            failure);
      }
      if (t instanceof java.nio.file.AccessDeniedException
          || t instanceof java.nio.file.ReadOnlyFileSystemException) {
        return dataDirNotWritable(
            paths.dataDir(), t instanceof IOException io ? io : new IOException(t));
      }
    }
    return new EngineStartException(
        Reason.FAILED,
        "the embedded search engine failed to start: " + rootMessage(failure),
        failure);
  }

  private static EngineStartException bindFailure(
      String what, String host, int port, String flag, Throwable failure) {
    if (!isAddressInUse(failure)) {
      return new EngineStartException(
          Reason.PORT_IN_USE,
          "cannot bind the engine's "
              + what
              + " port to "
              + host
              + " ("
              + rootMessage(failure)
              + ") — pass an address of this machine, 127.0.0.1 by default",
          failure);
    }
    String which = port == 0 ? "a free port" : "port " + port;
    return new EngineStartException(
        Reason.PORT_IN_USE,
        what
            + " "
            + which
            + " on "
            + host
            + " is already in use, probably by another llmlog or OpenSearch"
            + " — stop it or pass another "
            + flag
            + " (0 picks any free port)",
        failure);
  }

  private static boolean isAddressInUse(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof BindException
          && t.getMessage() != null
          && t.getMessage().contains("in use")) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.toString() : root.getMessage();
  }
}

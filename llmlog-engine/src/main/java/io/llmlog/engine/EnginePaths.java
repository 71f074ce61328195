package io.llmlog.engine;

import java.nio.file.Path;

/**
 * Where the node's files live inside llmlog's data directory, so llmlog's own files can sit beside
 * them.
 */
record EnginePaths(Path dataDir, Path home, Path data, Path logs, Path pidFile) {

  static EnginePaths under(Path dataDir) {
    Path home = dataDir.resolve("engine");
    return new EnginePaths(
        dataDir,
        home,
        home.resolve("data"),
        home.resolve("logs"),
        home.resolve("llmlog-engine.pid"));
  }
}

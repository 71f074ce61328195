package io.llmlog.server.ingest;

import io.llmlog.server.LlmlogServer;
import io.llmlog.server.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The ingest and lookup suite against the engine embedded in the server, as {@code ./llmlog serve}
 * runs by default.
 */
class EmbeddedEngineIngestIT extends IngestLookupITBase {
  @Override
  protected LlmlogServer startServer() throws Exception {
    Path dataDir = Files.createTempDirectory("llmlog-embedded-it");
    return TestServers.embedded(dataDir);
  }
}

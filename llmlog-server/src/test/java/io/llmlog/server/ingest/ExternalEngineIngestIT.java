package io.llmlog.server.ingest;

import io.llmlog.engine.junit.ExternalEngineProcess;
import io.llmlog.server.LlmlogServer;
import io.llmlog.server.TestServers;
import java.nio.file.Files;

/**
 * The ingest and lookup suite with {@code --engine-url} against a separately started OpenSearch
 * node.
 */
class ExternalEngineIngestIT extends IngestLookupITBase {
  private ExternalEngineProcess engine;

  @Override
  protected LlmlogServer startServer() throws Exception {
    engine = ExternalEngineProcess.start(Files.createTempDirectory("llmlog-external-it"));
    return TestServers.external(engine.uri());
  }

  @Override
  protected void stopEngine() {
    if (engine != null) {
      engine.close();
    }
  }
}

package io.llmlog.engine.junit;

import io.llmlog.engine.EmbeddedEngine;
import io.llmlog.engine.EngineOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The one embedded node of a test JVM. Started on first use, in a temporary directory; closed and
 * deleted by a shutdown hook, because a node start costs seconds and test classes of one JVM run
 * one after another. A failed start is remembered, so the other test classes fail fast with the
 * same message.
 */
final class SharedEngine {
  private static EmbeddedEngine engine;
  private static RuntimeException startFailure;
  private static Path directory;

  private SharedEngine() {}

  static synchronized EmbeddedEngine get() {
    if (startFailure != null) {
      throw new IllegalStateException(
          "the shared test engine failed to start earlier in this JVM", startFailure);
    }
    if (engine == null) {
      try {
        directory = Files.createTempDirectory("llmlog-test-engine-");
        Runtime.getRuntime()
            .addShutdownHook(new Thread(SharedEngine::stop, "llmlog-test-engine-shutdown"));
        engine =
            EmbeddedEngine.start(
                EngineOptions.builder(directory).diskThresholdEnabled(false).build());
      } catch (IOException e) {
        startFailure =
            new UncheckedIOException("cannot create a temporary directory for the test engine", e);
        throw startFailure;
      } catch (RuntimeException e) {
        startFailure = e;
        throw e;
      }
    }
    return engine;
  }

  private static synchronized void stop() {
    if (engine != null) {
      engine.close();
      engine = null;
    }
    if (directory != null) {
      deleteRecursively(directory);
      directory = null;
    }
  }

  static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
              Files.deleteIfExists(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      // A leftover in the temp directory is not worth failing a JVM exit for.
      System.err.println("llmlog: could not delete " + root + ": " + e);
    }
  }
}

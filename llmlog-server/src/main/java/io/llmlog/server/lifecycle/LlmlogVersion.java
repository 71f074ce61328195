package io.llmlog.server.lifecycle;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The running llmlog's version, written into manifests so that a future reader knows the writer.
 */
final class LlmlogVersion {
  private LlmlogVersion() {}

  static String get() {
    String version = LlmlogVersion.class.getPackage().getImplementationVersion();
    if (version != null) {
      return version;
    }
    try (InputStream in =
        LlmlogVersion.class.getResourceAsStream(
            "/META-INF/maven/io.llmlog/llmlog-server/pom.properties")) {
      if (in != null) {
        Properties properties = new Properties();
        properties.load(in);
        return properties.getProperty("version", "unknown");
      }
    } catch (IOException e) {
      // Unknown then.
    }
    return "development build";
  }
}

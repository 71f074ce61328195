package io.llmlog.server.cli;

import picocli.CommandLine.Option;

/** The options that say which llmlog server a command talks to. */
final class ServerConnection {
  @Option(
      names = "--server",
      paramLabel = "URL",
      defaultValue = "${env:LLMLOG_SERVER:-http://localhost:8080}",
      description = "the llmlog server (default: $LLMLOG_SERVER or ${DEFAULT-VALUE})")
  String server;

  @Option(
      names = "--api-key",
      paramLabel = "KEY",
      defaultValue = "${env:LLMLOG_API_KEY}",
      description =
          "an API key, when the server has keys: read to look, admin to restore (default: $LLMLOG_API_KEY)")
  String apiKey;

  ApiClient client() {
    return new ApiClient(server, apiKey);
  }
}

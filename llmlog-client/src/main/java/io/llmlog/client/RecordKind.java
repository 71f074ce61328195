package io.llmlog.client;

/** The kinds of record the server takes, each on its own endpoint. */
enum RecordKind {
  CALL("/api/v1/logs"),
  QUALITY("/api/v1/quality"),
  /** A step of an agent run, stored in {@code llm-spans-*}. */
  STEP("/api/v1/spans");

  private final String path;

  RecordKind(String path) {
    this.path = path;
  }

  /** The server's ingest path for this kind. */
  String path() {
    return path;
  }
}

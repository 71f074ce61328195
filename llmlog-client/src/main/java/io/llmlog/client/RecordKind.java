package io.llmlog.client;

/** The two kinds of record the server takes, each on its own endpoint. */
enum RecordKind {
  CALL("/api/v1/logs"),
  QUALITY("/api/v1/quality");

  private final String path;

  RecordKind(String path) {
    this.path = path;
  }

  /** The server's ingest path for this kind. */
  String path() {
    return path;
  }
}

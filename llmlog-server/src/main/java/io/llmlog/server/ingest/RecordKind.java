package io.llmlog.server.ingest;

/** What a record is: part or whole of an LLM call, or quality feedback on one. */
public enum RecordKind {
  CALL,
  QUALITY
}

package io.llmlog.server.ingest;

/**
 * What a record is: part or whole of an LLM call, quality feedback on one, or a step of an agent
 * run.
 */
public enum RecordKind {
  CALL,
  QUALITY,
  /**
   * A step that is not a model call (tool, retrieval, agent, workflow), stored in {@code
   * llm-spans-*}.
   */
  SPAN
}

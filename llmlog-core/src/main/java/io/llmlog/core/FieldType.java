package io.llmlog.core;

/** How a field is stored and searched; each maps onto one engine mapping type. */
public enum FieldType {
  /** An instant, written as ISO-8601 in UTC. */
  DATE,
  /** An exact value for filters and grouping: ids, names, enums. */
  KEYWORD,
  /** Analysed full text: prompts and responses. */
  TEXT,
  /** A whole number such as a token count. */
  INTEGER,
  /** A measurement such as a latency, with float precision as in the brief's template. */
  FLOAT,
  /** A value that needs double precision, such as a cost in US dollars. */
  DOUBLE,
  /** A boolean flag. */
  BOOLEAN,
  /**
   * Chat messages in OpenTelemetry's GenAI shape ({@link io.llmlog.core.message.Messages}): kept
   * with the record, not indexed; their text is searched through {@code prompt}, {@code
   * system_prompt} and {@code response}, which are rendered from them.
   */
  MESSAGES
}

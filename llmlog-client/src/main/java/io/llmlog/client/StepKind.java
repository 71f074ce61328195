package io.llmlog.client;

import java.util.Locale;

/**
 * What a {@linkplain LlmLogger#step step} of an agent run does; stored as the step's {@code kind}.
 */
public enum StepKind {
  /** An agent's invocation: the run, or a sub-agent within it. */
  AGENT,
  /** The execution of a tool the model asked for. */
  TOOL,
  /** A search for documents or context (a vector store, a search engine). */
  RETRIEVAL,
  /** A workflow or chain of steps. */
  WORKFLOW,
  /** A part of the run that groups model calls and is none of the others. */
  STEP,
  /** Anything else. */
  OTHER;

  private final String value = name().toLowerCase(Locale.ROOT);

  /**
   * The stored value: {@code agent}, {@code tool}, {@code retrieval}, {@code workflow}, {@code
   * step}, {@code other}.
   */
  public String value() {
    return value;
  }
}

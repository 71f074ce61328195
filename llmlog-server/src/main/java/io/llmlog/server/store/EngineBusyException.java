package io.llmlog.server.store;

/**
 * The engine is saturated (its queues are full, or llmlog's own bulk slots are taken): answer 429.
 */
public final class EngineBusyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EngineBusyException(String message) {
    super(message);
  }
}

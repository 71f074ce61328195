package io.llmlog.server.store;

/**
 * The engine cannot be reached or is not answering: the caller should answer 503 and retry later.
 */
public final class EngineUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EngineUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}

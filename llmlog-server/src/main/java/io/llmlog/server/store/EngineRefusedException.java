package io.llmlog.server.store;

/**
 * The engine refused llmlog for good (a conflicting index template, wrong credentials, a version
 * llmlog cannot use): retrying cannot help, so start-up stops at once with this message, which
 * names the cause and the fix.
 */
public final class EngineRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EngineRefusedException(String message) {
    super(message);
  }
}

package io.llmlog.server.store;

/**
 * The engine refused an administrative request (create, delete, merge, scan ...); the message says
 * which and why.
 */
public final class IndexAdminException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public IndexAdminException(String message) {
    super(message);
  }
}

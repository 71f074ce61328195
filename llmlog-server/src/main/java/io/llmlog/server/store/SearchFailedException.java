package io.llmlog.server.store;

/** The engine refused a search, usually because of the query; carries its status and reason. */
public final class SearchFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  public SearchFailedException(int status, String reason) {
    super(reason);
    this.status = status;
  }

  /** The engine's HTTP status: 4xx for a bad query, 5xx for an engine fault. */
  public int status() {
    return status;
  }
}

package io.llmlog.server.lifecycle;

/**
 * A lifecycle request that cannot be done (no such archive, a conflicting index, a bad range), with
 * the HTTP status that says why.
 */
public final class LifecycleRequestException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  public LifecycleRequestException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}

package io.llmlog.server.ingest;

/** A request beyond a configured limit: answered with 413 and the limit's name. */
public final class PayloadTooLargeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PayloadTooLargeException(String message) {
    super(message);
  }
}

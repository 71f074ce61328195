package io.llmlog.server.ingest;

/** A request that cannot be read at all (not JSON, wrong shape): answered with 400. */
public final class BadRequestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BadRequestException(String message) {
    super(message);
  }
}

package io.llmlog.server.otlp;

/** A body in a format the endpoint does not take: answered with 415. */
public final class UnsupportedMediaTypeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnsupportedMediaTypeException(String message) {
    super(message);
  }
}

package io.llmlog.server.query;

/** An index expression reaching beyond llmlog's own indices; the facade answers 403. */
public final class ForbiddenIndexException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ForbiddenIndexException(String message) {
    super(message);
  }
}

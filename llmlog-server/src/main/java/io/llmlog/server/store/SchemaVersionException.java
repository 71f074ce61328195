package io.llmlog.server.store;

/**
 * The engine holds llmlog index templates of a newer schema version than this llmlog writes: a
 * newer llmlog used it, and this one refuses to start rather than put older templates back over
 * them.
 */
public final class SchemaVersionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SchemaVersionException(String message) {
    super(message);
  }
}

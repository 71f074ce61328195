package io.llmlog.server.lifecycle;

/** An archive cannot be written, read or trusted; the message names the file and what is wrong. */
public final class ArchiveException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ArchiveException(String message) {
    super(message);
  }

  public ArchiveException(String message, Throwable cause) {
    super(message, cause);
  }
}

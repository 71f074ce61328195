package io.llmlog.server.ingest;

/**
 * Ingest is paused on purpose (the disk is almost full): answer 503 with the reason, the sender
 * retries later.
 */
public final class IngestPausedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public IngestPausedException(String reason) {
    super(reason);
  }
}

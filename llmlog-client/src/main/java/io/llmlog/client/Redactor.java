package io.llmlog.client;

import io.llmlog.core.LlmLogEntry;
import io.llmlog.core.QualityLogEntry;

/**
 * Rewrites a record before it leaves the process, for example to mask PII in the prompt and the
 * response. It runs on the reporter's thread, never on the caller's, so it may be as thorough as it
 * needs to be; it runs once per destination (log lines and the server each have their own reporter).
 *
 * <p>A redactor that throws or returns null fails closed: the record is dropped and counted as
 * {@link DropReason#REDACT_FAILED}, never shipped unredacted.
 */
@FunctionalInterface
public interface Redactor {
  /** Leaves every record as it is. */
  Redactor NONE = entry -> entry;

  /** The call record to ship in place of {@code entry}. */
  LlmLogEntry redact(LlmLogEntry entry);

  /** The quality record to ship in place of {@code quality}; by default it is shipped as it is. */
  default QualityLogEntry redactQuality(QualityLogEntry quality) {
    return quality;
  }
}

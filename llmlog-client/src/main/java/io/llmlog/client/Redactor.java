package io.llmlog.client;

import io.llmlog.core.LlmLogEntry;
import io.llmlog.core.QualityLogEntry;
import io.llmlog.core.redact.PiiRedactor;

/**
 * Rewrites a record before it leaves the process, for example to mask PII in the prompt and the
 * response. It runs on the reporter's thread, never on the caller's, so it may be as thorough as it
 * needs to be; it runs once per destination (log lines and the server each have their own
 * reporter).
 *
 * <p>The built-in one is {@link #pii()}: llmlog's PII redactor ({@link PiiRedactor}, the one the
 * server's pipeline runs), which replaces e-mail addresses, phone numbers, Chinese resident ids,
 * bank cards, IP addresses and secrets in the prompt, system prompt, response, messages and error
 * message with {@code [EMAIL]}, {@code [PHONE]}, ... Records it changed carry {@code "redacted":
 * ["email", ...]}, so the dashboard shows what was replaced; records changed by any other redactor
 * carry {@code "redacted": ["custom"]}.
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

  /**
   * llmlog's PII redactor with its defaults ({@link PiiRedactor#defaults()}): every built-in
   * recognizer, each match replaced by its type's token such as {@code [EMAIL]}. The JSON log lines
   * use it unless {@link LlmLogger.Builder#redactor} says otherwise.
   */
  static Redactor pii() {
    return PiiEntryRedactor.DEFAULTS;
  }

  /**
   * llmlog's PII redactor configured your way, for example {@code
   * Redactor.pii(PiiRedactor.builder().mode(RedactionMode.MASK).build())}.
   */
  static Redactor pii(PiiRedactor redactor) {
    return new PiiEntryRedactor(redactor);
  }
}

package io.llmlog.client;

import io.llmlog.core.LlmLogEntry;
import io.llmlog.core.SpanField;
import io.llmlog.core.redact.PiiRedactor;
import io.llmlog.core.redact.Redaction;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@link Redactor#pii}: core's {@link PiiRedactor} over a call record, telling which kinds it
 * replaced.
 */
final class PiiEntryRedactor implements Redactor {
  static final PiiEntryRedactor DEFAULTS = new PiiEntryRedactor(PiiRedactor.defaults());

  private final PiiRedactor redactor;

  PiiEntryRedactor(PiiRedactor redactor) {
    this.redactor = Objects.requireNonNull(redactor, "redactor");
  }

  @Override
  public LlmLogEntry redact(LlmLogEntry entry) {
    return redactor.redact(entry);
  }

  /**
   * The redacted record and the kinds replaced in it ({@code email}, {@code phone}, ...), sorted.
   */
  Redacted redactNamingKinds(LlmLogEntry entry) {
    Set<String> kinds = new TreeSet<>();
    LlmLogEntry redacted =
        redactor.redact(entry, (field, redaction) -> kinds.addAll(redaction.counts().keySet()));
    return new Redacted(redacted, kinds.isEmpty() ? List.of() : List.copyOf(kinds));
  }

  /** A record after redaction and what was replaced in it. */
  record Redacted(LlmLogEntry entry, Collection<String> kinds) {}

  /** The step with its texts ({@link SpanField#TEXTS}) redacted, and the kinds replaced in them. */
  RedactedStep redactNamingKinds(StepRecord step) {
    Set<String> kinds = new TreeSet<>();
    StepRecord redacted = step;
    for (SpanField field : SpanField.TEXTS) {
      if (step.get(field) instanceof String text) {
        Redaction redaction = redactor.redact(text);
        if (redaction.changed()) {
          redacted = redacted.with(field, redaction.text());
          kinds.addAll(redaction.counts().keySet());
        }
      }
    }
    return new RedactedStep(redacted, kinds.isEmpty() ? List.of() : List.copyOf(kinds));
  }

  /** A step after redaction and what was replaced in it. */
  record RedactedStep(StepRecord step, Collection<String> kinds) {}

  @Override
  public String toString() {
    return "Redactor.pii(" + redactor + ")";
  }
}

package io.llmlog.server.pipeline;

import io.llmlog.core.LogField;
import io.llmlog.core.redact.PiiRedactor;
import io.llmlog.core.redact.Redaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Replaces personal data and secrets in text fields with the same {@link PiiRedactor} the SDK
 * uses, so privacy rules hold whether the application redacts or the server does. The kinds of
 * data replaced are listed in {@code redacted}, which the dashboard shows as marks; counts per
 * kind are kept for the pipeline statistics.
 */
public final class RedactFilter implements Filter {
  private final PiiRedactor redactor;
  private final List<String> fields;
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final LongAdder failures = new LongAdder();

  RedactFilter(PiiRedactor redactor, List<String> fields) {
    this.redactor = redactor;
    this.fields = fields.stream().map(FieldReference::path).toList();
  }

  @Override
  public String name() {
    return "redact";
  }

  /** The note in which the filter leaves what it replaced in a field, by kind, for the evaluators. */
  public static String noteOf(String field) {
    return "redacted:" + field;
  }

  /** True when this filter redacts the field, so that no note on it means nothing was found. */
  public boolean covers(String field) {
    return fields.contains(FieldReference.path(field));
  }

  @Override
  public boolean apply(Event event) {
    List<Object> kinds = null;
    for (String field : fields) {
      if (!(event.get(field) instanceof String text)) {
        continue;
      }
      Redaction redaction = redactor.redact(text);
      if (!redaction.changed()) {
        continue;
      }
      event.set(field, redaction.text());
      event.note(noteOf(field), redaction.counts());
      if (redaction.failed()) {
        failures.increment();
      }
      if (kinds == null) {
        kinds = event.get(LogField.REDACTED.jsonName()) instanceof List<?> list ? new ArrayList<>(list) : new ArrayList<>();
      }
      for (Map.Entry<String, Integer> count : redaction.counts().entrySet()) {
        counts.computeIfAbsent(count.getKey(), kind -> new LongAdder()).add(count.getValue());
        if (!kinds.contains(count.getKey())) {
          kinds.add(count.getKey());
        }
      }
    }
    if (kinds != null) {
      event.set(LogField.REDACTED.jsonName(), kinds);
    }
    return true;
  }

  @Override
  public Map<String, Object> details() {
    return Map.of("redacted", counts(), "failed_closed", failures());
  }

  /** Values replaced so far, by kind ({@code email}, {@code phone}, ...). */
  Map<String, Long> counts() {
    Map<String, Long> snapshot = new java.util.TreeMap<>();
    counts.forEach((kind, count) -> snapshot.put(kind, count.sum()));
    return snapshot;
  }

  /** Fields replaced whole because a custom pattern ran past its time budget (fail closed). */
  long failures() {
    return failures.sum();
  }
}

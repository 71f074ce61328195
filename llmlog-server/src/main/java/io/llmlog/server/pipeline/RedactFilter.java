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
 * Replaces personal data and secrets in text fields with the same {@link PiiRedactor} the SDK uses,
 * so privacy rules hold whether the application redacts or the server does. A field that holds
 * structured values (the chat messages, tool arguments and results) has every text inside it
 * redacted. The kinds of data replaced are listed in {@code redacted}, which the dashboard shows as
 * marks; counts per kind are kept for the pipeline statistics.
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

  /** The same redactor on other fields (its counters are its own). */
  RedactFilter withFields(List<String> otherFields) {
    return new RedactFilter(redactor, otherFields);
  }

  @Override
  public String name() {
    return "redact";
  }

  /**
   * The note in which the filter leaves what it replaced in a field, by kind, for the evaluators.
   */
  public static String noteOf(String field) {
    return "redacted:" + field;
  }

  /** True when this filter redacts the field, so that no note on it means nothing was found. */
  public boolean covers(String field) {
    return fields.contains(FieldReference.path(field));
  }

  @Override
  public boolean apply(Event event) {
    List<Object> kinds = new ArrayList<>(0);
    for (String field : fields) {
      Object value = event.get(field);
      if (value == null || value instanceof Number || value instanceof Boolean) {
        continue;
      }
      Object redacted =
          redactor.redactTree(
              value,
              redaction -> {
                count(redaction, kinds);
                note(event, field, redaction);
              });
      if (redacted != value) {
        event.set(field, redacted);
      }
    }
    if (!kinds.isEmpty()) {
      List<Object> all =
          event.get(LogField.REDACTED.jsonName()) instanceof List<?> earlier
              ? new ArrayList<>(earlier)
              : new ArrayList<>();
      for (Object kind : kinds) {
        if (!all.contains(kind)) {
          all.add(kind);
        }
      }
      event.set(LogField.REDACTED.jsonName(), all);
    }
    return true;
  }

  /**
   * Adds what a redaction replaced to the field's note, by kind (a field of messages holds several
   * texts).
   */
  @SuppressWarnings("unchecked")
  private static void note(Event event, String field, Redaction redaction) {
    String key = noteOf(field);
    Map<String, Integer> found = (Map<String, Integer>) event.noted(key);
    if (found == null) {
      found = new java.util.TreeMap<>();
      event.note(key, found);
    }
    for (Map.Entry<String, Integer> count : redaction.counts().entrySet()) {
      found.merge(count.getKey(), count.getValue(), Integer::sum);
    }
  }

  private void count(Redaction redaction, List<Object> kinds) {
    if (redaction.failed()) {
      failures.increment();
    }
    for (Map.Entry<String, Integer> count : redaction.counts().entrySet()) {
      counts.computeIfAbsent(count.getKey(), kind -> new LongAdder()).add(count.getValue());
      if (!kinds.contains(count.getKey())) {
        kinds.add(count.getKey());
      }
    }
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

package io.llmlog.server.pipeline;

import io.llmlog.core.LogField;
import io.llmlog.core.Texts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts long text fields to a number of characters (code points, never splitting an emoji), as the
 * brief's logger cuts its prompt to 1000. Each cut is marked: the field's name is added to {@code
 * truncated} and its original length is kept in {@code truncated_lengths.<field>}, so that nobody
 * mistakes a cut prompt for the whole one.
 */
final class TruncateFilter implements Filter {
  private final Map<String, Integer> limits;

  TruncateFilter(Map<String, Integer> limits) {
    this.limits = new LinkedHashMap<>();
    limits.forEach(
        (field, limit) -> {
          if (limit <= 0) {
            throw new IllegalArgumentException(
                "truncate: the limit for " + field + " must be positive, was " + limit);
          }
          this.limits.put(FieldReference.path(field), limit);
        });
  }

  @Override
  public String name() {
    return "truncate";
  }

  @Override
  public boolean apply(Event event) {
    limits.forEach(
        (field, limit) -> {
          if (event.get(field) instanceof String text && text.length() > limit) {
            int codePoints = text.codePointCount(0, text.length());
            if (codePoints > limit) {
              event.set(field, Texts.firstCodePoints(text, limit));
              mark(event, field, codePoints);
            }
          }
        });
    return true;
  }

  private static void mark(Event event, String field, int originalLength) {
    String marks = LogField.TRUNCATED.jsonName();
    List<Object> truncated =
        event.get(marks) instanceof List<?> list ? new ArrayList<>(list) : new ArrayList<>();
    if (!truncated.contains(field)) {
      truncated.add(field);
    }
    event.set(marks, truncated);
    event.set("truncated_lengths." + field.replace('.', '_'), originalLength);
  }
}

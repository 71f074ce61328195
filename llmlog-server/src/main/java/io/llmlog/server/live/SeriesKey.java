package io.llmlog.server.live;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values of a view's {@code groupBy} fields that name one series, or the overflow series that
 * takes the calls of every series beyond the per-minute cap.
 */
record SeriesKey(List<String> values, boolean overflow) {
  /** Shown for a call without a value in a grouping field. */
  static final String NONE = "(none)";

  /** The label value of the overflow series. */
  static final String OTHER = "other";

  static final SeriesKey ALL = new SeriesKey(List.of(), false);

  SeriesKey {
    values = List.copyOf(values);
  }

  static SeriesKey overflow(int fields) {
    return new SeriesKey(java.util.Collections.nCopies(fields, OTHER), true);
  }

  /**
   * A stable text form, for document ids and sorting; the overflow series cannot clash with a real
   * value.
   */
  String text() {
    return (overflow ? "\u0001other" : "") + String.join("\u0000", values);
  }

  static SeriesKey parse(String text, int fields) {
    if (text.startsWith("\u0001other")) {
      return overflow(fields);
    }
    return new SeriesKey(fields == 0 ? List.of() : List.of(text.split("\u0000", -1)), false);
  }

  Map<String, String> labels(List<String> groupBy) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (int i = 0; i < groupBy.size() && i < values.size(); i++) {
      labels.put(groupBy.get(i), values.get(i));
    }
    return labels;
  }
}

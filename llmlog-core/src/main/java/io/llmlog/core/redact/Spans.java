package io.llmlog.core.redact;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The matches of the custom recognizers in one text, as (start, end, recognizer) triples. */
final class Spans {
  private static final int[] NONE = new int[0];
  private static final Comparator<int[]> ORDER = Comparator.<int[]>comparingInt(span -> span[0])
      .thenComparing(Comparator.<int[]>comparingInt(span -> span[1]).reversed())
      .thenComparingInt(span -> span[2]);

  private final List<int[]> spans = new ArrayList<>();

  void add(int start, int end, int recognizer) {
    spans.add(new int[] {start, end, recognizer});
  }

  /** The triples flattened, ordered by start ascending, then longest first, then recognizer. */
  int[] sorted() {
    if (spans.isEmpty()) {
      return NONE;
    }
    spans.sort(ORDER);
    int[] triples = new int[spans.size() * 3];
    for (int k = 0; k < spans.size(); k++) {
      System.arraycopy(spans.get(k), 0, triples, 3 * k, 3);
    }
    return triples;
  }
}

package io.llmlog.core.redact;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Candidates found before the pass (e-mail addresses, custom matches), as (start, end, rank)
 * triples.
 */
final class Spans {
  private static final int[] NONE = new int[0];
  private static final Comparator<int[]> ORDER =
      Comparator.<int[]>comparingInt(span -> span[0])
          .thenComparing(Comparator.<int[]>comparingInt(span -> span[1]).reversed())
          .thenComparingInt(span -> span[2]);

  private final List<int[]> spans = new ArrayList<>();

  void add(int start, int end, int rank) {
    spans.add(new int[] {start, end, rank});
  }

  /** The triples flattened, ordered by start ascending, then longest first, then rank. */
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

package io.llmlog.core;

import java.util.Collection;
import java.util.TreeSet;

/**
 * The known name closest to a misspelt one, for messages that say "did you mean ...?". Closeness is
 * the optimal-string-alignment distance (insertions, deletions, substitutions and swaps of two
 * neighbours each cost 1), so {@code max_body_byte}, {@code max_bdoy_bytes} and {@code
 * maxbody_bytes} all find {@code max_body_bytes}.
 */
public final class NearestName {
  private NearestName() {}

  /**
   * The candidate nearest to {@code wrong}, or null when none is close enough to be a likely typo:
   * within a third of the name's length (at least 1, at most 3) or differing only in case. Ties go
   * to the candidate that sorts first, so the answer does not depend on iteration order.
   */
  public static String of(String wrong, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : new TreeSet<>(candidates)) {
      int distance = candidate.equalsIgnoreCase(wrong) ? 0 : distance(wrong, candidate);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    int allowed = Math.max(1, Math.min(3, wrong.length() / 3));
    return best != null && bestDistance <= allowed && !best.equals(wrong) ? best : null;
  }

  /** "; did you mean x?" for {@code wrong}, or "; known keys: a, b, c" when nothing is close. */
  public static String hint(String wrong, Collection<String> candidates) {
    String nearest = of(wrong, candidates);
    if (nearest != null) {
      return "; did you mean " + nearest + "?";
    }
    return candidates.isEmpty()
        ? ""
        : "; known keys: " + String.join(", ", new TreeSet<>(candidates));
  }

  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}

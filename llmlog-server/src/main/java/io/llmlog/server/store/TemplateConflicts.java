package io.llmlog.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The index templates of other owners that would take llmlog's indices. Composable templates do not
 * merge: a new index gets the one matching template of the highest priority. The engine refuses a
 * second template whose patterns overlap another's at the same priority, but accepts one at a lower
 * or higher priority — so a template of another tool for {@code llm-logs-*} above llmlog's priority
 * would silently give llmlog's new indices its mapping. Start-up ({@link IndexSchema#install})
 * looks for both cases before installing llmlog's templates and refuses with the fix.
 *
 * <p>Patterns are compared as the engine compares them for its same-priority rule (do the two
 * wildcard patterns match a common name?), not against the names llmlog happens to create, so this
 * check and the engine's own refusal never disagree.
 */
final class TemplateConflicts {
  private TemplateConflicts() {}

  /**
   * Another owner's template that overlaps one of llmlog's at llmlog's priority or above.
   *
   * @param name the other template
   * @param priority its priority (0 when it has none)
   * @param ours the first of llmlog's templates it overlaps
   * @param ourPattern that template's pattern
   */
  record Conflict(String name, long priority, String ours, String ourPattern) {}

  /**
   * The conflicts in an answer of {@code GET _index_template}, one per other template, in the
   * engine's order.
   */
  static List<Conflict> find(JsonNode existing, Map<String, ObjectNode> ours, int priority) {
    List<Conflict> conflicts = new ArrayList<>();
    for (JsonNode entry : existing.path("index_templates")) {
      String name = entry.path("name").asText();
      JsonNode template = entry.path("index_template");
      long theirs = template.path("priority").asLong(0);
      if (ours.containsKey(name) || theirs < priority) {
        continue;
      }
      Conflict conflict = overlapping(name, theirs, template.path("index_patterns"), ours);
      if (conflict != null) {
        conflicts.add(conflict);
      }
    }
    return conflicts;
  }

  private static Conflict overlapping(
      String name, long priority, JsonNode patterns, Map<String, ObjectNode> ours) {
    for (Map.Entry<String, ObjectNode> mine : ours.entrySet()) {
      for (JsonNode ourPattern : mine.getValue().path("index_patterns")) {
        for (JsonNode pattern : patterns) {
          if (overlap(pattern.asText(), ourPattern.asText())) {
            return new Conflict(name, priority, mine.getKey(), ourPattern.asText());
          }
        }
      }
    }
    return null;
  }

  /**
   * True when some index name matches both patterns, {@code *} standing for any run of characters
   * (the only wildcard of index patterns).
   */
  static boolean overlap(String a, String b) {
    // common[i][j]: some name matches both a[i..] and b[j..]. Filled from the ends.
    boolean[][] common = new boolean[a.length() + 1][b.length() + 1];
    for (int i = a.length(); i >= 0; i--) {
      for (int j = b.length(); j >= 0; j--) {
        boolean aEnd = i == a.length();
        boolean bEnd = j == b.length();
        boolean aStar = !aEnd && a.charAt(i) == '*';
        boolean bStar = !bEnd && b.charAt(j) == '*';
        if (aEnd && bEnd) {
          common[i][j] = true;
        } else if (aStar || bStar) {
          // A star matches nothing (skip it), or the next character the other pattern needs (or its
          // star's).
          common[i][j] =
              (aStar && common[i + 1][j])
                  || (bStar && common[i][j + 1])
                  || (aStar && !bEnd && common[i][j + 1])
                  || (bStar && !aEnd && common[i + 1][j]);
        } else {
          common[i][j] = !aEnd && !bEnd && a.charAt(i) == b.charAt(j) && common[i + 1][j + 1];
        }
      }
    }
    return common[0][0];
  }
}

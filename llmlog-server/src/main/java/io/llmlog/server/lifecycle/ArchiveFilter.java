package io.llmlog.server.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmlog.server.query.kql.KqlMatcher;
import io.llmlog.server.query.kql.KqlParser;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * KQL evaluated on archived documents, for {@code archive search}: a scan of archive files with no
 * engine involved, using the same in-memory matcher as alert rules and drop filters, so a query
 * means the same in all three. Date fields are refused: the searched days are the time filter.
 */
final class ArchiveFilter {
  private ArchiveFilter() {}

  /**
   * @throws io.llmlog.server.query.kql.KqlSyntaxException when the query is not valid KQL or uses
   *     what cannot be evaluated in memory
   */
  static Predicate<JsonNode> compile(String kql) {
    KqlMatcher matcher = new KqlParser().toMatcher(kql == null ? "" : kql);
    return document -> matcher.matches(path -> value(document, path));
  }

  /** The value at a dotted path as the matcher takes it: text, number, boolean, list, or null. */
  static Object value(JsonNode document, String path) {
    JsonNode node = document;
    int start = 0;
    while (node != null && start <= path.length()) {
      int dot = path.indexOf('.', start);
      String key = dot < 0 ? path.substring(start) : path.substring(start, dot);
      node = node.get(key);
      if (dot < 0) {
        break;
      }
      start = dot + 1;
    }
    return plain(node);
  }

  private static Object plain(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode() || node.isObject()) {
      return null;
    }
    if (node.isArray()) {
      List<Object> items = new ArrayList<>(node.size());
      node.forEach(item -> items.add(plain(item)));
      return items;
    }
    if (node.isNumber()) {
      return node.numberValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    return node.asText();
  }
}

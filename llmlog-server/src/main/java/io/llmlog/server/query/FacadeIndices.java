package io.llmlog.server.query;

import io.llmlog.server.store.EngineResponse;
import io.llmlog.server.store.IndexFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Index expressions as users of the Elasticsearch facade write them ({@code llm-logs-*}, {@code
 * llm-logs-2026.11.28,llm-quality-*}) and as the engine knows them, with the deployment's index
 * prefix in front. Users never see the prefix.
 *
 * <p>Searchable: the call logs, the quality records and the steps of agent runs. Each
 * comma-separated item must start with {@code llm-logs}, {@code llm-quality} or {@code llm-spans}
 * before any wildcard; an item may be an exclusion ({@code -llm-logs-2026.11.28}). {@code *},
 * {@code _all} and no index at all mean calls and quality, which is what "all indices" means on an
 * llmlog. Everything else ({@code .kibana}, {@code other-*}, {@code llm-*}, which would reach the
 * dead letters with their unredacted raw records, remote {@code cluster:index} names, date-math
 * {@code <...>} names) is refused.
 */
final class FacadeIndices {
  static final List<IndexFamily> SEARCHABLE =
      List.of(IndexFamily.LOGS, IndexFamily.QUALITY, IndexFamily.SPANS);

  /**
   * What {@code *}, {@code _all} and no index mean: calls and quality, as before steps existed;
   * steps are named to be searched.
   */
  static final List<IndexFamily> ALL = List.of(IndexFamily.LOGS, IndexFamily.QUALITY);

  /** Characters of index names and wildcards; the rest is refused before the engine sees it. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._*+-]+");

  private static final String FAMILY = "llm-";

  /** Subtrees of hits that are stored data, not engine metadata: never rewritten. */
  private static final Set<String> DOCUMENT_FIELDS = Set.of("_source", "fields", "highlight");

  private final String prefix;

  /** Null without a prefix: then answers pass through as the engine wrote them. */
  private final PrefixStripper stripper;

  FacadeIndices(String prefix) {
    this.prefix = prefix;
    this.stripper = prefix.isEmpty() ? null : new PrefixStripper(prefix, FAMILY, DOCUMENT_FIELDS);
  }

  /**
   * The engine's expression for the user's; null or blank means all searchable indices.
   *
   * @throws ForbiddenIndexException when an item is not one of llmlog's searchable indices
   */
  String toEngine(String expression) {
    if (expression == null || expression.isBlank()) {
      return all();
    }
    List<String> items = new ArrayList<>();
    for (String raw : expression.split(",")) {
      String item = raw.trim();
      if (item.isEmpty()) {
        continue;
      }
      if (item.equals("*") || item.equals("_all")) {
        items.add(all());
        continue;
      }
      boolean exclusion = item.startsWith("-") && items.size() > 0;
      String name = exclusion ? item.substring(1) : item;
      if (!allowed(name)) {
        throw new ForbiddenIndexException(
            "llmlog's Elasticsearch-compatible API searches llmlog's indices only (llm-logs-*, llm-quality-*, "
                + "llm-spans-*, or a day such as llm-logs-2026.11.28); ["
                + item
                + "] is not one of them");
      }
      items.add((exclusion ? "-" : "") + prefix + name);
    }
    return items.isEmpty() ? all() : String.join(",", items);
  }

  private static boolean allowed(String name) {
    if (!NAME.matcher(name).matches()) {
      return false;
    }
    int wildcard = name.indexOf('*');
    String literal = wildcard < 0 ? name : name.substring(0, wildcard);
    for (IndexFamily family : SEARCHABLE) {
      // "llm-logs" and "llm-logs*" name the family too; "llm-l*" could reach other families.
      String stem = family.stem().substring(0, family.stem().length() - 1);
      if (literal.startsWith(stem)) {
        return true;
      }
    }
    return false;
  }

  private String all() {
    return String.join(",", ALL.stream().map(family -> family.pattern(prefix)).toList());
  }

  /**
   * An engine answer with the prefix taken out of index names: in values (hits' {@code _index},
   * error reasons, {@code _index} buckets) and in keys (a mapping's index names); stored documents
   * ({@code _source}, {@code fields}, {@code highlight}) are left alone. Rewritten in one pass over
   * the bytes ({@link PrefixStripper}); without a prefix, the engine's bytes as they are.
   */
  EngineResponse toUser(EngineResponse response) {
    if (stripper == null) {
      return response;
    }
    byte[] body = stripper.strip(response.body());
    return body == response.body() ? response : new EngineResponse(response.status(), body);
  }

  /** Engine text with the prefix taken out of index names, for answers shown to users. */
  String toUser(String text) {
    return stripper == null ? text : stripper.strip(text);
  }

  boolean hasPrefix() {
    return !prefix.isEmpty();
  }
}

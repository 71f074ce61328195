package io.llmlog.server.query;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.core.FieldType;
import io.llmlog.core.LogField;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The order of search hits: {@code sort=latency_ms:desc,timestamp:desc}. Only fields with doc
 * values can be sorted on (dates, keywords, numbers, {@code metadata.<key>}), not prompts or
 * responses. {@code request_id} is always appended as the tie-breaker, so that {@code search_after}
 * pages neither skip nor repeat calls that share a timestamp.
 */
record SortOrder(List<Key> keys) {
  static final SortOrder NEWEST_FIRST = new SortOrder(List.of(new Key("timestamp", true)));
  static final String TIE_BREAKER = LogField.REQUEST_ID.jsonName();

  record Key(String field, boolean descending) {
    @Override
    public String toString() {
      return field + ":" + (descending ? "desc" : "asc");
    }
  }

  SortOrder {
    keys = List.copyOf(keys);
  }

  /**
   * Parses a comma-separated list of {@code field[:asc|desc]}; the direction defaults to {@code
   * desc} (newest, slowest, largest first). Null or blank is {@link #NEWEST_FIRST}.
   */
  static SortOrder parse(String text) {
    if (text == null || text.isBlank()) {
      return NEWEST_FIRST;
    }
    List<Key> keys = new ArrayList<>();
    for (String part : text.split(",")) {
      String item = part.trim();
      if (item.isEmpty()) {
        continue;
      }
      int colon = item.lastIndexOf(':');
      String field = colon < 0 ? item : item.substring(0, colon).trim();
      String direction =
          colon < 0 ? "desc" : item.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
      if (!direction.equals("asc") && !direction.equals("desc")) {
        throw new InvalidParameterException(
            "sort", "direction must be asc or desc, was '" + direction + "' in '" + item + "'");
      }
      if (!sortable(field)) {
        throw new InvalidParameterException(
            "sort",
            "cannot sort on '"
                + field
                + "'; sortable fields are timestamp, the numeric fields "
                + "(latency_ms, ttft_ms, input_tokens, output_tokens, cost_usd, ...), the keyword fields (model, user_id, level, ...) and metadata.<key>");
      }
      keys.add(new Key(field, direction.equals("desc")));
    }
    return keys.isEmpty() ? NEWEST_FIRST : new SortOrder(keys);
  }

  static boolean sortable(String field) {
    if (field.startsWith("metadata.") && field.length() > "metadata.".length()) {
      return true;
    }
    LogField known = LogField.byJsonName(field);
    return known != null && known != LogField.METADATA && known.type() != FieldType.TEXT;
  }

  /** The engine's {@code sort} array, with the tie-breaker. */
  void writeTo(ArrayNode sort) {
    boolean tieBroken = false;
    for (Key key : keys) {
      ObjectNode options = sort.addObject().putObject(key.field());
      options.put("order", key.descending() ? "desc" : "asc");
      // Metadata keys exist only in indices where some call carried them.
      if (key.field().startsWith("metadata.")) {
        options.put("unmapped_type", "keyword");
      }
      tieBroken |= key.field().equals(TIE_BREAKER);
    }
    if (!tieBroken) {
      sort.addObject()
          .putObject(TIE_BREAKER)
          .put("order", keys.get(0).descending() ? "desc" : "asc");
    }
  }

  /** The canonical text, which page tokens carry so that a token is not used with another order. */
  @Override
  public String toString() {
    return String.join(",", keys.stream().map(Key::toString).toList());
  }
}

package io.llmlog.server.query;

import java.util.List;

/**
 * A search as the API receives it, still as typed; {@link Searcher} validates it. Null means the
 * default.
 *
 * @param q KQL; blank finds everything
 * @param from earliest {@code timestamp}: ISO-8601, epoch millis or date math ({@code now-1h})
 * @param to latest {@code timestamp}, inclusive
 * @param sort {@code field:asc|desc,...}; default {@code timestamp:desc}
 * @param size hits per page, 0 to {@value Searcher#MAX_SIZE}; default {@value
 *     Searcher#DEFAULT_SIZE}; 0 answers the total (and the histogram) without hits
 * @param searchAfter the previous page's {@link SearchResult#next()} token
 * @param fields the document fields to return; {@code request_id} and {@code timestamp} always come
 * @param query an Elasticsearch query DSL clause that calls must match as well, as JSON text, or
 *     null; scripts written in it (a {@code script} query) run in the engine's sandbox, stored
 *     scripts are refused
 * @param interval the width of a time histogram of the matching calls ({@code auto}, {@code 5m},
 *     ...), or null for none
 */
public record SearchRequest(
    String q,
    String from,
    String to,
    String sort,
    Integer size,
    String searchAfter,
    List<String> fields,
    String query,
    String interval) {
  public SearchRequest {
    fields = fields == null ? List.of() : List.copyOf(fields);
  }

  /** A search without a query DSL clause and without a histogram. */
  public SearchRequest(
      String q,
      String from,
      String to,
      String sort,
      Integer size,
      String searchAfter,
      List<String> fields) {
    this(q, from, to, sort, size, searchAfter, fields, null, null);
  }

  /** A search for {@code q} with every other parameter at its default. */
  public static SearchRequest of(String q) {
    return new SearchRequest(q, null, null, null, null, null, null);
  }
}

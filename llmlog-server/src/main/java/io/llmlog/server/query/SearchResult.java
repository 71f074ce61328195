package io.llmlog.server.query;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A page of calls.
 *
 * @param total how many calls match, exact up to {@value Searcher#TRACK_TOTAL_HITS}
 * @param totalIsExact false when {@code total} is a lower bound
 * @param hits this page
 * @param next the {@code search_after} token of the next page; null after the last
 * @param tookMillis the engine's time for the search
 * @param histogram the matching calls per time bucket, oldest first, when an interval was asked
 *     for; else null
 */
public record SearchResult(
    long total,
    boolean totalIsExact,
    List<Hit> hits,
    String next,
    long tookMillis,
    List<Bucket> histogram) {
  public SearchResult {
    hits = List.copyOf(hits);
    histogram = histogram == null ? null : List.copyOf(histogram);
  }

  /** One time bucket: its start and how many matching calls it holds. */
  public record Bucket(java.time.Instant start, long calls) {}

  /**
   * One call.
   *
   * @param index its daily index, without the deployment's prefix ({@code llm-logs-2026.11.28})
   * @param requestId its {@code request_id}
   * @param document the stored call, limited to the requested fields
   * @param highlight for each text field that matched, fragments of HTML-escaped text in which only
   *     the {@code <mark>} and {@code </mark>} tags are markup; empty when nothing text matched
   * @param quality the call's quality records, oldest first
   */
  public record Hit(
      String index,
      String requestId,
      ObjectNode document,
      Map<String, List<String>> highlight,
      List<ObjectNode> quality) {
    public Hit {
      highlight = Collections.unmodifiableMap(new LinkedHashMap<>(highlight));
      quality = List.copyOf(quality);
    }
  }
}

package io.llmlog.server.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Walks the calls that match a query in (timestamp, request_id) order, a page at a time, resuming
 * after any call: what a scoring run needs to be continued where it stopped, and what a review
 * queue needs to find its next call.
 */
public final class CallScan {
  private final Searches searches;
  private final ObjectMapper json;

  CallScan(Searches searches, ObjectMapper json) {
    this.searches = searches;
    this.json = json;
  }

  /** Where a walk stands: after the call of this time and id. */
  public record Position(Instant time, String requestId) {}

  /** A page of calls (their documents) and the position after its last one (null when empty). */
  public record Page(List<ObjectNode> calls, Position last) {}

  /**
   * The next page.
   *
   * @param query the query DSL of the calls (with their time window), or null for all
   * @param after resume after this call, or null from the start
   * @param newestFirst walk from the newest call back
   * @param exclude request ids to leave out
   * @throws SearchFailedException or {@link EngineUnavailableException} when the engine cannot
   *     answer
   */
  public Page page(
      ObjectNode query, Position after, int size, boolean newestFirst, Collection<String> exclude) {
    ObjectNode body = json.createObjectNode();
    ObjectNode bool = body.putObject("query").putObject("bool");
    ArrayNode filter = bool.putArray("filter");
    if (query != null) {
      filter.add(query);
    }
    if (!exclude.isEmpty()) {
      ArrayNode ids = bool.putArray("must_not").addObject().putObject("ids").putArray("values");
      exclude.forEach(ids::add);
    }
    String order = newestFirst ? "desc" : "asc";
    ArrayNode sort = body.putArray("sort");
    sort.addObject().put("timestamp", order);
    sort.addObject().put("request_id", order);
    body.put("size", size);
    body.put("track_total_hits", false);
    if (after != null) {
      body.putArray("search_after").add(after.time().toEpochMilli()).add(after.requestId());
    }
    List<ObjectNode> calls = new ArrayList<>();
    Position last = null;
    for (SearchAnswer.Hit hit : searches.search(IndexFamily.LOGS, body).hits()) {
      calls.add(hit.source());
      last =
          new Position(
              Instant.ofEpochMilli(hit.sort().path(0).asLong()), hit.sort().path(1).asText());
    }
    return new Page(calls, last);
  }

  /**
   * The request ids of the calls matching a query, at most {@code limit} ({@code complete} false
   * when there are more).
   */
  public RequestIds requestIds(ObjectNode query, int limit) {
    return searches.requestIds(IndexFamily.LOGS, query, limit);
  }

  /** How many calls match a query, counted exactly up to {@code limit}. */
  public long count(ObjectNode query, int limit) {
    ObjectNode body = json.createObjectNode();
    body.set("query", query);
    body.put("size", 0);
    body.put("track_total_hits", limit);
    return searches.search(IndexFamily.LOGS, body).total();
  }
}

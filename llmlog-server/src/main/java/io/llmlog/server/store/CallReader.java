package io.llmlog.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** Looks calls up by request id and lists recent ones, each with its quality records. */
public final class CallReader {
  private final LogStore store;
  private final ObjectMapper json;

  CallReader(LogStore store, ObjectMapper json) {
    this.store = store;
    this.json = json;
  }

  /** One stored call with the quality records given for it. */
  public record Call(String index, ObjectNode document, List<ObjectNode> quality) {}

  /** A page of calls, newest first, and the token that fetches the next page (null at the end). */
  public record Page(long total, boolean totalIsExact, List<ObjectNode> calls, String next) {}

  /**
   * The filters of a listing; null means "any".
   *
   * @param from the earliest timestamp: ISO-8601 or date math such as {@code now-1h}
   * @param to the latest timestamp
   * @param searchAfter the {@link Page#next()} token of the previous page
   */
  public record Query(
      String from,
      String to,
      String model,
      String level,
      String userId,
      int size,
      String searchAfter) {}

  /** The call with this request id, newest if it was sent on several days. */
  public Optional<Call> find(String requestId) {
    ObjectNode query = json.createObjectNode();
    query.putObject("query").putObject("ids").putArray("values").add(requestId);
    query.putArray("sort").addObject().put("timestamp", "desc");
    query.put("size", 1);
    JsonNode hits = search(IndexFamily.LOGS, query).path("hits").path("hits");
    if (hits.isEmpty()) {
      return Optional.empty();
    }
    JsonNode hit = hits.get(0);
    return Optional.of(
        new Call(
            hit.path("_index").asText(), (ObjectNode) hit.path("_source"), quality(requestId)));
  }

  /**
   * True when a call with this request id is stored and not waiting for sampling to decide on it
   * (searchable: the engine refreshes every few seconds).
   */
  public boolean exists(String requestId) {
    ObjectNode query = json.createObjectNode();
    ObjectNode bool = query.putObject("query").putObject("bool");
    bool.putArray("filter").addObject().putObject("ids").putArray("values").add(requestId);
    bool.putArray("must_not").addObject().putObject("term").put("sample_pending", true);
    query.put("size", 0);
    query.put("track_total_hits", 1);
    return search(IndexFamily.LOGS, query).path("hits").path("total").path("value").asLong() > 0;
  }

  /** The quality records of a call, oldest first. */
  public List<ObjectNode> quality(String requestId) {
    ObjectNode query = json.createObjectNode();
    query.putObject("query").putObject("term").put("request_id", requestId);
    query.putArray("sort").addObject().put("timestamp", "asc");
    query.put("size", 100);
    List<ObjectNode> records = new ArrayList<>();
    for (JsonNode hit : search(IndexFamily.QUALITY, query).path("hits").path("hits")) {
      records.add((ObjectNode) hit.path("_source"));
    }
    return records;
  }

  /** Recent calls matching the filters, newest first. */
  public Page list(Query filters) {
    ObjectNode query = json.createObjectNode();
    ArrayNode filter = query.putObject("query").putObject("bool").putArray("filter");
    if (filters.from() != null || filters.to() != null) {
      ObjectNode range = filter.addObject().putObject("range").putObject("timestamp");
      if (filters.from() != null) {
        range.put("gte", filters.from());
      }
      if (filters.to() != null) {
        range.put("lte", filters.to());
      }
    }
    term(filter, "model", filters.model());
    term(filter, "level", filters.level());
    term(filter, "user_id", filters.userId());
    ArrayNode sort = query.putArray("sort");
    sort.addObject().put("timestamp", "desc");
    sort.addObject().put("request_id", "desc");
    query.put("size", filters.size());
    query.put("track_total_hits", 10_000);
    if (filters.searchAfter() != null) {
      query.set("search_after", decodeToken(filters.searchAfter()));
    }
    JsonNode result = search(IndexFamily.LOGS, query);
    List<ObjectNode> calls = new ArrayList<>();
    JsonNode last = null;
    for (JsonNode hit : result.path("hits").path("hits")) {
      calls.add((ObjectNode) hit.path("_source"));
      last = hit.path("sort");
    }
    JsonNode total = result.path("hits").path("total");
    String next = calls.size() == filters.size() && last != null ? encodeToken(last) : null;
    return new Page(
        total.path("value").asLong(),
        "eq".equals(total.path("relation").asText("eq")),
        calls,
        next);
  }

  private JsonNode search(IndexFamily family, ObjectNode query) {
    return store.searches().search(family, query).root();
  }

  private static void term(ArrayNode filter, String field, String value) {
    if (value != null && !value.isEmpty()) {
      filter.addObject().putObject("term").put(field, value);
    }
  }

  /** Page tokens are the engine's sort values, opaque to clients. */
  private static String encodeToken(JsonNode sortValues) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(sortValues.toString().getBytes(StandardCharsets.UTF_8));
  }

  private JsonNode decodeToken(String token) {
    try {
      JsonNode values = json.readTree(Base64.getUrlDecoder().decode(token));
      if (!values.isArray()) {
        throw new IllegalArgumentException();
      }
      return values;
    } catch (IllegalArgumentException | java.io.IOException e) {
      throw new IllegalArgumentException("search_after: not a token from a previous page");
    }
  }
}

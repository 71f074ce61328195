package io.llmlog.server.trace;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.server.query.InvalidParameterException;
import io.llmlog.server.query.PageToken;
import io.llmlog.server.query.TimeRange;
import io.llmlog.server.query.kql.FieldResolver;
import io.llmlog.server.query.kql.KqlParser;
import io.llmlog.server.store.GroupSearches.Position;
import io.llmlog.server.store.IndexFamily;
import io.llmlog.server.store.Scope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * What a listing reads, resolved from its request: the families and days, and the filter — the KQL
 * and the time window, both as filters (never scored).
 *
 * @param filter the documents that put a group on the list: the KQL and the window
 * @param window the time window alone, over which a listed group's numbers are summed; null when
 *     open
 * @param near the filter narrowed to the slice of the window next to where the page starts, which
 *     the page reads first; null when the window has no end on that side
 * @param cursor where the page starts, from the request's {@code search_after}; null for the first
 */
record Listing(
    Scope scope,
    ObjectNode filter,
    ObjectNode window,
    ObjectNode near,
    GroupPager.Order order,
    Position cursor,
    int size) {
  /** A page reads the {@code 1/NEAR_SLICES} of the window next to its start first. */
  static final int NEAR_SLICES = 96;

  private static final KqlParser CALLS = new KqlParser();
  private static final KqlParser STEPS = new KqlParser(FieldResolver.stepFields(), false);
  private static final KqlParser CALLS_AND_STEPS =
      new KqlParser(FieldResolver.callsAndSteps(), false);

  /**
   * @param stepsToo whether {@code over} may choose steps: for traces; sessions and users are
   *     listed from their calls
   * @throws InvalidParameterException naming the parameter that cannot be used
   * @throws io.llmlog.server.query.kql.KqlSyntaxException when {@code q} is not valid KQL
   */
  static Listing of(
      ObjectMapper json,
      Clock clock,
      ListRequest request,
      boolean stepsToo,
      GroupPager.Order order) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    TimeRange range = TimeRange.parse(request.from(), request.to(), now);
    String over =
        request.over() == null || request.over().isBlank()
            ? "any"
            : request.over().trim().toLowerCase(Locale.ROOT);
    if (!stepsToo && !over.equals("any") && !over.equals("calls")) {
      throw new InvalidParameterException(
          "over", "sessions and users are listed from their calls; leave it out or use calls");
    }
    KqlParser kql;
    IndexFamily[] families;
    switch (over) {
      case "any" -> {
        kql = stepsToo ? CALLS_AND_STEPS : CALLS;
        families =
            stepsToo
                ? new IndexFamily[] {IndexFamily.LOGS, IndexFamily.SPANS}
                : new IndexFamily[] {IndexFamily.LOGS};
      }
      case "calls" -> {
        kql = CALLS;
        families = new IndexFamily[] {IndexFamily.LOGS};
      }
      case "steps" -> {
        kql = STEPS;
        families = new IndexFamily[] {IndexFamily.SPANS};
      }
      default ->
          throw new InvalidParameterException(
              "over", "must be any, calls or steps, was '" + request.over() + "'");
    }
    ObjectNode filter = json.createObjectNode();
    ArrayNode clauses = filter.putObject("bool").putArray("filter");
    if (request.q() != null && !request.q().isBlank()) {
      ObjectNode parsed = kql.toQuery(request.q());
      if (!parsed.has("match_all")) {
        clauses.add(parsed);
      }
    }
    range.addTo(clauses);
    ObjectNode window = null;
    if (!range.isOpen()) {
      window = json.createObjectNode();
      range.addTo(window.putObject("bool").putArray("filter"));
    }
    int size = size(request.size());
    Position cursor = null;
    if (request.searchAfter() != null && !request.searchAfter().isBlank()) {
      ArrayNode after = PageToken.decode(json, order.text, request.searchAfter());
      if (after.size() != 2 || !after.get(0).canConvertToLong() || !after.get(1).isTextual()) {
        throw new InvalidParameterException(
            "search_after", "not a token from a previous page's 'next'");
      }
      cursor = new Position(after.get(0).asLong(), after.get(1).asText());
    }
    return new Listing(
        Scope.window(range.from(), range.to(), families),
        filter,
        window,
        near(json, range, now, filter, order, cursor),
        order,
        cursor,
        size);
  }

  /**
   * The filter narrowed to the {@code 1/}{@value #NEAR_SLICES} of the window next to where the page
   * starts: the cursor, or the window's end (now when open) for the newest first, its start for the
   * oldest first. The engine sorts only the documents of that slice, so the first page of the last
   * 24 hours at a million calls sorts thousands of positions, not millions; when the slice holds
   * too few, the page reads on into the rest of the window.
   */
  private static ObjectNode near(
      ObjectMapper json,
      TimeRange range,
      Instant now,
      ObjectNode filter,
      GroupPager.Order order,
      Position cursor) {
    Instant to = range.to() != null ? range.to() : now;
    if (range.from() == null || !to.isAfter(range.from())) {
      return null;
    }
    long slice = Math.max(1, Duration.between(range.from(), to).toMillis() / NEAR_SLICES);
    long edge =
        cursor != null ? cursor.millis() : (order.descending ? to : range.from()).toEpochMilli();
    ObjectNode near = json.createObjectNode();
    ArrayNode clauses = near.putObject("bool").putArray("filter");
    clauses.add(filter);
    clauses
        .addObject()
        .putObject("range")
        .putObject("timestamp")
        .put(order.descending ? "gte" : "lte", order.descending ? edge - slice : edge + slice)
        .put("format", "epoch_millis");
    return near;
  }

  /** The {@code next} token of a page. */
  static String token(ObjectMapper json, GroupPager.Order order, Position next) {
    if (next == null) {
      return null;
    }
    ArrayNode values = json.createArrayNode().add(next.millis()).add(next.key());
    return PageToken.encode(json, order.text, values);
  }

  private static int size(Integer size) {
    if (size == null) {
      return ListRequest.DEFAULT_SIZE;
    }
    if (size < 1 || size > ListRequest.MAX_SIZE) {
      throw new InvalidParameterException(
          "size", "must be between 1 and " + ListRequest.MAX_SIZE + ", was " + size);
    }
    return size;
  }
}

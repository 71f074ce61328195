package io.llmlog.server.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.core.LogField;
import io.llmlog.server.query.kql.FieldResolver;
import io.llmlog.server.store.IndexFamily;
import io.llmlog.server.store.LogStore;
import io.llmlog.server.store.SearchAnswer;
import io.llmlog.server.store.SearchFailedException;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Searches calls: KQL and a time window, sorted, paged with {@code search_after}, highlighted, each
 * hit with its quality records. Two engine requests per page whatever its size: the search, and one
 * {@code terms} lookup of the page's request ids in the quality indices.
 *
 * <p>Thread-safe; one instance serves every request.
 */
public final class Searcher {
  public static final int DEFAULT_SIZE = 50;
  public static final int MAX_SIZE = 1000;

  /**
   * Counting every match of a broad query costs; beyond this the total is reported as "at least".
   */
  static final int TRACK_TOTAL_HITS = 10_000;

  /** The text fields that get highlighted: what the free-text part of a KQL query searches. */
  static final List<String> HIGHLIGHTED =
      List.of(
          LogField.PROMPT.jsonName(),
          LogField.SYSTEM_PROMPT.jsonName(),
          LogField.RESPONSE.jsonName());

  static final String MARK = "<mark>";
  static final String END_MARK = "</mark>";

  /**
   * Prompts can be megabytes; the highlighter analyses the first this many characters of a field.
   * Without it, a field over the engine's limit (1,000,000 characters) fails its shard, and the
   * search would lose that shard's hits.
   */
  static final int HIGHLIGHT_MAX_OFFSET = 200_000;

  /** Calls rarely have more than a few quality records; this bounds the join for a full page. */
  static final int MAX_QUALITY_RECORDS = 10_000;

  private final LogStore store;
  private final ObjectMapper json;
  private final CallQuery calls;
  private final Clock clock;

  public Searcher(LogStore store, ObjectMapper json, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.json = Objects.requireNonNull(json, "json");
    this.calls = new CallQuery(store, json);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * One page of calls.
   *
   * @throws InvalidParameterException when a parameter cannot be used, naming it
   * @throws io.llmlog.server.query.kql.KqlSyntaxException when {@code q} is not valid KQL
   * @throws SearchFailedException when the engine refuses the search
   */
  public SearchResult search(SearchRequest request) {
    int size = size(request.size());
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    TimeRange range = TimeRange.parse(request.from(), request.to(), now);
    Interval interval = null;
    if (request.interval() != null && !request.interval().isBlank()) {
      // A histogram needs both ends: the window of the stats API, the last day unless told
      // otherwise.
      range = range.bounded(now, StatsService.DEFAULT_WINDOW);
      interval = Interval.parse(request.interval(), range);
    }
    SortOrder order = SortOrder.parse(request.sort());
    ObjectNode body = json.createObjectNode();
    ObjectNode query = calls.build(request.q(), range);
    if (request.query() != null) {
      ((ArrayNode) query.path("bool").path("filter")).add(dslClause(request.query()));
    }
    body.set("query", query);
    body.put("size", size);
    body.put("track_total_hits", TRACK_TOTAL_HITS);
    if (size > 0) {
      order.writeTo(body.putArray("sort"));
      if (request.searchAfter() != null && !request.searchAfter().isBlank()) {
        body.set("search_after", PageToken.decode(json, order, request.searchAfter()));
      }
      if (!request.fields().isEmpty()) {
        body.putObject("_source").set("includes", includes(request.fields()));
      }
      body.set("highlight", highlight());
    }
    if (interval != null) {
      interval.writeHistogram(body.putObject("aggs").putObject("time"), range);
    }

    SearchAnswer result = store.searches().search(IndexFamily.LOGS, body);
    List<SearchAnswer.Hit> hits = result.hits();
    Map<String, List<ObjectNode>> quality = quality(hits);
    List<SearchResult.Hit> page = new ArrayList<>(hits.size());
    for (SearchAnswer.Hit hit : hits) {
      String requestId = requestId(hit);
      page.add(
          new SearchResult.Hit(
              unprefixed(hit.index()),
              requestId,
              hit.source(),
              highlights(hit.highlight()),
              quality.getOrDefault(requestId, List.of())));
    }
    String next =
        size > 0 && hits.size() == size
            ? PageToken.encode(json, order, hits.get(hits.size() - 1).sort())
            : null;
    return new SearchResult(
        result.total(),
        result.totalExact(),
        page,
        next,
        result.tookMillis(),
        interval == null ? null : histogram(result.aggregations().path("time")));
  }

  /** The {@code query} parameter: one query DSL clause, with scripts written inline only. */
  private JsonNode dslClause(String text) {
    JsonNode clause;
    try {
      clause = json.readTree(text);
    } catch (IOException e) {
      throw new InvalidParameterException(
          "query", "must be JSON, such as {\"term\": {\"level\": \"error\"}}");
    }
    if (clause == null || !clause.isObject() || clause.size() != 1) {
      throw new InvalidParameterException(
          "query",
          "must be one Elasticsearch query DSL clause as a JSON object, such as "
              + "{\"script\": {\"script\": \"doc['latency_ms'].value > 2 * doc['ttft_ms'].value\"}}");
    }
    StoredScripts.refuse(clause, "query");
    return clause;
  }

  private static List<SearchResult.Bucket> histogram(JsonNode time) {
    List<SearchResult.Bucket> buckets = new ArrayList<>();
    for (JsonNode bucket : time.path("buckets")) {
      buckets.add(
          new SearchResult.Bucket(
              Instant.ofEpochMilli(bucket.path("key").asLong()),
              bucket.path("doc_count").asLong()));
    }
    return buckets;
  }

  private static int size(Integer size) {
    if (size == null) {
      return DEFAULT_SIZE;
    }
    if (size < 0 || size > MAX_SIZE) {
      throw new InvalidParameterException(
          "size", "must be between 0 (the total only) and " + MAX_SIZE + ", was " + size);
    }
    return size;
  }

  private ArrayNode includes(List<String> fields) {
    Set<String> names =
        new LinkedHashSet<>(List.of(LogField.REQUEST_ID.jsonName(), LogField.TIMESTAMP.jsonName()));
    for (String field : fields) {
      String name = field.trim();
      if (name.isEmpty()) {
        continue;
      }
      boolean objectField = name.equals(LogField.METADATA.jsonName()) || name.equals("error");
      if (!objectField && FieldResolver.logFields().typeOf(name) == null) {
        throw new InvalidParameterException(
            "fields",
            "unknown field '"
                + name
                + "'; use the names of the call schema "
                + "(model, prompt, latency_ms, error.type, metadata.<key>, ...)");
      }
      names.add(name);
    }
    ArrayNode includes = json.createArrayNode();
    names.forEach(includes::add);
    return includes;
  }

  /**
   * The unified highlighter with the HTML encoder: the engine escapes the text ({@code <} becomes
   * {@code &lt;}) and only then inserts the tags, so the dashboard can insert fragments as HTML and
   * a prompt containing {@code <script>} stays text.
   */
  private ObjectNode highlight() {
    ObjectNode highlight = json.createObjectNode();
    highlight.put("encoder", "html");
    highlight.putArray("pre_tags").add(MARK);
    highlight.putArray("post_tags").add(END_MARK);
    highlight.put("fragment_size", 160);
    highlight.put("number_of_fragments", 3);
    // The same option is spelled differently by OpenSearch and Elasticsearch.
    highlight.put(
        store.openSearch() ? "max_analyzer_offset" : "max_analyzed_offset", HIGHLIGHT_MAX_OFFSET);
    ObjectNode fields = highlight.putObject("fields");
    HIGHLIGHTED.forEach(fields::putObject);
    return highlight;
  }

  /**
   * Chinese and Japanese text is indexed one character per token, so 退款 comes back as {@code
   * <mark>退</mark><mark>款</mark>}; adjacent marks are joined. Text cannot contain a literal {@code
   * </mark><mark>}: the encoder has escaped its angle brackets.
   */
  private static Map<String, List<String>> highlights(JsonNode highlight) {
    Map<String, List<String>> fields = new LinkedHashMap<>();
    for (String field : HIGHLIGHTED) {
      JsonNode fragments = highlight.path(field);
      if (fragments.isArray() && !fragments.isEmpty()) {
        List<String> joined = new ArrayList<>();
        fragments.forEach(f -> joined.add(f.asText().replace(END_MARK + MARK, "")));
        fields.put(field, joined);
      }
    }
    return fields;
  }

  /** The quality records of a page's calls, by request id, in one request. */
  private Map<String, List<ObjectNode>> quality(List<SearchAnswer.Hit> hits) {
    if (hits.isEmpty()) {
      return Map.of();
    }
    ObjectNode body = json.createObjectNode();
    ArrayNode ids =
        body.putObject("query").putObject("terms").putArray(LogField.REQUEST_ID.jsonName());
    new LinkedHashSet<>(hits.stream().map(Searcher::requestId).toList()).forEach(ids::add);
    body.putArray("sort").addObject().put("timestamp", "asc");
    body.put("size", MAX_QUALITY_RECORDS);
    Map<String, List<ObjectNode>> byCall = new LinkedHashMap<>();
    for (SearchAnswer.Hit hit : store.searches().search(IndexFamily.QUALITY, body).hits()) {
      ObjectNode record = hit.source();
      byCall
          .computeIfAbsent(
              record.path(LogField.REQUEST_ID.jsonName()).asText(), id -> new ArrayList<>())
          .add(record);
    }
    return byCall;
  }

  private static String requestId(SearchAnswer.Hit hit) {
    JsonNode id = hit.source().path(LogField.REQUEST_ID.jsonName());
    return id.isTextual() ? id.asText() : hit.id();
  }

  private String unprefixed(String index) {
    String prefix = store.indexPrefix();
    return !prefix.isEmpty() && index.startsWith(prefix) ? index.substring(prefix.length()) : index;
  }
}

package io.llmlog.server.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.server.query.kql.FieldResolver;
import io.llmlog.server.query.kql.KqlParser;
import io.llmlog.server.store.CallScan;
import io.llmlog.server.store.LogStore;
import io.llmlog.server.store.QualityRecords;
import io.llmlog.server.store.RequestIds;
import java.time.Instant;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * The engine query for "these calls": the KQL and the time window, both as filters. A KQL clause on
 * a field of the quality records ({@code scores.relevance < 0.5}, {@code rating <= 0}) becomes the
 * calls that have a matching record: one lookup in the quality indices per such clause, of at most
 * {@value #MAX_JOINED} calls, and an error beyond that rather than a silently partial answer.
 *
 * <p>The searches of this package build the query and add to it; other capabilities (scoring runs,
 * review queues) {@link #select} calls and walk or count them here, never holding the query
 * themselves. Thread-safe.
 */
public final class CallQuery {
  /** Calls one quality clause may stand for; the engine's own limit on a terms query is 65,536. */
  public static final int MAX_JOINED = 10_000;

  private final ObjectMapper json;
  private final KqlParser kql;
  private final QualityRecords quality;
  private final CallScan scan;

  /** Call queries with quality clauses joined through the store. */
  public CallQuery(LogStore store, ObjectMapper json) {
    this.json = Objects.requireNonNull(json, "json");
    this.kql = new KqlParser(FieldResolver.callsWithQuality(), false);
    this.quality = store.qualityRecords();
    this.scan = store.callScan();
  }

  /**
   * The calls of a KQL query in a window, resolved once: its quality clauses are joined now, so
   * that walking it page by page reads the same calls whatever is scored meanwhile.
   */
  public static final class Selection {
    private final ObjectNode query;

    private Selection(ObjectNode query) {
      this.query = query;
    }
  }

  /**
   * Selects the calls of {@code q} between {@code from} and {@code to} (either may be null).
   *
   * @throws io.llmlog.server.query.kql.KqlSyntaxException when {@code q} is not valid KQL
   * @throws InvalidParameterException when a quality clause matches too many calls
   */
  public Selection select(String q, Instant from, Instant to) {
    return new Selection(build(q, new TimeRange(from, to)));
  }

  /** The next page of a selection in (timestamp, request_id) order; see {@link CallScan#page}. */
  public CallScan.Page page(
      Selection calls,
      CallScan.Position after,
      int size,
      boolean newestFirst,
      Collection<String> exclude) {
    return scan.page(calls.query, after, size, newestFirst, exclude);
  }

  /** How many calls a selection holds, counted exactly up to {@code limit}. */
  public long count(Selection calls, int limit) {
    return scan.count(calls.query, limit);
  }

  /** The request ids of a selection, at most {@code limit}. */
  RequestIds requestIds(Selection calls, int limit) {
    return scan.requestIds(calls.query, limit);
  }

  /**
   * {@code bool.filter [kql, range]}; filter context because results are sorted or aggregated,
   * never ranked, and filters are cached by the engine.
   *
   * @throws io.llmlog.server.query.kql.KqlSyntaxException when {@code q} is not valid KQL
   * @throws InvalidParameterException when a quality clause matches too many calls
   */
  ObjectNode build(String q, TimeRange range) {
    ObjectNode query = json.createObjectNode();
    ArrayNode filter = query.putObject("bool").putArray("filter");
    if (q != null && !q.isBlank()) {
      ObjectNode parsed = kql.toQuery(q);
      if (!parsed.has("match_all")) {
        filter.add(join(parsed, range.from()));
      }
    }
    range.addTo(filter);
    return query;
  }

  /**
   * Replaces each marked quality clause with the calls it stands for. Quality records are made at
   * or after their call, so only those since the window's start are looked at.
   */
  private ObjectNode join(ObjectNode node, Instant since) {
    JsonNode wrapped = node.get(KqlParser.QUALITY_JOIN);
    if (wrapped instanceof ObjectNode clause && node.size() == 1) {
      RequestIds matches = quality.requestIds(clause, since, MAX_JOINED);
      if (!matches.complete()) {
        throw new InvalidParameterException(
            "q",
            "a clause on a quality field matches the quality records of more than "
                + MAX_JOINED
                + " calls; narrow the time range or the clause");
      }
      ObjectNode terms = json.createObjectNode();
      ArrayNode ids = terms.putObject("terms").putArray("request_id");
      matches.ids().forEach(ids::add);
      return terms;
    }
    for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (field.getValue() instanceof ObjectNode child) {
        field.setValue(join(child, since));
      } else if (field.getValue() instanceof ArrayNode array) {
        for (int i = 0; i < array.size(); i++) {
          if (array.get(i) instanceof ObjectNode child) {
            array.set(i, join(child, since));
          }
        }
      }
    }
    return node;
  }
}

package io.llmlog.server.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.server.query.kql.FieldResolver;
import io.llmlog.server.query.kql.KqlParser;
import io.llmlog.server.store.LogStore;
import io.llmlog.server.store.QualityRecords;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;

/**
 * The engine query for "these calls": the KQL and the time window, both as filters. A KQL clause
 * on a field of the quality records ({@code scores.relevance < 0.5}, {@code rating <= 0}) becomes
 * the calls that have a matching record: one lookup in the quality indices per such clause, of at
 * most {@value #MAX_JOINED} calls, and an error beyond that rather than a silently partial answer.
 * Thread-safe.
 */
public final class CallQuery {
  /** Calls one quality clause may stand for; the engine's own limit on a terms query is 65,536. */
  public static final int MAX_JOINED = 10_000;

  private final ObjectMapper json;
  private final KqlParser kql;
  private final QualityRecords quality;

  /** Call queries with quality clauses joined through the store. */
  public CallQuery(LogStore store, ObjectMapper json) {
    this(json, new KqlParser(FieldResolver.callsWithQuality(), false), store == null ? null : new QualityRecords(store, json));
  }

  CallQuery(ObjectMapper json, KqlParser kql, QualityRecords quality) {
    this.json = json;
    this.kql = kql;
    this.quality = quality;
  }

  /**
   * {@code bool.filter [kql, range]}; filter context because results are sorted or aggregated,
   * never ranked, and filters are cached by the engine.
   *
   * @throws io.llmlog.server.query.kql.KqlSyntaxException when {@code q} is not valid KQL
   * @throws InvalidParameterException when a quality clause matches too many calls
   */
  public ObjectNode build(String q, TimeRange range) {
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

  /** {@link #build} for a window given as instants. */
  public ObjectNode build(String q, Instant from, Instant to) {
    return build(q, new TimeRange(from, to));
  }

  /**
   * Replaces each marked quality clause with the calls it stands for. Quality records are made at
   * or after their call, so only those since the window's start are looked at.
   */
  private ObjectNode join(ObjectNode node, Instant since) {
    JsonNode wrapped = node.get(KqlParser.QUALITY_JOIN);
    if (wrapped instanceof ObjectNode clause && node.size() == 1) {
      if (quality == null) {
        throw new InvalidParameterException("q", "fields of quality records cannot be searched here");
      }
      QualityRecords.Matches matches = quality.requestIds(clause, since, MAX_JOINED);
      if (!matches.complete()) {
        throw new InvalidParameterException("q", "a clause on a quality field matches the quality records of more than " + MAX_JOINED
            + " calls; narrow the time range or the clause");
      }
      ObjectNode terms = json.createObjectNode();
      ArrayNode ids = terms.putObject("terms").putArray("request_id");
      matches.requestIds().forEach(ids::add);
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

package io.llmlog.server.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.server.query.kql.FieldResolver;
import io.llmlog.server.query.kql.KqlParser;
import io.llmlog.server.store.LogStore;
import io.llmlog.server.store.QualityRecords;
import io.llmlog.server.store.RequestIds;
import io.llmlog.server.store.ScoreAggregations;
import java.util.List;
import java.util.Objects;

/**
 * The quality side of {@code /api/v1/stats}: for the same window, groups and time buckets as the
 * call statistics, each score's count, mean, median, p90 and extremes, and how much of the rated
 * feedback is negative. Records count where they are filed: an evaluator's or reviewer's under the
 * call's time, a user's rating at the time it was given. With a query, the records are those of the
 * calls it selects (up to {@value #MAX_CALLS}; beyond, those of every call in the window, and the
 * answer says so).
 */
public final class QualityStats {
  static final int MAX_CALLS = 10_000;
  static final double[] PERCENTS = {50, 90};

  private final ScoreAggregations aggregations;
  private final QualityRecords records;
  private final CallQuery calls;
  private final KqlParser qualityKql = new KqlParser(QUALITY_FIELDS, false);
  private final ObjectMapper json;

  /** Quality records' own fields, for the negative-feedback query. */
  private static final FieldResolver QUALITY_FIELDS =
      field -> FieldResolver.callsWithQuality().typeOf(field);

  public QualityStats(LogStore store, ObjectMapper json) {
    this.aggregations = store.scoreAggregations();
    this.records = store.qualityRecords();
    this.calls = new CallQuery(store, json);
    this.json = Objects.requireNonNull(json, "json");
  }

  /**
   * The answer: the aggregation, which scores it covers, and a note when the query could not narrow
   * it.
   */
  public record Result(List<String> scores, ScoreAggregations.Result aggregation, String note) {}

  /**
   * Quality statistics matching a computed {@link Stats}.
   *
   * @param scores score names, or {@code *} for every score stored
   * @param negativeFeedback KQL over quality records marking negative feedback
   * @throws InvalidParameterException for a bad {@code scores} or negative-feedback query
   */
  public Result stats(String q, Stats calls, List<String> scores, String negativeFeedback) {
    List<String> names =
        scores.size() == 1 && scores.get(0).equals("*") ? records.scoreNames() : scores;
    for (String name : names) {
      if (!name.matches("[A-Za-z0-9_-]{1,64}")) {
        throw new InvalidParameterException(
            "scores", "'" + name + "' is not a score name (letters, digits, '_' and '-')");
      }
    }
    ObjectNode filter = null;
    String note = null;
    if (q != null && !q.isBlank()) {
      RequestIds ids =
          this.calls.requestIds(this.calls.select(q, calls.from(), calls.to()), MAX_CALLS);
      if (ids.complete()) {
        filter = json.createObjectNode();
        ArrayNode terms = filter.putObject("terms").putArray("request_id");
        ids.ids().forEach(terms::add);
      } else {
        note =
            "the query selects more than "
                + MAX_CALLS
                + " calls; the quality figures are those of every call in the window";
      }
    }
    ObjectNode negative;
    try {
      negative = qualityKql.toQuery(negativeFeedback);
    } catch (RuntimeException e) {
      throw new InvalidParameterException("quality.negative_feedback", e.getMessage());
    }
    List<String> keys = calls.groups().stream().map(Stats.Group::key).toList();
    ScoreAggregations.Request request =
        new ScoreAggregations.Request(
            filter,
            calls.from(),
            calls.to(),
            List.of(calls.by()),
            keys,
            Math.max(1, keys.size()),
            calls.interval(),
            names,
            PERCENTS,
            negative);
    return new Result(names, aggregations.aggregate(request), note);
  }
}

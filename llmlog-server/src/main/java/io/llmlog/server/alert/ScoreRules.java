package io.llmlog.server.alert;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.core.FieldType;
import io.llmlog.core.QualityField;
import io.llmlog.server.live.Aggregate;
import io.llmlog.server.live.LiveAggregates.SeriesAggregate;
import io.llmlog.server.query.kql.FieldResolver;
import io.llmlog.server.query.kql.KqlParser;
import io.llmlog.server.store.ScoreAggregations;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Rules over scores, such as {@code avg(scores.relevance) < 0.7}: their condition reads the quality
 * records of the window (filed under their calls' time) instead of the live call aggregates.
 *
 * <p>Why the engine and not an in-memory accumulator like the call rules: scores arrive late and
 * out of order (a judge answers minutes after the call, a scoring run fills in last week), and
 * there are few of them next to calls. The engine has every server's records, in the minute of
 * their call, whatever arrived when and wherever it was ingested; one aggregation per score rule
 * per evaluation over a window of quality records is cheap; and the evaluation stays on the one
 * server that holds the alert lease, so several servers agree without publishing anything. {@code
 * count(all)} of a score rule counts the records carrying one of its scores, which is what {@code
 * min_count} compares with.
 */
final class ScoreRules {
  static final String PREFIX = QualityField.SCORES.jsonName() + ".";

  /** Groups per score rule and evaluation at most. */
  static final int MAX_GROUPS = 100;

  private static final KqlParser QUALITY_KQL =
      new KqlParser(
          field ->
              FieldResolver.callsWithQuality().joined(field)
                      || QualityField.CALL_CONTEXT.stream()
                          .anyMatch(q -> q.jsonName().equals(field))
                  ? FieldResolver.callsWithQuality().typeOf(field)
                  : null,
          false);

  private ScoreRules() {}

  /** True when the condition reads scores. */
  static boolean isScoreRule(Condition condition) {
    return !fields(condition).isEmpty();
  }

  /** The {@code scores.<name>} fields a condition reads. */
  static Set<String> fields(Condition condition) {
    Set<String> fields = new TreeSet<>();
    walk(condition.left(), fields, null, new ArrayList<>());
    walk(condition.right(), fields, null, new ArrayList<>());
    return fields;
  }

  /** Why a score rule cannot be evaluated as written, or null. */
  static String problem(Condition condition, String filter, List<String> groupBy) {
    List<String> other = new ArrayList<>();
    walk(condition.left(), new TreeSet<>(), null, other);
    walk(condition.right(), new TreeSet<>(), null, other);
    if (!other.isEmpty()) {
      return "a condition on scores reads the quality records, so it cannot also use "
          + String.join(", ", other)
          + " (count(all) counts the scored records)";
    }
    for (String field : groupBy) {
      QualityField known = QualityField.byJsonName(field);
      if (known == null || known.type() != FieldType.KEYWORD || known == QualityField.REQUEST_ID) {
        return "group_by of a rule on scores takes a keyword of the quality records (model, provider, service, environment, user_id, "
            + "evaluator, label, queue, reviewer_id), not '"
            + field
            + "'";
      }
    }
    if (filter != null) {
      try {
        QUALITY_KQL.toMatcher(filter);
      } catch (RuntimeException e) {
        return "the filter of a rule on scores applies to the quality records (model, service, evaluator, label, ...): "
            + e.getMessage();
      }
    }
    return null;
  }

  /** Collects score fields, percentiles wanted, and what a score rule must not use. */
  private static void walk(
      Condition.Expr expr, Set<String> scores, Set<Double> percents, List<String> other) {
    switch (expr) {
      case Condition.Number n -> {}
      case Condition.Count count -> {
        if (count.filter() != null || count.errors()) {
          other.add(count.errors() ? "count(errors)" : "count(" + count.filter() + ")");
        }
      }
      case Condition.FieldFunction function -> add(function.field(), scores, other);
      case Condition.Percentile percentile -> {
        add(percentile.field(), scores, other);
        if (percents != null) {
          percents.add(percentile.percentile());
        }
      }
      case Condition.Negate negate -> walk(negate.operand(), scores, percents, other);
      case Condition.Binary binary -> {
        walk(binary.left(), scores, percents, other);
        walk(binary.right(), scores, percents, other);
      }
    }
  }

  private static void add(String field, Set<String> scores, List<String> other) {
    if (field.startsWith(PREFIX)) {
      scores.add(field);
    } else {
      other.add(field);
    }
  }

  /** Reads the windows of score rules from the engine. */
  static final class Windows {
    private final ScoreAggregations aggregations;

    Windows(ScoreAggregations aggregations) {
      this.aggregations = aggregations;
    }

    /** The rule's series over its window ending at {@code now}: one, or one per group. */
    List<SeriesAggregate> window(Rule rule, Instant now) {
      Set<String> fields = new TreeSet<>();
      Set<Double> percents = new TreeSet<>();
      walk(rule.condition().left(), fields, percents, new ArrayList<>());
      walk(rule.condition().right(), fields, percents, new ArrayList<>());
      List<String> names = fields.stream().map(f -> f.substring(PREFIX.length())).toList();
      ObjectNode filter = JsonNodeFactory.instance.objectNode();
      ObjectNode bool = filter.putObject("bool");
      ArrayNode any = bool.putArray("should");
      fields.forEach(field -> any.addObject().putObject("exists").put("field", field));
      bool.put("minimum_should_match", 1);
      if (rule.filter() != null) {
        bool.putArray("filter").add(QUALITY_KQL.toQuery(rule.filter()));
      }
      double[] wanted = percents.stream().mapToDouble(Double::doubleValue).toArray();
      ScoreAggregations.Result result =
          aggregations.aggregate(
              new ScoreAggregations.Request(
                  filter,
                  now.minus(rule.window()),
                  now,
                  rule.groupBy(),
                  null,
                  MAX_GROUPS,
                  null,
                  names,
                  wanted,
                  null));
      if (rule.groupBy().isEmpty()) {
        return List.of(new SeriesAggregate(Map.of(), false, new Scores(result.totals())));
      }
      List<SeriesAggregate> series = new ArrayList<>();
      for (ScoreAggregations.Group group : result.groups()) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < rule.groupBy().size() && i < group.key().size(); i++) {
          labels.put(rule.groupBy().get(i), group.key().get(i));
        }
        series.add(new SeriesAggregate(labels, false, new Scores(group.block())));
      }
      return series;
    }
  }

  /** A block of quality records as the {@link Aggregate} a condition reads. */
  record Scores(ScoreAggregations.Block block) implements Aggregate {
    @Override
    public double count() {
      return block.records();
    }

    @Override
    public double errors() {
      return Double.NaN;
    }

    @Override
    public double matching(String kql) {
      return Double.NaN;
    }

    /**
     * A statistic of one of the block's scores; NaN for a field that is not a score of the rule, or
     * without values.
     */
    private double stat(
        String field, java.util.function.ToDoubleFunction<ScoreAggregations.ScoreStats> statistic) {
      ScoreAggregations.ScoreStats stats =
          field.startsWith(PREFIX) ? block.scores().get(field.substring(PREFIX.length())) : null;
      return stats == null || stats.count() == 0 ? Double.NaN : statistic.applyAsDouble(stats);
    }

    @Override
    public double sum(String field) {
      return stat(field, ScoreAggregations.ScoreStats::sum);
    }

    @Override
    public double avg(String field) {
      return stat(field, ScoreAggregations.ScoreStats::avg);
    }

    @Override
    public double min(String field) {
      return stat(field, ScoreAggregations.ScoreStats::min);
    }

    @Override
    public double max(String field) {
      return stat(field, ScoreAggregations.ScoreStats::max);
    }

    @Override
    public double percentile(String field, double p) {
      return stat(field, stats -> stats.percentiles().getOrDefault(p, Double.NaN));
    }
  }
}

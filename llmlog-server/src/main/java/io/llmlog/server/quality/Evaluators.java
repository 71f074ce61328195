package io.llmlog.server.quality;

import io.llmlog.core.sample.SamplingPolicy;
import io.llmlog.server.config.ConfigException;
import io.llmlog.server.pipeline.Event;
import io.llmlog.server.pipeline.Filter;
import io.llmlog.server.pipeline.RedactFilter;
import io.llmlog.server.query.kql.KqlMatcher;
import io.llmlog.server.query.kql.KqlParser;
import io.llmlog.server.query.kql.KqlSyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Builds the deterministic evaluators from their configuration, and decides which calls each one scores. */
final class Evaluators {
  /** The service of the judge's own model calls: never judged or scored, or the judge would score itself forever. */
  static final String EVALUATOR_SERVICE = "llmlog-evaluator";

  private Evaluators() {}

  /** A configured evaluator: which calls it looks at and, for a deterministic one, the check. */
  record Built(QualitySettings.Spec spec, KqlMatcher filter, CallEvaluator check) {
    /** True when this evaluator scores the call: it matches the filter and falls in the sample. */
    boolean selects(java.util.function.Function<String, Object> call) {
      if (EVALUATOR_SERVICE.equals(call.apply("service"))) {
        return false;
      }
      Object id = call.apply("request_id");
      if (!(id instanceof String requestId) || !filter.matches(call)) {
        return false;
      }
      // Salted by the evaluator's name, so that two evaluators at 10% (or sampling at 10%) do not pick the same calls.
      return spec.sample() >= 1 || SamplingPolicy.position(requestId + "\u0000" + spec.name()) < spec.sample();
    }
  }

  /**
   * Builds one evaluator.
   *
   * @param pipeline the call pipeline's configured filters (the pii check reads the redaction's findings)
   * @throws ConfigException naming the evaluator and option that is wrong
   */
  static Built build(QualitySettings.Spec spec, List<Filter> pipeline) {
    KqlMatcher filter;
    try {
      filter = spec.filter() == null ? call -> true : new KqlParser().toMatcher(spec.filter());
    } catch (KqlSyntaxException e) {
      throw spec.error("filter", "bad KQL at position " + e.position() + ": " + e.reason());
    }
    return new Built(spec, filter, spec.judged() ? null : check(spec, pipeline));
  }

  private static CallEvaluator check(QualitySettings.Spec spec, List<Filter> pipeline) {
    String field = spec.string("field", "response");
    return switch (spec.type()) {
      case "json" -> {
        spec.allow("field", "schema");
        JsonSchema schema = null;
        if (spec.options().get("schema") instanceof Map<?, ?> map) {
          try {
            schema = JsonSchema.of(Event.cast(map));
          } catch (IllegalArgumentException e) {
            throw spec.error("schema", e.getMessage());
          }
        } else if (spec.options().get("schema") != null) {
          throw spec.error("schema", "must be a JSON Schema written as a mapping, e.g. {type: object, required: [answer]}");
        }
        yield new JsonCheck(field, schema);
      }
      case "regex" -> {
        spec.allow("field", "must_match", "must_not_match");
        String must = spec.string("must_match", null);
        String mustNot = spec.string("must_not_match", null);
        if ((must == null) == (mustNot == null)) {
          throw spec.error("must_match", "give one of must_match or must_not_match");
        }
        try {
          yield PatternCheck.regex(field, Pattern.compile(must != null ? must : mustNot), must != null);
        } catch (PatternSyntaxException e) {
          throw spec.error(must != null ? "must_match" : "must_not_match", "not a valid regular expression: " + e.getDescription());
        }
      }
      case "contains" -> {
        spec.allow("field", "values", "mode", "case_sensitive");
        List<String> values = spec.strings("values");
        if (values.isEmpty()) {
          throw spec.error("values", "give the words to look for, e.g. values: [refund, 退款]");
        }
        PatternCheck.Mode mode;
        try {
          mode = PatternCheck.Mode.valueOf(spec.string("mode", "any").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw spec.error("mode", "must be any, all or none");
        }
        yield PatternCheck.contains(field, values, mode, Boolean.parseBoolean(spec.string("case_sensitive", "false")));
      }
      case "length" -> {
        spec.allow("field", "min", "max");
        double min = spec.number("min", 0);
        double max = spec.number("max", Double.MAX_VALUE);
        if (min < 0 || max < min) {
          throw spec.error("max", "needs 0 <= min <= max");
        }
        yield BoundsCheck.length(field, min, max);
      }
      case "budget" -> {
        spec.allow("field", "max");
        String numeric = spec.string("field", "latency_ms");
        io.llmlog.core.LogField known = io.llmlog.core.LogField.byJsonName(numeric);
        if (known == null || !known.isNumeric()) {
          throw spec.error("field", "must be a numeric call field such as latency_ms, ttft_ms, cost_usd or total_tokens, was '" + numeric + "'");
        }
        if (!spec.options().containsKey("max")) {
          throw spec.error("max", "give the budget, e.g. max: 5000 for latency_ms");
        }
        yield BoundsCheck.budget(numeric, spec.number("max", 0));
      }
      case "refusal" -> {
        spec.allow("field");
        yield new RefusalCheck(field);
      }
      case "language" -> {
        spec.allow("prompt_field", "field");
        yield new LanguageCheck(spec.string("prompt_field", "prompt"), field);
      }
      case "pii" -> {
        spec.allow("field");
        boolean redacted = pipeline.stream().anyMatch(f -> f instanceof RedactFilter redact && redact.covers(field));
        yield new PiiCheck(field, redacted);
      }
      default -> throw spec.error("type", "is not a deterministic evaluator");
    };
  }
}

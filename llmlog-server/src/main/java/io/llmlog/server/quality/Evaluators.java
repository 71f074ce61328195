package io.llmlog.server.quality;

import io.llmlog.core.sample.SamplingPolicy;
import io.llmlog.server.config.ConfigException;
import io.llmlog.server.config.Settings;
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

/**
 * Builds the deterministic evaluators from their configuration, and decides which calls each one
 * scores.
 */
final class Evaluators {
  /**
   * The service of the judge's own model calls: never judged or scored, or the judge would score
   * itself forever.
   */
  static final String EVALUATOR_SERVICE = "llmlog-evaluator";

  private Evaluators() {}

  /**
   * A configured evaluator: which calls it looks at and, for a deterministic one, the check; for a
   * judge, its prompt.
   */
  record Built(
      QualitySettings.Spec spec, KqlMatcher filter, CallEvaluator check, JudgePrompt prompt) {
    /** True when this evaluator scores the call: it matches the filter and falls in the sample. */
    boolean selects(java.util.function.Function<String, Object> call) {
      String requestId = scorable(call);
      return requestId != null && picks(call, requestId);
    }

    /** True when this evaluator scores a {@link #scorable} call, the one with this request id. */
    boolean picks(java.util.function.Function<String, Object> call, String requestId) {
      if (!filter.matches(call)) {
        return false;
      }
      // Salted by the evaluator's name, so that two evaluators at 10% (or sampling at 10%) do not
      // pick the same calls.
      return spec.sample() >= 1
          || SamplingPolicy.position(requestId + "\u0000" + spec.name()) < spec.sample();
    }
  }

  /**
   * The call's request id when evaluators may score it, else null: it has one, and it is not one of
   * the judge's own calls.
   */
  static String scorable(java.util.function.Function<String, Object> call) {
    if (EVALUATOR_SERVICE.equals(call.apply("service"))) {
      return null;
    }
    return call.apply("request_id") instanceof String requestId ? requestId : null;
  }

  /**
   * A judge's prompt: its template ({@code prompt}, or the built-in {@code template}, by default
   * the one named like the evaluator) and the call field {@code {context}} stands for.
   */
  record JudgePrompt(String template, String contextField) {
    String render(java.util.function.Function<String, Object> call) {
      return JudgeTemplates.render(template, call, contextField);
    }
  }

  /**
   * Builds one evaluator, reading its type's options from its view of the settings (which declares
   * them: whatever else the evaluator holds is then an unknown option).
   *
   * @param pipeline the call pipeline's configured filters (the pii check reads the redaction's
   *     findings)
   * @throws ConfigException naming the evaluator and option that is wrong
   */
  static Built build(QualitySettings.Spec spec, List<Filter> pipeline) {
    KqlMatcher filter;
    try {
      filter = spec.filter() == null ? call -> true : new KqlParser().toMatcher(spec.filter());
    } catch (KqlSyntaxException e) {
      throw spec.error("filter", "bad KQL at position " + e.position() + ": " + e.reason());
    }
    if (spec.judged()) {
      return new Built(spec, filter, null, prompt(spec.options(), spec.name()));
    }
    return new Built(spec, filter, check(spec, spec.options(), pipeline), null);
  }

  private static JudgePrompt prompt(Settings options, String name) {
    String prompt = options.string("prompt", null);
    String template = options.string("template", name);
    String contextField = options.string("context_field", null);
    if (prompt == null && !JudgeTemplates.BUILT_IN.containsKey(template)) {
      throw options.problem(
          options.has("template") ? "template" : "prompt",
          "give a prompt, or a built-in template: "
              + String.join(", ", new java.util.TreeSet<>(JudgeTemplates.BUILT_IN.keySet()))
              + " (was '"
              + template
              + "')");
    }
    return new JudgePrompt(
        prompt != null ? prompt : JudgeTemplates.BUILT_IN.get(template), contextField);
  }

  /**
   * Reads every option of the type before judging any, so that a misspelt one is named as such
   * rather than as a missing one.
   */
  private static CallEvaluator check(
      QualitySettings.Spec spec, Settings options, List<Filter> pipeline) {
    return switch (spec.type()) {
      case "json" -> {
        String field = options.string("field", "response");
        JsonSchema schema = null;
        if (options.has("schema")) {
          Map<String, Object> written;
          try {
            written = options.map("schema");
          } catch (ConfigException notAMapping) {
            throw spec.error(
                "schema",
                "must be a JSON Schema written as a mapping, e.g. {type: object, required: [answer]}");
          }
          try {
            schema = JsonSchema.of(written);
          } catch (IllegalArgumentException e) {
            throw spec.error("schema", e.getMessage());
          }
        }
        yield new JsonCheck(field, schema);
      }
      case "regex" -> {
        String field = options.string("field", "response");
        String must = options.string("must_match", null);
        String mustNot = options.string("must_not_match", null);
        if ((must == null) == (mustNot == null)) {
          throw spec.error("must_match", "give one of must_match or must_not_match");
        }
        try {
          yield PatternCheck.regex(
              field, Pattern.compile(must != null ? must : mustNot), must != null);
        } catch (PatternSyntaxException e) {
          throw spec.error(
              must != null ? "must_match" : "must_not_match",
              "not a valid regular expression: " + e.getDescription());
        }
      }
      case "contains" -> {
        String field = options.string("field", "response");
        List<String> values = options.values("values", List.of());
        String modeText = options.string("mode", "any");
        boolean caseSensitive = options.bool("case_sensitive", false);
        if (values.isEmpty()) {
          throw spec.error("values", "give the words to look for, e.g. values: [refund, 退款]");
        }
        PatternCheck.Mode mode;
        try {
          mode = PatternCheck.Mode.valueOf(modeText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw options.invalid("mode", modeText, "any, all or none");
        }
        yield PatternCheck.contains(field, values, mode, caseSensitive);
      }
      case "length" -> {
        String field = options.string("field", "response");
        double min = options.decimal("min", 0);
        double max = options.decimal("max", Double.MAX_VALUE);
        if (min < 0 || max < min) {
          throw spec.error("max", "needs 0 <= min <= max");
        }
        yield BoundsCheck.length(field, min, max);
      }
      case "budget" -> {
        String numeric = options.string("field", "latency_ms");
        boolean budgeted = options.has("max");
        double max = options.decimal("max", 0);
        io.llmlog.core.LogField known = io.llmlog.core.LogField.byJsonName(numeric);
        if (known == null || !known.isNumeric()) {
          throw spec.error(
              "field",
              "must be a numeric call field such as latency_ms, ttft_ms, cost_usd or total_tokens, was '"
                  + numeric
                  + "'");
        }
        if (!budgeted) {
          throw spec.error("max", "give the budget, e.g. max: 5000 for latency_ms");
        }
        yield BoundsCheck.budget(numeric, max);
      }
      case "refusal" -> new RefusalCheck(options.string("field", "response"));
      case "language" ->
          new LanguageCheck(
              options.string("prompt_field", "prompt"), options.string("field", "response"));
      case "pii" -> {
        String field = options.string("field", "response");
        boolean redacted =
            pipeline.stream()
                .anyMatch(f -> f instanceof RedactFilter redact && redact.covers(field));
        yield new PiiCheck(field, redacted);
      }
      default -> throw spec.error("type", "is not a deterministic evaluator");
    };
  }
}

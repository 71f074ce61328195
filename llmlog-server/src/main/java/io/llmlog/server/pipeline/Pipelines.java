package io.llmlog.server.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.core.LogField;
import io.llmlog.core.cost.PriceTable;
import io.llmlog.core.redact.PiiRedactor;
import io.llmlog.core.sample.SamplingPolicy;
import io.llmlog.server.config.ConfigException;
import io.llmlog.server.config.Settings;
import io.llmlog.server.query.kql.KqlMatcher;
import io.llmlog.server.query.kql.KqlParser;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Builds the pipelines from the {@code pipeline:} section of {@code llmlog.yaml}: an ordered list
 * of filters, each written as its name with its options, as Logstash's filter blocks are:
 *
 * <pre>
 * pipeline:
 *   - json: {source: message}
 *   - flatten: {}
 *   - date: {match: [timestamp, "@timestamp"], timezone: Asia/Shanghai}
 *   - mutate: {add_field: {service: "%{llm.service}"}, remove_field: ["llm.prompt"]}
 *   - redact: {fields: [prompt, system_prompt, response], mode: mask}
 *   - sample: {rate: 0.1, latency_threshold_ms: 10000}
 *   - derive: {}
 *   - cost: {prices: {my-model: {input: 0.5, output: 1.5}}}
 * </pre>
 *
 * Without a {@code pipeline:} section the {@link #DEFAULT} pipeline runs.
 */
public final class Pipelines {
  /** The default: read shipped lines, flatten, date, redact PII in the texts, derive, price. */
  public static final List<Map<String, Object>> DEFAULT =
      List.of(
          Map.of("json", Map.of("source", "message")),
          Map.of("flatten", Map.of()),
          Map.of("date", Map.of()),
          Map.of("redact", Map.of()),
          Map.of("derive", Map.of()),
          Map.of("cost", Map.of()));

  /** The text fields redacted by default. */
  static final List<String> TEXT_FIELDS =
      List.of(
          LogField.PROMPT.jsonName(),
          LogField.SYSTEM_PROMPT.jsonName(),
          LogField.RESPONSE.jsonName(),
          LogField.ERROR_MESSAGE.jsonName());

  /**
   * The fields redacted by default: the texts, and the structured messages they are rendered from
   * (every text inside them: message contents, tool arguments and results).
   */
  static final List<String> REDACTED_FIELDS =
      List.of(
          LogField.PROMPT.jsonName(),
          LogField.SYSTEM_PROMPT.jsonName(),
          LogField.RESPONSE.jsonName(),
          LogField.ERROR_MESSAGE.jsonName(),
          LogField.INPUT_MESSAGES.jsonName(),
          LogField.OUTPUT_MESSAGES.jsonName());

  private Pipelines() {}

  /**
   * The step texts redacted when the call pipeline redacts: tool arguments and results, retrieval
   * queries, generic inputs and outputs, error messages.
   */
  static final List<String> STEP_REDACTED_FIELDS =
      io.llmlog.core.SpanField.TEXTS.stream().map(io.llmlog.core.SpanField::jsonName).toList();

  /** The call, quality and step pipelines built from one configuration. */
  public record Built(Pipeline calls, Pipeline quality, Pipeline steps) {}

  /**
   * Builds both pipelines.
   *
   * @param callStored tells whether a call with this request id is stored, so that sampling keeps
   *     the quality records of the calls it kept
   * @throws ConfigException naming the filter and option that is wrong
   */
  public static Built build(
      Settings settings, ObjectMapper json, Clock clock, Predicate<String> callStored) {
    return build(settings, json, clock, callStored, configured -> List.of());
  }

  /**
   * Builds the pipelines, with filters appended to the call pipeline after the configured ones: the
   * evaluators that score each kept call. They come last so that they read the call as it will be
   * stored: {@code flatten} has rendered structured messages into {@code prompt} and {@code
   * response}, and {@code redact} has left what it found.
   *
   * @param tail given the configured filters, the filters to run after them
   */
  public static Built build(
      Settings settings,
      ObjectMapper json,
      Clock clock,
      Predicate<String> callStored,
      java.util.function.Function<List<Filter>, List<Filter>> tail) {
    Settings configured =
        settings.has("pipeline")
            ? settings
            : Settings.of(Map.of("pipeline", DEFAULT), name -> null);
    List<Settings> steps = configured.items("pipeline");
    List<Filter> filters = new ArrayList<>();
    SamplingPolicy sampling = null;
    for (int i = 0; i < steps.size(); i++) {
      Settings step = steps.get(i);
      if (!(step.value() instanceof Map<?, ?> map) || map.size() != 1) {
        throw new ConfigException(
            "pipeline["
                + i
                + "]: each step is one filter name with its options, such as '- mutate: {remove_field: [prompt]}'");
      }
      String name = step.keys().iterator().next();
      Object value = map.get(name);
      if (value != null && !(value instanceof Map)) {
        throw new ConfigException(
            "pipeline[" + i + "] (" + name + "): options must be a mapping, such as '{}' for none");
      }
      Settings options = step.child(name).labelled("pipeline[" + i + "] (" + name + ")", "option");
      Filter filter = create(name, options, json, clock);
      if (filter instanceof SampleFilter sample) {
        sampling = sample.policy();
      }
      filters.add(filter);
    }
    configured.rejectUnknown("pipeline");
    // The steps are built from the configured filters only: the evaluators score calls, not steps.
    List<Filter> configuredFilters = List.copyOf(filters);
    filters.addAll(tail.apply(configuredFilters));
    List<Filter> quality = new ArrayList<>();
    quality.add(new DateFilter(List.of("timestamp", "@timestamp"), ZoneOffset.UTC, clock));
    if (sampling != null && sampling.rate() < 1) {
      quality.add(new QualitySampleFilter(sampling, callStored));
    }
    return new Built(
        new Pipeline(filters),
        new Pipeline(quality),
        new Pipeline(steps(configuredFilters, clock)));
  }

  /**
   * The step pipeline follows the call pipeline's privacy and sampling: the same redactor on the
   * step texts when calls are redacted, and the same {@code sample} filter — one instance, so that
   * the calls and steps of a trace share its decisions and its memory of failed traces. Steps come
   * in llmlog's own shape, so the call pipeline's reshaping filters do not apply to them.
   */
  private static List<Filter> steps(List<Filter> calls, Clock clock) {
    List<Filter> steps = new ArrayList<>();
    steps.add(new DateFilter(List.of("timestamp"), ZoneOffset.UTC, clock));
    for (Filter filter : calls) {
      if (filter instanceof RedactFilter redact) {
        steps.add(redact.withFields(STEP_REDACTED_FIELDS));
      } else if (filter instanceof SampleFilter) {
        steps.add(filter);
      }
    }
    return steps;
  }

  /**
   * The filter of one step; every option it knows is read here, so that the rest can be refused by
   * name.
   */
  private static Filter create(String name, Settings options, ObjectMapper json, Clock clock) {
    return switch (name) {
      case "json" ->
          new JsonFilter(
              json,
              FieldReference.path(options.string("source", "message")),
              options.has("target") ? FieldReference.path(options.string("target", null)) : null);
      case "flatten" -> new FlattenFilter();
      case "date" ->
          new DateFilter(
              options.values("match", List.of("timestamp", "@timestamp")),
              options.values("formats", List.of()),
              zone(options),
              clock);
      case "mutate" -> mutate(options);
      case "truncate" -> truncate(options);
      case "redact" -> redact(options);
      case "sample" -> {
        try {
          // The sampling policy checks its own keys (the SDK reads the same ones).
          yield new SampleFilter(SamplingPolicy.fromConfig(options.map("")));
        } catch (IllegalArgumentException e) {
          throw options.problem(e.getMessage());
        }
      }
      case "drop" -> drop(options);
      case "derive" -> new DeriveFilter();
      case "cost" -> {
        try {
          // The price table checks its entries' keys.
          yield new CostFilter(PriceTable.defaults().withOverrides(options.map("prices")));
        } catch (IllegalArgumentException e) {
          throw options.problem("prices", e.getMessage());
        }
      }
      default ->
          throw options.problem(
              "unknown filter '"
                  + name
                  + "'; filters: json, flatten, date, mutate, truncate, redact, sample, drop, derive, cost");
    };
  }

  private static ZoneId zone(Settings options) {
    String zone = options.string("timezone", "UTC");
    try {
      return ZoneId.of(zone);
    } catch (DateTimeException e) {
      throw options.problem(
          "timezone", "unknown time zone '" + zone + "' (use e.g. UTC, Asia/Shanghai, +08:00)");
    }
  }

  private static Filter mutate(Settings options) {
    Map<String, MutateFilter.Conversion> convert = new LinkedHashMap<>();
    options
        .stringMap("convert")
        .forEach(
            (field, type) -> {
              try {
                convert.put(field, MutateFilter.Conversion.valueOf(type.toUpperCase(Locale.ROOT)));
              } catch (IllegalArgumentException e) {
                throw options.problem(
                    "convert." + field,
                    "unknown type '" + type + "'; use integer, float, string or boolean");
              }
            });
    try {
      return new MutateFilter(
          options.stringMap("rename"),
          options.stringMap("add_field"),
          options.stringMap("replace"),
          convert,
          options.values("lowercase", List.of()),
          options.values("uppercase", List.of()),
          options.values("remove_field", List.of()));
    } catch (IllegalArgumentException e) {
      throw options.problem(e.getMessage());
    }
  }

  private static Filter truncate(Settings options) {
    Map<String, Integer> limits = new LinkedHashMap<>();
    Object fields = options.raw("fields");
    Object length = options.raw("length");
    if (fields instanceof Map<?, ?> perField) {
      perField.forEach(
          (field, limit) ->
              limits.put(String.valueOf(field), positiveInt(options, "fields." + field, limit)));
    } else {
      int characters = positiveInt(options, "length", length);
      for (String field : options.values("fields", TEXT_FIELDS)) {
        limits.put(field, characters);
      }
    }
    return new TruncateFilter(limits);
  }

  private static int positiveInt(Settings options, String key, Object value) {
    if (value instanceof Number number
        && number.doubleValue() == Math.rint(number.doubleValue())
        && number.intValue() > 0) {
      return number.intValue();
    }
    throw options.problem(key, "must be a positive whole number, was " + value);
  }

  private static Filter redact(Settings options) {
    List<String> targets = options.values("fields", REDACTED_FIELDS);
    // The redactor checks its own keys (the SDK reads the same ones); fields is the pipeline's.
    Map<String, Object> redactorOptions = new LinkedHashMap<>(options.map(""));
    redactorOptions.remove("fields");
    try {
      return new RedactFilter(
          redactorOptions.isEmpty()
              ? PiiRedactor.defaults()
              : PiiRedactor.fromConfig(redactorOptions),
          targets);
    } catch (IllegalArgumentException e) {
      throw options.problem(e.getMessage());
    }
  }

  private static Filter drop(Settings options) {
    String kql = options.string("if", null);
    String field = options.string("field", null);
    Object exists = options.raw("exists");
    List<String> in = options.values("in", null);
    List<String> equals = options.values("equals", null);
    if (kql != null) {
      try {
        KqlMatcher matcher = new KqlParser().toMatcher(kql);
        return new DropFilter(event -> matcher.matches(event::get));
      } catch (IllegalArgumentException e) {
        throw options.problem("if", e.getMessage());
      }
    }
    if (field == null) {
      throw options.problem("give 'if' with a KQL condition, or 'field' with equals, in or exists");
    }
    if (exists != null) {
      return new DropFilter(
          DropFilter.fieldExists(field, Boolean.parseBoolean(String.valueOf(exists))));
    }
    List<String> values = in != null ? in : equals;
    if (values == null) {
      throw options.problem("give one of equals, in or exists");
    }
    return new DropFilter(DropFilter.fieldIn(field, values));
  }
}

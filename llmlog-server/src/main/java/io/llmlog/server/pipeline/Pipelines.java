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
 * Builds the pipelines from the {@code pipeline:} section of {@code llmlog.yaml}: an ordered list of
 * filters, each written as its name with its options, as Logstash's filter blocks are:
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
  public static final List<Map<String, Object>> DEFAULT = List.of(
      Map.of("json", Map.of("source", "message")),
      Map.of("flatten", Map.of()),
      Map.of("date", Map.of()),
      Map.of("redact", Map.of()),
      Map.of("derive", Map.of()),
      Map.of("cost", Map.of()));

  /** The text fields redacted by default. */
  static final List<String> TEXT_FIELDS = List.of(
      LogField.PROMPT.jsonName(), LogField.SYSTEM_PROMPT.jsonName(), LogField.RESPONSE.jsonName(), LogField.ERROR_MESSAGE.jsonName());

  private Pipelines() {}

  /** The call pipeline and the quality pipeline built from one configuration. */
  public record Built(Pipeline calls, Pipeline quality) {}

  /**
   * Builds both pipelines.
   *
   * @param callStored tells whether a call with this request id is stored, so that sampling keeps
   *     the quality records of the calls it kept
   * @throws ConfigException naming the filter and option that is wrong
   */
  public static Built build(Settings settings, ObjectMapper json, Clock clock, Predicate<String> callStored) {
    return build(settings, json, clock, callStored, configured -> List.of());
  }

  /**
   * Builds both pipelines, with filters appended to the call pipeline after the configured ones:
   * the evaluators that score each kept call.
   *
   * @param tail given the configured filters, the filters to run after them
   */
  public static Built build(Settings settings, ObjectMapper json, Clock clock, Predicate<String> callStored,
      java.util.function.Function<List<Filter>, List<Filter>> tail) {
    List<?> configured = settings.list("pipeline");
    List<?> steps = configured == null ? DEFAULT : configured;
    List<Filter> filters = new ArrayList<>();
    SamplingPolicy sampling = null;
    for (int i = 0; i < steps.size(); i++) {
      Object step = steps.get(i);
      if (!(step instanceof Map<?, ?> map) || map.size() != 1) {
        throw new ConfigException("pipeline[" + i + "]: each step is one filter name with its options, such as '- mutate: {remove_field: [prompt]}'");
      }
      Map.Entry<?, ?> entry = map.entrySet().iterator().next();
      String name = String.valueOf(entry.getKey());
      Object value = entry.getValue();
      if (value != null && !(value instanceof Map)) {
        throw new ConfigException("pipeline[" + i + "] (" + name + "): options must be a mapping, such as '{}' for none");
      }
      Options options = new Options("pipeline[" + i + "] (" + name + ")", value == null ? Map.of() : Event.cast(value));
      Filter filter = create(name, options, json, clock);
      if (filter instanceof SampleFilter sample) {
        sampling = sample.policy();
      }
      filters.add(filter);
    }
    filters.addAll(tail.apply(List.copyOf(filters)));
    List<Filter> quality = new ArrayList<>();
    quality.add(new DateFilter(List.of("timestamp", "@timestamp"), ZoneOffset.UTC, clock));
    if (sampling != null && sampling.rate() < 1) {
      quality.add(new QualitySampleFilter(sampling, callStored));
    }
    return new Built(new Pipeline(filters), new Pipeline(quality));
  }

  private static Filter create(String name, Options options, ObjectMapper json, Clock clock) {
    return switch (name) {
      case "json" -> {
        options.allow("source", "target");
        yield new JsonFilter(json, FieldReference.path(options.string("source", "message")),
            options.has("target") ? FieldReference.path(options.string("target", null)) : null);
      }
      case "flatten" -> {
        options.allow();
        yield new FlattenFilter();
      }
      case "date" -> {
        options.allow("match", "formats", "timezone");
        yield new DateFilter(options.strings("match", List.of("timestamp", "@timestamp")), options.strings("formats", List.of()),
            zone(options), clock);
      }
      case "mutate" -> mutate(options);
      case "truncate" -> truncate(options);
      case "redact" -> redact(options);
      case "sample" -> {
        try {
          yield new SampleFilter(SamplingPolicy.fromConfig(options.all()));
        } catch (IllegalArgumentException e) {
          throw options.error(e.getMessage());
        }
      }
      case "drop" -> drop(options);
      case "derive" -> {
        options.allow();
        yield new DeriveFilter();
      }
      case "cost" -> {
        options.allow("prices");
        try {
          yield new CostFilter(PriceTable.defaults().withOverrides(options.map("prices")));
        } catch (IllegalArgumentException e) {
          throw options.error("prices", e.getMessage());
        }
      }
      default -> throw options.error("unknown filter '" + name + "'; filters: json, flatten, date, mutate, truncate, redact, sample, drop, derive, cost");
    };
  }

  private static ZoneId zone(Options options) {
    String zone = options.string("timezone", "UTC");
    try {
      return ZoneId.of(zone);
    } catch (DateTimeException e) {
      throw options.error("timezone", "unknown time zone '" + zone + "' (use e.g. UTC, Asia/Shanghai, +08:00)");
    }
  }

  private static Filter mutate(Options options) {
    options.allow("add_field", "replace", "remove_field", "rename", "convert", "lowercase", "uppercase");
    Map<String, MutateFilter.Conversion> convert = new LinkedHashMap<>();
    options.stringMap("convert").forEach((field, type) -> {
      try {
        convert.put(field, MutateFilter.Conversion.valueOf(type.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw options.error("convert." + field, "unknown type '" + type + "'; use integer, float, string or boolean");
      }
    });
    try {
      return new MutateFilter(options.stringMap("rename"), options.stringMap("add_field"), options.stringMap("replace"), convert,
          options.strings("lowercase", List.of()), options.strings("uppercase", List.of()), options.strings("remove_field", List.of()));
    } catch (IllegalArgumentException e) {
      throw options.error(e.getMessage());
    }
  }

  private static Filter truncate(Options options) {
    options.allow("fields", "length");
    Map<String, Integer> limits = new LinkedHashMap<>();
    Object fields = options.raw("fields");
    if (fields instanceof Map<?, ?> perField) {
      perField.forEach((field, limit) -> limits.put(String.valueOf(field), options.positiveInt("fields." + field, limit)));
    } else {
      int length = options.positiveInt("length", options.raw("length"));
      for (String field : options.strings("fields", TEXT_FIELDS)) {
        limits.put(field, length);
      }
    }
    return new TruncateFilter(limits);
  }

  private static Filter redact(Options options) {
    List<String> targets = options.strings("fields", TEXT_FIELDS);
    Map<String, Object> redactorOptions = new LinkedHashMap<>(options.all());
    redactorOptions.remove("fields");
    try {
      return new RedactFilter(redactorOptions.isEmpty() ? PiiRedactor.defaults() : PiiRedactor.fromConfig(redactorOptions), targets);
    } catch (IllegalArgumentException e) {
      throw options.error(e.getMessage());
    }
  }

  private static Filter drop(Options options) {
    options.allow("if", "field", "equals", "in", "exists");
    if (options.has("if")) {
      String kql = options.string("if", null);
      try {
        KqlMatcher matcher = new KqlParser().toMatcher(kql);
        return new DropFilter(event -> matcher.matches(event::get));
      } catch (IllegalArgumentException e) {
        throw options.error("if", e.getMessage());
      }
    }
    if (!options.has("field")) {
      throw options.error("give 'if' with a KQL condition, or 'field' with equals, in or exists");
    }
    String field = options.string("field", null);
    if (options.has("exists")) {
      return new DropFilter(DropFilter.fieldExists(field, Boolean.parseBoolean(options.string("exists", "true"))));
    }
    List<String> values = options.has("in") ? options.strings("in", List.of()) : options.strings("equals", null);
    if (values == null) {
      throw options.error("give one of equals, in or exists");
    }
    return new DropFilter(DropFilter.fieldIn(field, values));
  }
}

package io.llmlog.server.quality;

import io.llmlog.server.config.ConfigException;
import io.llmlog.server.config.Settings;
import io.llmlog.server.config.Units;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The {@code quality:} section of llmlog.yaml: evaluators, the judge they may call, review queues,
 * and what counts as negative feedback. Every key and default is here.
 *
 * @param evaluators the evaluators in configuration order
 * @param judge the judge's endpoint and limits (used by evaluators of type {@code judge})
 * @param queues the review queues
 * @param leaseTtl how long a reviewer holds a call before another reviewer may get it
 * @param negativeFeedback KQL over quality records that marks negative feedback
 * @param runPageSize how many calls a scoring run scores between two checkpoints
 */
public record QualitySettings(List<Spec> evaluators, Judge judge, List<Queue> queues, Duration leaseTtl, String negativeFeedback, int runPageSize) {
  static final Set<String> TYPES = Set.of("json", "regex", "contains", "length", "refusal", "language", "pii", "budget", "judge");
  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
  static final Set<String> COMMON = Set.of("name", "type", "filter", "sample");

  public QualitySettings {
    evaluators = List.copyOf(evaluators);
    queues = List.copyOf(queues);
  }

  /**
   * One evaluator as configured.
   *
   * @param name its name, which is also its score's: {@code scores.<name>}
   * @param type what it checks (see {@link #TYPES})
   * @param filter KQL of the calls it scores, or null for all
   * @param sample the share of matching calls it scores, 0 to 1, decided per request id
   * @param options the type's own options, checked by the type
   * @param where where it is configured, for error messages
   */
  public record Spec(String name, String type, String filter, double sample, Map<String, Object> options, String where) {
    /** True for the evaluators that run asynchronously, calling the judge. */
    public boolean judged() {
      return type.equals("judge");
    }

    ConfigException error(String key, String problem) {
      return new ConfigException(where + ": " + key + ": " + problem);
    }

    String string(String key, String defaultValue) {
      Object value = options.get(key);
      if (value == null) {
        return defaultValue;
      }
      if (value instanceof Map || value instanceof List) {
        throw error(key, "must be a single value");
      }
      return value.toString();
    }

    double number(String key, double defaultValue) {
      Object value = options.get(key);
      if (value == null) {
        return defaultValue;
      }
      try {
        return value instanceof Number n ? n.doubleValue() : Double.parseDouble(value.toString().trim());
      } catch (NumberFormatException e) {
        throw error(key, "must be a number, was '" + value + "'");
      }
    }

    List<String> strings(String key) {
      Object value = options.get(key);
      if (value == null) {
        return List.of();
      }
      List<String> items = new ArrayList<>();
      for (Object item : value instanceof List<?> list ? list : List.of(value)) {
        if (item == null || item instanceof Map || item instanceof List) {
          throw error(key, "must be a list of texts");
        }
        items.add(item.toString());
      }
      return items;
    }

    void allow(String... keys) {
      Set<String> known = new TreeSet<>(Set.of(keys));
      for (String key : options.keySet()) {
        if (!known.contains(key)) {
          throw error(key, "unknown option for a " + type + " evaluator" + (known.isEmpty() ? " (it has none)" : "; its options: " + String.join(", ", known)));
        }
      }
    }
  }

  /**
   * The judge: an OpenAI-compatible chat completions endpoint.
   *
   * @param baseUrl e.g. {@code https://api.openai.com/v1}; {@code /chat/completions} is appended
   * @param model the judge model
   * @param apiKeyEnv the environment variable holding the API key (the key itself is never in the file)
   * @param apiKey the key read from it, or null; never logged, stored or shown
   * @param concurrency judge requests in flight at most
   * @param requestsPerMinute requests started per minute at most
   * @param maxAttempts attempts per judgement, the first included
   * @param initialBackoff the wait before the second attempt, doubled for each further one
   * @param maxBackoff the longest wait between attempts (a longer Retry-After is honoured)
   * @param timeout how long one request may take
   * @param budgetPerHourUsd what the judge may cost per hour on this server, by the price table
   * @param maxCallsPerHour judge requests per hour on this server
   * @param queueSize calls waiting to be judged at most; beyond, live calls are not judged (counted)
   */
  public record Judge(URI baseUrl, String model, String apiKeyEnv, String apiKey, int concurrency, int requestsPerMinute, int maxAttempts,
      Duration initialBackoff, Duration maxBackoff, Duration timeout, double budgetPerHourUsd, int maxCallsPerHour, int queueSize) {
    @Override
    public String toString() {
      // The key stays out of every message, log line and dump.
      return "Judge[" + baseUrl + ", " + model + ", key from $" + apiKeyEnv + (apiKey == null ? " (unset)" : "") + "]";
    }
  }

  /** A review queue: the calls matching {@code filter} in the last {@code window}, a sample of them, and the labels offered. */
  public record Queue(String name, String title, String filter, double sample, Duration window, List<String> labels) {
    public Queue {
      labels = List.copyOf(labels);
    }
  }

  /** Reads {@code quality.*}, applying defaults. */
  public static QualitySettings from(Settings settings) {
    List<Spec> evaluators = new ArrayList<>();
    List<?> configured = settings.list("quality.evaluators");
    Set<String> names = new TreeSet<>();
    if (configured != null) {
      for (int i = 0; i < configured.size(); i++) {
        Spec spec = spec(configured.get(i), "quality.evaluators[" + i + "]");
        if (!names.add(spec.name())) {
          throw new ConfigException(spec.where() + ": another evaluator is named '" + spec.name() + "'");
        }
        evaluators.add(spec);
      }
    }
    Judge judge = judge(settings);
    if (judge.baseUrl() == null && evaluators.stream().anyMatch(Spec::judged)) {
      throw new ConfigException("quality.judge.base_url is needed by the judge evaluators (e.g. https://api.openai.com/v1)");
    }
    List<Queue> queues = new ArrayList<>();
    List<?> queueList = settings.list("quality.queues");
    if (queueList != null) {
      Set<String> queueNames = new TreeSet<>();
      for (int i = 0; i < queueList.size(); i++) {
        Queue queue = queue(queueList.get(i), "quality.queues[" + i + "]");
        if (!queueNames.add(queue.name())) {
          throw new ConfigException("quality.queues[" + i + "]: another queue is named '" + queue.name() + "'");
        }
        queues.add(queue);
      }
    }
    Duration leaseTtl = settings.duration("quality.review.lease_ttl", Duration.ofMinutes(10));
    if (leaseTtl.compareTo(Duration.ofSeconds(10)) < 0 || leaseTtl.compareTo(Duration.ofHours(24)) > 0) {
      throw new ConfigException("quality.review.lease_ttl must be between 10s and 24h, was " + Units.formatDuration(leaseTtl));
    }
    return new QualitySettings(evaluators, judge, queues, leaseTtl, settings.string("quality.negative_feedback", "rating <= 0"),
        between(settings, "quality.run_page_size", 100, 1, 1000));
  }

  private static Spec spec(Object item, String where) {
    if (!(item instanceof Map<?, ?> raw)) {
      throw new ConfigException(where + ": an evaluator is a mapping with name and type, e.g. {name: json_ok, type: json}");
    }
    Map<String, Object> map = new LinkedHashMap<>();
    raw.forEach((key, value) -> map.put(String.valueOf(key), value));
    String name = map.get("name") == null ? null : map.get("name").toString().trim();
    if (name == null || !NAME.matcher(name).matches()) {
      throw new ConfigException(where + ": name must be lower case letters, digits, '_' or '-' (at most 64), was '" + name
          + "'; it names the score, scores.<name>");
    }
    String label = where + " (" + name + ")";
    String type = map.get("type") == null ? null : map.get("type").toString().trim();
    if (type == null || !TYPES.contains(type)) {
      throw new ConfigException(label + ": type must be one of " + String.join(", ", new TreeSet<>(TYPES)) + ", was '" + type + "'");
    }
    double sample = 1.0;
    if (map.get("sample") != null) {
      try {
        sample = Double.parseDouble(map.get("sample").toString().trim());
      } catch (NumberFormatException e) {
        sample = -1;
      }
      if (!(sample >= 0 && sample <= 1)) {
        throw new ConfigException(label + ": sample must be a number from 0 to 1, was '" + map.get("sample") + "'");
      }
    }
    Object filter = map.get("filter");
    if (filter != null && (filter instanceof Map || filter instanceof List)) {
      throw new ConfigException(label + ": filter must be a KQL query such as 'model:gpt-4o'");
    }
    Map<String, Object> options = new LinkedHashMap<>(map);
    COMMON.forEach(options::remove);
    return new Spec(name, type, filter == null || filter.toString().isBlank() ? null : filter.toString().trim(), sample, options, label);
  }

  private static Judge judge(Settings settings) {
    String base = settings.string("quality.judge.base_url", "").trim();
    URI baseUrl = null;
    if (!base.isEmpty()) {
      baseUrl = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
      if (!("http".equals(baseUrl.getScheme()) || "https".equals(baseUrl.getScheme())) || baseUrl.getHost() == null) {
        throw new ConfigException("quality.judge.base_url must be an http(s) URL such as https://api.openai.com/v1, was '" + base + "'");
      }
    }
    String keyEnv = settings.string("quality.judge.api_key_env", "OPENAI_API_KEY").trim();
    return new Judge(
        baseUrl,
        settings.string("quality.judge.model", "gpt-4o-mini"),
        keyEnv,
        keyEnv.isEmpty() ? null : settings.environmentVariable(keyEnv),
        between(settings, "quality.judge.concurrency", 4, 1, 64),
        between(settings, "quality.judge.requests_per_minute", 60, 1, 100_000),
        between(settings, "quality.judge.max_attempts", 4, 1, 10),
        settings.duration("quality.judge.initial_backoff", Duration.ofSeconds(1)),
        settings.duration("quality.judge.max_backoff", Duration.ofSeconds(60)),
        settings.duration("quality.judge.timeout", Duration.ofSeconds(30)),
        nonNegative(settings, "quality.judge.budget_per_hour_usd", 1.0),
        between(settings, "quality.judge.max_calls_per_hour", 1000, 1, 10_000_000),
        between(settings, "quality.judge.queue_size", 1000, 1, 1_000_000));
  }

  private static Queue queue(Object item, String where) {
    if (!(item instanceof Map<?, ?> map)) {
      throw new ConfigException(where + ": a queue is a mapping with name and filter, e.g. {name: thumbs-down, filter: 'rating <= 0'}");
    }
    Object name = map.get("name");
    if (name == null || !NAME.matcher(name.toString()).matches()) {
      throw new ConfigException(where + ": name must be lower case letters, digits, '_' or '-', was '" + name + "'");
    }
    Set<String> known = Set.of("name", "title", "filter", "sample", "window", "labels");
    for (Object key : map.keySet()) {
      if (!known.contains(String.valueOf(key))) {
        throw new ConfigException(where + ": unknown key '" + key + "' (keys: " + String.join(", ", new TreeSet<>(known)) + ")");
      }
    }
    double sample = map.get("sample") == null ? 1.0 : parse(map.get("sample"), where + ".sample");
    if (!(sample > 0 && sample <= 1)) {
      throw new ConfigException(where + ".sample must be more than 0 and at most 1, was " + map.get("sample"));
    }
    Duration window;
    try {
      window = map.get("window") == null ? Duration.ofDays(7) : Units.parseDuration(map.get("window").toString());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(where + ".window must be a duration such as 24h or 7d, was '" + map.get("window") + "'");
    }
    List<String> labels = new ArrayList<>();
    Object rawLabels = map.get("labels");
    if (rawLabels instanceof List<?> list) {
      list.forEach(label -> labels.add(String.valueOf(label).trim()));
    } else if (rawLabels != null) {
      for (String label : rawLabels.toString().split(",")) {
        if (!label.isBlank()) {
          labels.add(label.trim());
        }
      }
    }
    if (labels.size() > 9) {
      throw new ConfigException(where + ".labels: at most 9 labels (the keys a s d f g h j k l toggle them on the Review page)");
    }
    Object filter = map.get("filter");
    return new Queue(name.toString(), map.get("title") == null ? name.toString() : map.get("title").toString(),
        filter == null || filter.toString().isBlank() ? null : filter.toString().trim(), sample, window, labels);
  }

  private static double parse(Object value, String key) {
    try {
      return Double.parseDouble(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key + " must be a number, was '" + value + "'");
    }
  }

  private static int between(Settings settings, String key, int defaultValue, int min, int max) {
    int value = settings.integer(key, defaultValue);
    if (value < min || value > max) {
      throw new ConfigException(key + " must be between " + min + " and " + max + ", was " + value);
    }
    return value;
  }

  private static double nonNegative(Settings settings, String key, double defaultValue) {
    double value = settings.decimal(key, defaultValue);
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new ConfigException(key + " must be 0 or more, was " + value);
    }
    return value;
  }
}

package io.llmlog.server.quality;

import io.llmlog.server.config.ConfigException;
import io.llmlog.server.config.Settings;
import io.llmlog.server.config.Units;
import io.llmlog.server.query.kql.FieldResolver;
import io.llmlog.server.query.kql.KqlParser;
import io.llmlog.server.query.kql.KqlSyntaxException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The {@code quality:} section of llmlog.yaml: evaluators, the judge they may call, review queues,
 * and what counts as negative feedback. Every key and default is here or, for an evaluator's own
 * options, in {@link Evaluators}, which reads them on the evaluator's view while this section is
 * read; whatever no read declared is then refused by name.
 *
 * @param evaluators the evaluators in configuration order
 * @param judge the judge's endpoint and limits (used by evaluators of type {@code judge})
 * @param queues the review queues
 * @param leaseTtl how long a reviewer holds a call before another reviewer may get it
 * @param negativeFeedback KQL over quality records that marks negative feedback
 * @param runPageSize how many calls a scoring run scores between two checkpoints
 */
public record QualitySettings(
    List<Spec> evaluators,
    Judge judge,
    List<Queue> queues,
    Duration leaseTtl,
    String negativeFeedback,
    int runPageSize) {
  static final Set<String> TYPES =
      Set.of(
          "json", "regex", "contains", "length", "refusal", "language", "pii", "budget", "judge");
  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

  /**
   * At most this many labels per queue: the keys a s d f g h j k l toggle them on the Review page.
   */
  static final int MAX_LABELS = 9;

  private static final KqlParser CALLS_WITH_QUALITY =
      new KqlParser(FieldResolver.callsWithQuality(), false);

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
   * @param options the evaluator's own view of the settings, whose errors read {@code
   *     quality.evaluators[2] (name): option: problem}; its type's options are read from it
   */
  public record Spec(String name, String type, String filter, double sample, Settings options) {
    /** True for the evaluators that run asynchronously, calling the judge. */
    public boolean judged() {
      return type.equals("judge");
    }

    ConfigException error(String key, String problem) {
      return options.problem(key, problem);
    }
  }

  /**
   * The judge: an OpenAI-compatible chat completions endpoint.
   *
   * @param baseUrl e.g. {@code https://api.openai.com/v1}; {@code /chat/completions} is appended
   * @param model the judge model
   * @param apiKeyEnv the environment variable holding the API key (the key itself is never in the
   *     file)
   * @param apiKey the key read from it, or null; never logged, stored or shown
   * @param concurrency judge requests in flight at most
   * @param requestsPerMinute requests started per minute at most
   * @param maxAttempts attempts per judgement, the first included
   * @param initialBackoff the wait before the second attempt, doubled for each further one
   * @param maxBackoff the longest wait between attempts (a longer Retry-After is honoured)
   * @param timeout how long one request may take
   * @param budgetPerHourUsd what the judge may cost per hour on this server, by the price table
   * @param maxCallsPerHour judge requests per hour on this server
   * @param queueSize calls waiting to be judged at most; beyond, live calls are not judged
   *     (counted)
   */
  public record Judge(
      URI baseUrl,
      String model,
      String apiKeyEnv,
      String apiKey,
      int concurrency,
      int requestsPerMinute,
      int maxAttempts,
      Duration initialBackoff,
      Duration maxBackoff,
      Duration timeout,
      double budgetPerHourUsd,
      int maxCallsPerHour,
      int queueSize) {
    @Override
    public String toString() {
      // The key stays out of every message, log line and dump.
      return "Judge["
          + baseUrl
          + ", "
          + model
          + ", key from $"
          + apiKeyEnv
          + (apiKey == null ? " (unset)" : "")
          + "]";
    }
  }

  /**
   * A review queue: the calls matching {@code filter} in the last {@code window}, a sample of them,
   * and the labels offered.
   */
  public record Queue(
      String name,
      String title,
      String filter,
      double sample,
      Duration window,
      List<String> labels) {
    public Queue {
      labels = List.copyOf(labels);
    }
  }

  /**
   * Reads {@code quality.*}, applying defaults, and checks what it names: every evaluator's options
   * and filter, every queue's filter and the negative-feedback query.
   *
   * @throws ConfigException naming the key, evaluator or queue that is wrong, or the first unknown
   *     key
   */
  public static QualitySettings from(Settings settings) {
    List<Spec> evaluators = new ArrayList<>();
    List<Settings> configured = settings.items("quality.evaluators");
    Set<String> names = new TreeSet<>();
    for (int i = 0; configured != null && i < configured.size(); i++) {
      Spec spec = spec(configured.get(i), i);
      if (!names.add(spec.name())) {
        throw spec.options().problem("another evaluator is named '" + spec.name() + "'");
      }
      // Reading its options declares them: the evaluator is built here once to check them. A
      // misspelt option explains a missing one best, so unknown options are named first.
      try {
        Evaluators.build(spec, List.of());
      } catch (ConfigException e) {
        spec.options().rejectUnknown("");
        throw e;
      }
      spec.options().rejectUnknown("");
      evaluators.add(spec);
    }
    Judge judge = judge(settings.at("quality.judge"));
    if (judge.baseUrl() == null && evaluators.stream().anyMatch(Spec::judged)) {
      throw settings.problem(
          "quality.judge.base_url",
          "is needed by the judge evaluators (e.g. https://api.openai.com/v1)");
    }
    List<Queue> queues = new ArrayList<>();
    List<Settings> queueItems = settings.items("quality.queues");
    Set<String> queueNames = new TreeSet<>();
    for (int i = 0; queueItems != null && i < queueItems.size(); i++) {
      Queue queue = queue(queueItems.get(i));
      if (!queueNames.add(queue.name())) {
        throw queueItems.get(i).problem("another queue is named '" + queue.name() + "'");
      }
      queues.add(queue);
    }
    Duration leaseTtl = settings.duration("quality.review.lease_ttl", Duration.ofMinutes(10));
    if (leaseTtl.compareTo(Duration.ofSeconds(10)) < 0
        || leaseTtl.compareTo(Duration.ofHours(24)) > 0) {
      throw settings.invalid(
          "quality.review.lease_ttl", Units.formatDuration(leaseTtl), "between 10s and 24h");
    }
    String negativeFeedback = settings.string("quality.negative_feedback", "rating <= 0");
    checkKql(settings, "quality.negative_feedback", negativeFeedback);
    QualitySettings read =
        new QualitySettings(
            evaluators,
            judge,
            queues,
            leaseTtl,
            negativeFeedback,
            between(settings, "quality.run_page_size", 100, 1, 1000));
    settings.rejectUnknown("quality");
    return read;
  }

  private static Spec spec(Settings item, int index) {
    if (!(item.value() instanceof java.util.Map)) {
      throw item.problem(
          "an evaluator is a mapping with name and type, e.g. {name: json_ok, type: json}");
    }
    String name = item.string("name", null);
    if (name == null || !NAME.matcher(name.trim()).matches()) {
      throw item.invalid(
          "name",
          name,
          "lower case letters, digits, '_' or '-' (at most 64): it names the score, scores.<name>");
    }
    name = name.trim();
    Settings options = item.labelled("quality.evaluators[" + index + "] (" + name + ")", "option");
    String type = options.string("type", null);
    if (type == null || !TYPES.contains(type.trim())) {
      throw options.invalid("type", type, "one of " + String.join(", ", new TreeSet<>(TYPES)));
    }
    double sample = options.decimal("sample", 1.0);
    if (!(sample >= 0 && sample <= 1)) {
      throw options.invalid("sample", sample, "a number from 0 to 1");
    }
    String filter = options.string("filter", null);
    return new Spec(
        name,
        type.trim(),
        filter == null || filter.isBlank() ? null : filter.trim(),
        sample,
        options);
  }

  private static Judge judge(Settings judge) {
    String base = judge.string("base_url", "").trim();
    URI baseUrl = null;
    if (!base.isEmpty()) {
      try {
        baseUrl = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
      } catch (IllegalArgumentException e) {
        baseUrl = null;
      }
      if (baseUrl == null
          || !("http".equals(baseUrl.getScheme()) || "https".equals(baseUrl.getScheme()))
          || baseUrl.getHost() == null) {
        throw judge.invalid("base_url", base, "an http(s) URL such as https://api.openai.com/v1");
      }
    }
    String keyEnv = judge.string("api_key_env", "OPENAI_API_KEY").trim();
    if (keyEnv.startsWith("LLMLOG_")) {
      // LLMLOG_* variables are llmlog's settings; one that is none refuses the start.
      throw judge.invalid(
          "api_key_env", keyEnv, "the name of a variable outside LLMLOG_*, such as OPENAI_API_KEY");
    }
    return new Judge(
        baseUrl,
        judge.string("model", "gpt-4o-mini"),
        keyEnv,
        keyEnv.isEmpty() ? null : judge.environmentVariable(keyEnv),
        between(judge, "concurrency", 4, 1, 64),
        between(judge, "requests_per_minute", 60, 1, 100_000),
        between(judge, "max_attempts", 4, 1, 10),
        judge.duration("initial_backoff", Duration.ofSeconds(1)),
        judge.duration("max_backoff", Duration.ofSeconds(60)),
        judge.duration("timeout", Duration.ofSeconds(30)),
        nonNegative(judge, "budget_per_hour_usd", 1.0),
        between(judge, "max_calls_per_hour", 1000, 1, 10_000_000),
        between(judge, "queue_size", 1000, 1, 1_000_000));
  }

  private static Queue queue(Settings item) {
    if (!(item.value() instanceof java.util.Map)) {
      throw item.problem(
          "a queue is a mapping with name and filter, e.g. {name: thumbs-down, filter: 'rating <= 0'}");
    }
    String name = item.string("name", null);
    if (name == null || !NAME.matcher(name).matches()) {
      throw item.invalid("name", name, "lower case letters, digits, '_' or '-' (at most 64)");
    }
    double sample = item.decimal("sample", 1.0);
    if (!(sample > 0 && sample <= 1)) {
      throw item.invalid("sample", sample, "more than 0 and at most 1");
    }
    Duration window = item.duration("window", Duration.ofDays(7));
    List<String> labels = item.strings("labels", List.of());
    if (labels.size() > MAX_LABELS) {
      throw item.problem(
          "labels",
          "at most "
              + MAX_LABELS
              + " labels (the keys a s d f g h j k l toggle them on the Review page)");
    }
    String filter = item.string("filter", null);
    filter = filter == null || filter.isBlank() ? null : filter.trim();
    if (filter != null) {
      checkKql(item, "filter", filter);
    }
    return new Queue(name, item.string("title", name), filter, sample, window, labels);
  }

  /**
   * Checks KQL over calls and their quality records, as queues and the negative-feedback query are
   * written.
   */
  private static void checkKql(Settings settings, String key, String kql) {
    try {
      CALLS_WITH_QUALITY.toQuery(kql);
    } catch (KqlSyntaxException e) {
      throw settings.problem(key, "bad KQL at position " + e.position() + ": " + e.reason());
    }
  }

  private static int between(Settings settings, String key, int defaultValue, int min, int max) {
    int value = settings.integer(key, defaultValue);
    if (value < min || value > max) {
      throw settings.invalid(key, value, "between " + min + " and " + max);
    }
    return value;
  }

  private static double nonNegative(Settings settings, String key, double defaultValue) {
    double value = settings.decimal(key, defaultValue);
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw settings.invalid(key, value, "0 or more");
    }
    return value;
  }
}

package io.llmlog.server.alert;

import io.llmlog.server.config.ConfigException;
import io.llmlog.server.config.Settings;
import io.llmlog.server.config.Units;
import io.llmlog.server.live.LiveSettings;
import io.llmlog.server.live.ViewSpec;
import io.llmlog.server.query.kql.KqlParser;
import io.llmlog.server.query.kql.KqlSyntaxException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * The alert rules in force: the built-in defaults (the brief's HighErrorRate and SlowInference),
 * then {@code alerts.rules} from llmlog.yaml, then the rules of {@code alerts.rules_file}. A rule
 * with the name of an earlier one replaces it; {@code alerts.default_rules: false} drops the
 * defaults. Every problem of every rule is collected before anything is refused, each with its
 * file, line and rule.
 */
public final class AlertRules {
  static final Set<String> KEYS =
      Set.of(
          "alert",
          "condition",
          "window",
          "severity",
          "filter",
          "group_by",
          "for",
          "min_count",
          "labels",
          "summary",
          "repeat_interval");
  static final Duration DEFAULT_REPEAT = Duration.ofHours(4);
  static final int MAX_GROUP_BY = 3;
  static final String DEFAULTS = "default-rules.yaml";

  private final List<Rule> rules;

  private AlertRules(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  List<Rule> rules() {
    return rules;
  }

  /** How many rules are in force. */
  public int size() {
    return rules.size();
  }

  /**
   * The rules of a server's configuration.
   *
   * @throws RulesException listing every problem
   */
  public static AlertRules load(Settings settings, LiveSettings live) {
    Duration repeat = settings.duration("alerts.repeat_interval", DEFAULT_REPEAT);
    Loader loader = new Loader(live, repeat);
    Map<String, Rule> rules = new LinkedHashMap<>();
    if (settings.bool("alerts.default_rules", true)) {
      loader.addAll(rules, defaults(), "defaults");
    }
    if (settings.has("alerts.rules")) {
      loader.addAll(
          rules,
          loader.items(settings, "alerts.rules", sourceFile(settings)),
          sourceFile(settings));
    }
    String file = settings.string("alerts.rules_file", null);
    if (file != null && !file.isBlank()) {
      Path path = Path.of(file.trim());
      Settings rulesFile = loader.readFile(path);
      if (rulesFile != null) {
        loader.addAll(rules, loader.items(rulesFile, "rules", path.toString()), path.toString());
      }
    }
    if (!loader.problems.isEmpty()) {
      throw new RulesException(loader.problems);
    }
    return new AlertRules(new ArrayList<>(rules.values()));
  }

  /** What {@code ./llmlog rules check FILE} found. */
  public record Check(List<String> rules, List<RuleProblem> problems) {
    public boolean valid() {
      return problems.isEmpty();
    }
  }

  /**
   * Checks a rules file (a list of rules, or a mapping with {@code rules:}) or an llmlog.yaml (its
   * {@code alerts.rules} and {@code live.retention}), without the defaults.
   */
  public static Check check(Path file) {
    LiveSettings live = LiveSettings.defaults();
    Loader loader = new Loader(live, DEFAULT_REPEAT);
    Settings root = loader.readFile(file);
    Map<String, Rule> rules = new LinkedHashMap<>();
    if (root != null) {
      boolean config = root.keys().contains("alerts");
      if (config && root.raw("live.retention") != null) {
        try {
          Duration retention = Units.parseDuration(String.valueOf(root.raw("live.retention")));
          loader.live =
              new LiveSettings(
                  retention, live.groupBy(), live.maxSeriesPerMinute(), live.sketchFields());
        } catch (RuntimeException ignored) {
          // The server reports a bad retention itself; rules are checked against the default then.
        }
      }
      String key = config ? "alerts.rules" : "rules";
      if (root.raw(key) == null) {
        loader.problem(
            file.toString(),
            root.line(),
            null,
            "no rules found: expected a list of rules (- alert: ...), 'rules:' or 'alerts: rules:'");
      } else {
        loader.addAll(rules, loader.items(root, key, file.toString()), file.toString());
      }
    }
    List<String> summary = new ArrayList<>();
    for (Rule rule : rules.values()) {
      summary.add(
          rule.name()
              + " ["
              + rule.severity()
              + "] "
              + rule.condition().text()
              + " over "
              + rule.windowText()
              + (rule.filter() == null ? "" : " where " + rule.filter())
              + (rule.groupBy().isEmpty() ? "" : " per " + String.join(", ", rule.groupBy()))
              + (rule.minCount() > 0
                  ? ", at least " + Template.number(rule.minCount()) + " calls"
                  : "")
              + (rule.pendingFor().isZero()
                  ? ""
                  : ", for " + Units.formatDuration(rule.pendingFor())));
    }
    return new Check(summary, loader.problems);
  }

  /**
   * The views the live aggregates need: the dashboard's, extended with what rules over all calls
   * count and sketch, and one per other filter and grouping the rules use.
   */
  public List<ViewSpec> views(ViewSpec dashboard) {
    List<ViewSpec> views = new ArrayList<>();
    views.add(dashboard);
    for (Rule rule : rules) {
      if (ScoreRules.isScoreRule(rule.condition())) {
        continue; // Read from the quality records, not the live call aggregates.
      }
      Set<String> counts = rule.condition().countFilters();
      Set<String> sketches = rule.condition().sketchFields();
      boolean served = false;
      for (int i = 0; i < views.size() && !served; i++) {
        if (views.get(i).serves(rule.filter(), rule.groupBy())) {
          views.set(i, views.get(i).with(counts, sketches));
          served = true;
        }
      }
      if (!served) {
        views.add(new ViewSpec(rule.filter(), rule.groupBy(), counts, sketches));
      }
    }
    return views;
  }

  static List<Settings> defaults() {
    try (InputStream in = AlertRules.class.getResourceAsStream(DEFAULTS)) {
      if (in == null) {
        throw new IllegalStateException(
            "the built-in rules " + DEFAULTS + " are missing from the jar");
      }
      return Settings.parseSection(
              new String(in.readAllBytes(), StandardCharsets.UTF_8), DEFAULTS, "rules")
          .items("rules");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The file {@code alerts.rules} was read from, for messages with lines; the settings' source
   * otherwise.
   */
  private static String sourceFile(Settings settings) {
    String source = settings.source();
    return source != null
            && !source.equals("defaults")
            && !source.equals("map")
            && Files.isRegularFile(Path.of(source))
        ? source
        : source + " alerts.rules";
  }

  /** Turns YAML into rules, collecting problems. */
  private static final class Loader {
    final List<RuleProblem> problems = new ArrayList<>();
    final KqlParser kql = new KqlParser();
    final ConditionParser conditions = new ConditionParser(kql);
    final Duration defaultRepeat;
    LiveSettings live;

    Loader(LiveSettings live, Duration defaultRepeat) {
      this.live = live;
      this.defaultRepeat = defaultRepeat;
    }

    /**
     * A rules file (a list of rules, or a mapping with {@code rules:}), or null when it cannot be
     * read.
     */
    Settings readFile(Path file) {
      if (!Files.exists(file)) {
        problem(file.toString(), 0, null, "the rules file does not exist");
        return null;
      }
      try {
        return Settings.loadSection(file, "rules");
      } catch (ConfigException e) {
        problem(
            file.toString(),
            0,
            null,
            e.getCause() instanceof YamlEngineException yaml
                ? "not valid YAML: " + yaml.getMessage().replace('\n', ' ')
                : e.getMessage());
        return null;
      }
    }

    /** The rules under {@code key}, or null (and a problem) when they are not a list. */
    List<Settings> items(Settings settings, String key, String source) {
      try {
        return settings.items(key);
      } catch (ConfigException notAList) {
        problem(source, settings.line(key), null, "the rules must be a list (- alert: ...)");
        return null;
      }
    }

    void problem(String source, int line, String rule, String message) {
      problems.add(new RuleProblem(source, line, rule, message));
    }

    void addAll(Map<String, Rule> rules, List<Settings> list, String source) {
      if (list == null) {
        return;
      }
      Set<String> seen = new LinkedHashSet<>();
      int index = 0;
      for (Settings item : list) {
        index++;
        Rule rule = rule(item, index, source);
        if (rule == null) {
          continue;
        }
        if (!seen.add(rule.name())) {
          problem(
              source,
              item.line(),
              "'" + rule.name() + "'",
              "another rule in " + source + " has the same name");
          continue;
        }
        rules.put(rule.name(), rule);
      }
    }

    private Rule rule(Settings item, int index, String source) {
      int before = problems.size();
      if (!(item.value() instanceof Map)) {
        problem(
            source,
            item.line(),
            "#" + index,
            "a rule must be a mapping with alert, condition, window and severity");
        return null;
      }
      String name = text(item, "alert");
      String label = name == null || name.isBlank() ? "#" + index : "'" + name.trim() + "'";
      if (name == null || name.isBlank()) {
        problem(source, item.line(), label, "missing 'alert' (the rule's name)");
      }
      for (String key : item.keys()) {
        if (!KEYS.contains(key)) {
          problem(
              source,
              item.line(key),
              label,
              "unknown key '" + key + "' (keys: " + String.join(", ", new TreeSet<>(KEYS)) + ")");
        }
      }
      Condition condition = null;
      String conditionText = text(item, "condition");
      if (conditionText == null || conditionText.isBlank()) {
        problem(
            source,
            item.keys().contains("condition") ? item.line("condition") : item.line(),
            label,
            "missing 'condition' (e.g. condition: count(errors) / count(all) > 0.05)");
      } else {
        try {
          condition = conditions.parse(conditionText);
        } catch (ConditionParser.ConditionException e) {
          problem(source, item.line("condition"), label, "condition: " + e.getMessage());
        }
      }
      // group_by and labels before the summary: its template may name them. A rule on scores
      // groups by the quality records' fields, which the condition tells.
      boolean scores = condition != null && ScoreRules.isScoreRule(condition);
      List<String> groupBy = groupBy(item, source, label, scores);
      Map<String, String> labels = labels(item, source, label);

      Duration window = null;
      String windowText = text(item, "window");
      if (windowText == null) {
        problem(
            source,
            item.keys().contains("window") ? item.line("window") : item.line(),
            label,
            "missing 'window' (e.g. window: 5m)");
      } else {
        window = window(windowText, item.line("window"), source, label);
      }

      String severity = "warning";
      String severityText = text(item, "severity");
      if (item.keys().contains("severity")) {
        severity = severityText == null ? "" : severityText.trim();
        if (!Rule.SEVERITIES.contains(severity)) {
          problem(
              source,
              item.line("severity"),
              label,
              "severity '" + severity + "' is not one of " + String.join(", ", Rule.SEVERITIES));
        }
      }

      String filter = null;
      Object filterValue = item.raw("filter");
      if (scores) {
        String problem =
            ScoreRules.problem(
                condition,
                filterValue instanceof String text && !text.isBlank() ? text.trim() : null,
                groupBy);
        if (problem != null) {
          problem(source, item.line("condition"), label, problem);
        }
      }
      if (filterValue instanceof String text && !text.isBlank()) {
        filter = text.trim();
        try {
          if (!scores) {
            kql.toMatcher(filter);
          }
        } catch (KqlSyntaxException e) {
          problem(
              source,
              item.line("filter"),
              label,
              "filter: bad KQL at position " + e.position() + ": " + e.reason());
        }
      } else if (filterValue != null && !(filterValue instanceof String)) {
        problem(
            source, item.line("filter"), label, "filter must be a KQL query such as model:gpt-4");
      }

      Duration pendingFor =
          duration(item, "for", Duration.ZERO, Duration.ZERO, Duration.ofHours(24), source, label);
      Duration repeat =
          duration(
              item,
              "repeat_interval",
              defaultRepeat,
              Duration.ofMinutes(1),
              Duration.ofDays(30),
              source,
              label);
      double minCount = minCount(item, source, label);

      Template summary = null;
      String summaryText = text(item, "summary");
      if (summaryText != null) {
        Set<String> known = new TreeSet<>(labels.keySet());
        known.addAll(groupBy);
        known.add("alertname");
        known.add("severity");
        try {
          summary = Template.parse(summaryText, known);
        } catch (IllegalArgumentException e) {
          problem(source, item.line("summary"), label, "summary: " + e.getMessage());
        }
      }
      if (problems.size() > before) {
        return null;
      }
      return new Rule(
          name.trim(),
          condition,
          window,
          severity,
          filter,
          groupBy,
          pendingFor,
          minCount,
          labels,
          summary,
          repeat,
          source.equals("defaults") ? "defaults" : source + ":" + item.line());
    }

    /**
     * A scalar as text (YAML reads {@code min_count: 20} as a number); null when unset or not a
     * scalar.
     */
    private static String text(Settings item, String key) {
      Object value = item.raw(key);
      return value == null || value instanceof Map || value instanceof List
          ? null
          : String.valueOf(value);
    }

    private Duration window(String text, int line, String source, String label) {
      Duration window;
      try {
        window = Units.parseDuration(text);
      } catch (RuntimeException e) {
        problem(
            source, line, label, "window '" + text + "' is not a duration such as 5m, 10m or 1h");
        return null;
      }
      if (window.toMillis() % 60_000 != 0 || window.isZero()) {
        problem(
            source,
            line,
            label,
            "window "
                + text
                + " must be whole minutes, at least 1m (live aggregates are per minute)");
        return null;
      }
      if (window.compareTo(live.retention()) > 0) {
        problem(
            source,
            line,
            label,
            "window "
                + text
                + " is longer than live.retention ("
                + Units.formatDuration(live.retention())
                + "), the memory the live aggregates keep");
        return null;
      }
      return window;
    }

    private Duration duration(
        Settings item,
        String key,
        Duration defaultValue,
        Duration min,
        Duration max,
        String source,
        String label) {
      String text = text(item, key);
      if (text == null) {
        return defaultValue;
      }
      try {
        Duration value = Units.parseDuration(text);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
          problem(
              source,
              item.line(key),
              label,
              key
                  + " must be between "
                  + Units.formatDuration(min)
                  + " and "
                  + Units.formatDuration(max)
                  + ", was "
                  + text);
        }
        return value;
      } catch (RuntimeException e) {
        problem(
            source,
            item.line(key),
            label,
            key + " '" + text + "' is not a duration such as 30s, 5m or 4h");
        return defaultValue;
      }
    }

    private double minCount(Settings item, String source, String label) {
      String text = text(item, "min_count");
      if (text == null) {
        return 0;
      }
      try {
        double value = Double.parseDouble(text.trim());
        if (!(value >= 0) || Double.isInfinite(value)) {
          throw new NumberFormatException();
        }
        return value;
      } catch (NumberFormatException e) {
        problem(
            source,
            item.line("min_count"),
            label,
            "min_count must be a number of calls, 0 or more, was '" + text + "'");
        return 0;
      }
    }

    private List<String> groupBy(Settings item, String source, String label, boolean scores) {
      Object value = item.raw("group_by");
      if (value == null) {
        return List.of();
      }
      int line = item.line("group_by");
      List<String> fields = new ArrayList<>();
      if (value instanceof List<?> list) {
        for (Object field : list) {
          fields.add(
              field == null || field instanceof Map || field instanceof List
                  ? ""
                  : String.valueOf(field).trim());
        }
      } else if (value instanceof Map) {
        problem(
            source,
            line,
            label,
            "group_by must be a field or a list of fields, e.g. group_by: [model]");
        return List.of();
      } else {
        for (String part : String.valueOf(value).split(",")) {
          if (!part.isBlank()) {
            fields.add(part.trim());
          }
        }
      }
      if (fields.size() > MAX_GROUP_BY) {
        problem(source, line, label, "group_by takes at most " + MAX_GROUP_BY + " fields");
      }
      for (String field : fields) {
        String problem = scores ? null : LiveSettings.groupFieldProblem(field);
        if (problem != null) {
          problem(source, line, label, "group_by: " + problem);
        }
      }
      if (new LinkedHashSet<>(fields).size() != fields.size()) {
        problem(source, line, label, "group_by names a field twice");
      }
      return List.copyOf(fields);
    }

    private Map<String, String> labels(Settings item, String source, String label) {
      Object value = item.raw("labels");
      if (value == null) {
        return Map.of();
      }
      if (!(value instanceof Map)) {
        problem(
            source,
            item.line("labels"),
            label,
            "labels must be a mapping, e.g. labels: {team: ml-platform}");
        return Map.of();
      }
      Map<String, String> labels = new LinkedHashMap<>();
      item.map("labels")
          .forEach(
              (key, text) -> {
                int line = item.at("labels").line(key);
                if (key.equals("alertname") || key.equals("severity")) {
                  problem(
                      source,
                      line,
                      label,
                      "label '" + key + "' is set by llmlog; use the rule's alert or severity");
                } else if (text == null || text instanceof Map || text instanceof List) {
                  problem(source, line, label, "label '" + key + "' must have a text value");
                } else {
                  labels.put(key, String.valueOf(text));
                }
              });
      return labels;
    }
  }
}

package io.llmlog.server.alert;

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
import java.nio.file.NoSuchFileException;
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
  static final Set<String> KEYS = Set.of("alert", "condition", "window", "severity", "filter", "group_by", "for", "min_count", "labels",
      "summary", "repeat_interval");
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
      loader.addAll(rules, defaults(), "defaults", "defaults");
    }
    Object inline = settings.raw("alerts.rules");
    if (inline != null) {
      YamlTree.Located located = inlineRules(settings);
      loader.addAll(rules, located, settings.source() + " alerts.rules", sourceFile(settings));
    }
    String file = settings.string("alerts.rules_file", null);
    if (file != null && !file.isBlank()) {
      Path path = Path.of(file.trim());
      YamlTree.Located located = loader.readFile(path);
      if (located != null) {
        loader.addAll(rules, rulesOf(located, loader, path.toString()), path.toString(), path.toString());
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
    YamlTree.Located root = loader.readFile(file);
    Map<String, Rule> rules = new LinkedHashMap<>();
    if (root != null) {
      YamlTree.Located list = root.get("alerts") != null ? root.get("alerts").get("rules") : rulesOf(root, loader, file.toString());
      if (root.get("alerts") != null && root.get("live") != null && root.get("live").get("retention") != null) {
        try {
          Duration retention = Units.parseDuration(root.get("live").get("retention").text());
          loader.live = new LiveSettings(retention, live.groupBy(), live.maxSeriesPerMinute(), live.sketchFields());
        } catch (RuntimeException ignored) {
          // The server reports a bad retention itself; rules are checked against the default then.
        }
      }
      if (list == null) {
        loader.problem(file.toString(), root.line(), null, "no rules found: expected a list of rules (- alert: ...), 'rules:' or 'alerts: rules:'");
      } else {
        loader.addAll(rules, list, file.toString(), file.toString());
      }
    }
    List<String> summary = new ArrayList<>();
    for (Rule rule : rules.values()) {
      summary.add(rule.name() + " [" + rule.severity() + "] " + rule.condition().text() + " over " + rule.windowText()
          + (rule.filter() == null ? "" : " where " + rule.filter())
          + (rule.groupBy().isEmpty() ? "" : " per " + String.join(", ", rule.groupBy()))
          + (rule.minCount() > 0 ? ", at least " + Template.number(rule.minCount()) + " calls" : "")
          + (rule.pendingFor().isZero() ? "" : ", for " + Units.formatDuration(rule.pendingFor())));
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

  static YamlTree.Located defaults() {
    try (InputStream in = AlertRules.class.getResourceAsStream(DEFAULTS)) {
      if (in == null) {
        throw new IllegalStateException("the built-in rules " + DEFAULTS + " are missing from the jar");
      }
      return YamlTree.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), DEFAULTS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code alerts.rules} with lines when it came from the config file, without otherwise. */
  private static YamlTree.Located inlineRules(Settings settings) {
    Path file = sourceFile(settings) == null ? null : Path.of(sourceFile(settings));
    if (file != null) {
      try {
        YamlTree.Located root = YamlTree.read(file);
        YamlTree.Located alerts = root.get("alerts");
        if (alerts != null && alerts.get("rules") != null) {
          return alerts.get("rules");
        }
      } catch (IOException | RuntimeException unreadable) {
        // Settings already read this file; fall back to its values, without lines.
      }
    }
    return YamlTree.fromObject(settings.raw("alerts.rules"));
  }

  private static String sourceFile(Settings settings) {
    String source = settings.source();
    return source != null && !source.equals("defaults") && !source.equals("map") && Files.isRegularFile(Path.of(source)) ? source : null;
  }

  /** The rule list of a rules file: the document itself, or its {@code rules:}. */
  private static YamlTree.Located rulesOf(YamlTree.Located root, Loader loader, String source) {
    if (root.list() != null) {
      return root;
    }
    if (root.get("rules") != null) {
      return root.get("rules");
    }
    return null;
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

    YamlTree.Located readFile(Path file) {
      try {
        return YamlTree.read(file);
      } catch (NoSuchFileException e) {
        problem(file.toString(), 0, null, "the rules file does not exist");
      } catch (IOException e) {
        problem(file.toString(), 0, null, "cannot read the rules file: " + e.getMessage());
      } catch (YamlEngineException e) {
        problem(file.toString(), 0, null, "not valid YAML: " + e.getMessage().replace('\n', ' '));
      }
      return null;
    }

    void problem(String source, int line, String rule, String message) {
      problems.add(new RuleProblem(source, line, rule, message));
    }

    void addAll(Map<String, Rule> rules, YamlTree.Located list, String source, String file) {
      String where = file == null ? source : file;
      if (list == null || list.list() == null) {
        problem(where, list == null ? 0 : list.line(), null, "the rules must be a list (- alert: ...)");
        return;
      }
      Set<String> seen = new LinkedHashSet<>();
      int index = 0;
      for (YamlTree.Located item : list.list()) {
        index++;
        Rule rule = rule(item, index, where);
        if (rule == null) {
          continue;
        }
        if (!seen.add(rule.name())) {
          problem(where, item.line(), "'" + rule.name() + "'", "another rule in " + where + " has the same name");
          continue;
        }
        rules.put(rule.name(), rule);
      }
    }

    private Rule rule(YamlTree.Located item, int index, String source) {
      int before = problems.size();
      Map<String, YamlTree.Located> fields = item.map();
      if (fields == null) {
        problem(source, item.line(), "#" + index, "a rule must be a mapping with alert, condition, window and severity");
        return null;
      }
      YamlTree.Located nameNode = fields.get("alert");
      String name = nameNode == null ? null : nameNode.text();
      String label = name == null || name.isBlank() ? "#" + index : "'" + name.trim() + "'";
      if (name == null || name.isBlank()) {
        problem(source, item.line(), label, "missing 'alert' (the rule's name)");
      }
      for (Map.Entry<String, YamlTree.Located> field : fields.entrySet()) {
        if (!KEYS.contains(field.getKey())) {
          problem(source, field.getValue().line(), label, "unknown key '" + field.getKey() + "' (keys: " + String.join(", ", new TreeSet<>(KEYS)) + ")");
        }
      }
      Condition condition = null;
      YamlTree.Located conditionNode = fields.get("condition");
      if (conditionNode == null || conditionNode.text() == null || conditionNode.text().isBlank()) {
        problem(source, conditionNode == null ? item.line() : conditionNode.line(), label,
            "missing 'condition' (e.g. condition: count(errors) / count(all) > 0.05)");
      } else {
        try {
          condition = conditions.parse(conditionNode.text());
        } catch (ConditionParser.ConditionException e) {
          problem(source, conditionNode.line(), label, "condition: " + e.getMessage());
        }
      }
      // group_by and labels before the summary: its template may name them.
      List<String> groupBy = groupBy(fields.get("group_by"), source, label, condition != null && ScoreRules.isScoreRule(condition));
      Map<String, String> labels = labels(fields.get("labels"), source, label);


      Duration window = null;
      YamlTree.Located windowNode = fields.get("window");
      if (windowNode == null || windowNode.text() == null) {
        problem(source, windowNode == null ? item.line() : windowNode.line(), label, "missing 'window' (e.g. window: 5m)");
      } else {
        window = window(windowNode, source, label);
      }

      String severity = "warning";
      YamlTree.Located severityNode = fields.get("severity");
      if (severityNode != null) {
        severity = severityNode.text() == null ? "" : severityNode.text().trim();
        if (!Rule.SEVERITIES.contains(severity)) {
          problem(source, severityNode.line(), label, "severity '" + severity + "' is not one of " + String.join(", ", Rule.SEVERITIES));
        }
      }

      String filter = null;
      YamlTree.Located filterNode = fields.get("filter");
      boolean scores = condition != null && ScoreRules.isScoreRule(condition);
      if (scores) {
        String problem = ScoreRules.problem(condition, filterNode == null || filterNode.text() == null || filterNode.text().isBlank() ? null
            : filterNode.text().trim(), groupBy);
        if (problem != null) {
          problem(source, conditionNode.line(), label, problem);
        }
      }
      if (filterNode != null && filterNode.text() != null && !filterNode.text().isBlank()) {
        filter = filterNode.text().trim();
        try {
          if (!scores) {
            kql.toMatcher(filter);
          }
        } catch (KqlSyntaxException e) {
          problem(source, filterNode.line(), label, "filter: bad KQL at position " + e.position() + ": " + e.reason());
        }
      } else if (filterNode != null && filterNode.value() != null) {
        problem(source, filterNode.line(), label, "filter must be a KQL query such as model:gpt-4");
      }

      Duration pendingFor = duration(fields.get("for"), Duration.ZERO, Duration.ZERO, Duration.ofHours(24), source, label, "for");
      Duration repeat = duration(fields.get("repeat_interval"), defaultRepeat, Duration.ofMinutes(1), Duration.ofDays(30), source, label,
          "repeat_interval");
      double minCount = minCount(fields.get("min_count"), source, label);

      Template summary = null;
      YamlTree.Located summaryNode = fields.get("summary");
      if (summaryNode != null && summaryNode.text() != null) {
        Set<String> known = new TreeSet<>(labels.keySet());
        known.addAll(groupBy);
        known.add("alertname");
        known.add("severity");
        try {
          summary = Template.parse(summaryNode.text(), known);
        } catch (IllegalArgumentException e) {
          problem(source, summaryNode.line(), label, "summary: " + e.getMessage());
        }
      }
      if (problems.size() > before) {
        return null;
      }
      return new Rule(name.trim(), condition, window, severity, filter, groupBy, pendingFor, minCount, labels, summary, repeat,
          source.equals("defaults") ? "defaults" : source + ":" + item.line());
    }

    private Duration window(YamlTree.Located node, String source, String label) {
      Duration window;
      try {
        window = Units.parseDuration(node.text());
      } catch (RuntimeException e) {
        problem(source, node.line(), label, "window '" + node.text() + "' is not a duration such as 5m, 10m or 1h");
        return null;
      }
      if (window.toMillis() % 60_000 != 0 || window.isZero()) {
        problem(source, node.line(), label, "window " + node.text() + " must be whole minutes, at least 1m (live aggregates are per minute)");
        return null;
      }
      if (window.compareTo(live.retention()) > 0) {
        problem(source, node.line(), label, "window " + node.text() + " is longer than live.retention (" + Units.formatDuration(live.retention())
            + "), the memory the live aggregates keep");
        return null;
      }
      return window;
    }

    private Duration duration(YamlTree.Located node, Duration defaultValue, Duration min, Duration max, String source, String label, String key) {
      if (node == null || node.text() == null) {
        return defaultValue;
      }
      try {
        Duration value = Units.parseDuration(node.text());
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
          problem(source, node.line(), label, key + " must be between " + Units.formatDuration(min) + " and " + Units.formatDuration(max)
              + ", was " + node.text());
        }
        return value;
      } catch (RuntimeException e) {
        problem(source, node.line(), label, key + " '" + node.text() + "' is not a duration such as 30s, 5m or 4h");
        return defaultValue;
      }
    }

    private double minCount(YamlTree.Located node, String source, String label) {
      if (node == null || node.text() == null) {
        return 0;
      }
      try {
        double value = Double.parseDouble(node.text().trim());
        if (!(value >= 0) || Double.isInfinite(value)) {
          throw new NumberFormatException();
        }
        return value;
      } catch (NumberFormatException e) {
        problem(source, node.line(), label, "min_count must be a number of calls, 0 or more, was '" + node.text() + "'");
        return 0;
      }
    }

    private List<String> groupBy(YamlTree.Located node, String source, String label, boolean scores) {
      if (node == null || node.value() == null) {
        return List.of();
      }
      List<String> fields = new ArrayList<>();
      if (node.text() != null) {
        for (String part : node.text().split(",")) {
          if (!part.isBlank()) {
            fields.add(part.trim());
          }
        }
      } else if (node.list() != null) {
        for (YamlTree.Located item : node.list()) {
          fields.add(item.text() == null ? "" : item.text().trim());
        }
      } else {
        problem(source, node.line(), label, "group_by must be a field or a list of fields, e.g. group_by: [model]");
        return List.of();
      }
      if (fields.size() > MAX_GROUP_BY) {
        problem(source, node.line(), label, "group_by takes at most " + MAX_GROUP_BY + " fields");
      }
      for (String field : fields) {
        String problem = scores ? null : LiveSettings.groupFieldProblem(field);
        if (problem != null) {
          problem(source, node.line(), label, "group_by: " + problem);
        }
      }
      if (new LinkedHashSet<>(fields).size() != fields.size()) {
        problem(source, node.line(), label, "group_by names a field twice");
      }
      return List.copyOf(fields);
    }

    private Map<String, String> labels(YamlTree.Located node, String source, String label) {
      if (node == null || node.value() == null) {
        return Map.of();
      }
      if (node.map() == null) {
        problem(source, node.line(), label, "labels must be a mapping, e.g. labels: {team: ml-platform}");
        return Map.of();
      }
      Map<String, String> labels = new LinkedHashMap<>();
      node.map().forEach((key, value) -> {
        if (key.equals("alertname") || key.equals("severity")) {
          problem(source, value.line(), label, "label '" + key + "' is set by llmlog; use the rule's alert or severity");
        } else if (value.text() == null) {
          problem(source, value.line(), label, "label '" + key + "' must have a text value");
        } else {
          labels.put(key, value.text());
        }
      });
      return labels;
    }
  }
}

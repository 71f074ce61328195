package io.llmlog.server.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmlog.server.config.Settings;
import io.llmlog.server.live.LiveSettings;
import io.llmlog.server.live.ViewSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertRulesTest {
  @TempDir Path dir;

  static AlertRules load(Map<String, Object> settings) {
    return AlertRules.load(Settings.of(settings, name -> null), LiveSettings.defaults());
  }

  @Test
  void load_noConfig_hasTheBriefsTwoRules() {
    AlertRules rules = load(Map.of());

    assertThat(rules.rules())
        .extracting(Rule::name)
        .containsExactly("HighErrorRate", "SlowInference");
    Rule errors = rules.rules().get(0);
    assertThat(errors.condition().text()).isEqualTo("count(errors) / count(all) > 0.05");
    assertThat(errors.window()).hasMinutes(5);
    assertThat(errors.severity()).isEqualTo("critical");
    assertThat(errors.minCount()).isEqualTo(20);
    Rule slow = rules.rules().get(1);
    assertThat(slow.condition().text()).isEqualTo("percentile(latency_ms, 95) > 10000");
    assertThat(slow.window()).hasMinutes(10);
    assertThat(slow.severity()).isEqualTo("warning");
    assertThat(slow.origin()).isEqualTo("defaults");
  }

  @Test
  void views_defaultRules_areServedByTheDashboardView() {
    LiveSettings live = LiveSettings.defaults();

    List<ViewSpec> views = load(Map.of()).views(live.dashboardView());

    assertThat(views)
        .singleElement()
        .satisfies(
            view -> {
              assertThat(view.filter()).isNull();
              assertThat(view.groupBy()).containsExactly("model");
              assertThat(view.sketchFields()).contains("latency_ms");
            });
  }

  @Test
  void load_userRuleWithDefaultsName_replacesIt_andOthersAdd() {
    Map<String, Object> rule1 =
        Map.of(
            "alert",
            "HighErrorRate",
            "condition",
            "count(errors) / count(all) > 0.2",
            "window",
            "10m");
    Map<String, Object> rule2 =
        new LinkedHashMap<>(
            Map.of(
                "alert",
                "GptCost",
                "condition",
                "sum(cost_usd) > 50",
                "window",
                "60m",
                "filter",
                "model:gpt-4*",
                "group_by",
                List.of("model"),
                "for",
                "5m",
                "labels",
                Map.of("team", "ml"),
                "summary",
                "{{ $labels.model }} cost {{ $value }} USD"));
    AlertRules rules = load(Map.of("alerts", Map.of("rules", List.of(rule1, rule2))));

    assertThat(rules.rules())
        .extracting(Rule::name)
        .containsExactly("HighErrorRate", "SlowInference", "GptCost");
    assertThat(rules.rules().get(0).condition().text()).endsWith("> 0.2");
    assertThat(rules.rules().get(0).minCount()).isZero();
    Rule cost = rules.rules().get(2);
    assertThat(cost.filter()).isEqualTo("model:gpt-4*");
    assertThat(cost.groupBy()).containsExactly("model");
    assertThat(cost.pendingFor()).hasMinutes(5);
    assertThat(rules.views(LiveSettings.defaults().dashboardView())).hasSize(2);
  }

  @Test
  void load_defaultRulesOff_hasOnlyTheUsers() {
    AlertRules rules =
        load(
            Map.of(
                "alerts",
                Map.of(
                    "default_rules",
                    false,
                    "rules",
                    List.of(Map.of("alert", "A", "condition", "count(all) > 1", "window", "1m")))));

    assertThat(rules.rules()).extracting(Rule::name).containsExactly("A");
  }

  @Test
  void load_rulesFile_readsItAndNamesLinesInErrors() throws IOException {
    Path file = dir.resolve("rules.yaml");
    Files.writeString(
        file,
        """
        rules:
          - alert: Good
            condition: max(latency_ms) > 60000
            window: 15m
          - alert: Bad
            condition: count(errors) > 1
            window: 2h
        """);

    assertThatThrownBy(() -> load(Map.of("alerts", Map.of("rules_file", file.toString()))))
        .isInstanceOf(RulesException.class)
        .hasMessageContaining(
            file + ":7: rule 'Bad': window 2h is longer than live.retention (1h)");
  }

  @Test
  void load_rulesInLlmlogYaml_errorsNameTheLineInThatFile() throws IOException {
    Path config = dir.resolve("llmlog.yaml");
    Files.writeString(
        config,
        """
        server:
          port: 8080
        alerts:
          rules:
            - alert: Typo
              condition: count(errors) > 1
              window: 5m
              severity: urgent
        """);

    assertThatThrownBy(
            () -> AlertRules.load(Settings.load(config, name -> null), LiveSettings.defaults()))
        .hasMessageContaining(
            config
                + ":8: rule 'Typo': severity 'urgent' is not one of critical, error, warning, info");
  }

  @Test
  void check_everyKindOfMistake_isReportedWithRuleLineAndReason() throws IOException {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(
        file,
        """
        - alert: NoName
          condition: count(errors) > 1
          window: 5m
        - condition: count(all) > 1
          window: 5m
        - alert: Filtered
          condition: count(all) > 1
          window: 5m
          filter: "modle:gpt-4"
          group_by: [latency_ms]
          windw: 5m
          summary: "{{ $labels.team }}"
        - alert: Fractional
          condition: count(all) > 1
          window: 90s
        """);

    AlertRules.Check check = AlertRules.check(file);

    assertThat(check.valid()).isFalse();
    assertThat(check.problems())
        .extracting(RuleProblem::toString)
        .containsExactly(
            file + ":4: rule #2: missing 'alert' (the rule's name)",
            file
                + ":11: rule 'Filtered': unknown key 'windw' (keys: alert, condition, filter, for, group_by, labels, min_count, repeat_interval, "
                + "severity, summary, window)",
            file
                + ":10: rule 'Filtered': group_by: field 'latency_ms' is float; group by a single-valued keyword field such as model",
            file
                + ":9: rule 'Filtered': filter: bad KQL at position 0: unknown field 'modle' (custom attributes are metadata.<key>)",
            file
                + ":12: rule 'Filtered': summary: $labels.team is not a label of this rule (labels: alertname, latency_ms, severity)",
            file
                + ":15: rule 'Fractional': window 90s must be whole minutes, at least 1m (live aggregates are per minute)");
  }

  @Test
  void check_validFile_summarisesEachRule() throws IOException {
    Path file = dir.resolve("good.yaml");
    Files.writeString(
        file,
        """
        - alert: HighErrorRate
          condition: count(errors) / count(all) > 0.05
          window: 5m
          severity: critical
          min_count: 20
        - alert: SlowGpt4
          condition: percentile(latency_ms, 99) > 20000
          window: 10m
          filter: model:gpt-4
          for: 2m
        """);

    AlertRules.Check check = AlertRules.check(file);

    assertThat(check.problems()).isEmpty();
    assertThat(check.rules())
        .containsExactly(
            "HighErrorRate [critical] count(errors) / count(all) > 0.05 over 5m, at least 20 calls",
            "SlowGpt4 [warning] percentile(latency_ms, 99) > 20000 over 10m where model:gpt-4, for 2m");
  }

  @Test
  void check_notYaml_saysSo() throws IOException {
    Path file = dir.resolve("broken.yaml");
    Files.writeString(file, "- alert: [unclosed\n");

    assertThat(AlertRules.check(file).problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).startsWith("not valid YAML"));
  }

  @Test
  void load_scoreRule_isReadFromQualityRecordsNotALiveView() {
    Map<String, Object> rule =
        Map.of(
            "alert",
            "RelevanceDropped",
            "condition",
            "avg(scores.relevance) < 0.7",
            "window",
            "10m",
            "min_count",
            20,
            "group_by",
            List.of("model", "evaluator"),
            "filter",
            "service:support");
    AlertRules rules =
        load(Map.of("alerts", Map.of("default_rules", false, "rules", List.of(rule))));
    LiveSettings live = LiveSettings.defaults();

    assertThat(rules.size()).isEqualTo(1);
    assertThat(ScoreRules.isScoreRule(rules.rules().get(0).condition())).isTrue();
    assertThat(ScoreRules.fields(rules.rules().get(0).condition()))
        .containsExactly("scores.relevance");
    assertThat(rules.views(live.dashboardView())).containsExactly(live.dashboardView());
  }

  @Test
  void load_scoreRuleMixedWithCallFields_isRefusedWithTheReason() {
    Map<String, Object> mixed =
        Map.of(
            "alert",
            "Mixed",
            "condition",
            "avg(scores.relevance) + count(errors) < 0.7",
            "window",
            "5m");
    Map<String, Object> badGroup =
        Map.of(
            "alert",
            "BadGroup",
            "condition",
            "avg(scores.relevance) < 0.7",
            "window",
            "5m",
            "group_by",
            "stop_reason");
    Map<String, Object> callFilter =
        Map.of(
            "alert",
            "CallFilter",
            "condition",
            "avg(scores.relevance) < 0.7",
            "window",
            "5m",
            "filter",
            "latency_ms > 100");
    assertThatThrownBy(
            () -> load(Map.of("alerts", Map.of("rules", List.of(mixed, badGroup, callFilter)))))
        .hasMessageContaining("'Mixed'")
        .hasMessageContaining("cannot also use count(errors)")
        .hasMessageContaining("'BadGroup'")
        .hasMessageContaining("not 'stop_reason'")
        .hasMessageContaining("'CallFilter'")
        .hasMessageContaining("applies to the quality records");
  }
}

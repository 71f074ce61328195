package io.llmlog.server.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmlog.server.live.LiveAggregates.SeriesAggregate;
import io.llmlog.server.query.kql.KqlParser;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluatorTest {
  static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  final Evaluator evaluator = new Evaluator();
  final Map<String, List<SeriesAggregate>> data = new HashMap<>();
  Map<String, Instance> states = Map.of();
  final List<Notification> notified = new ArrayList<>();
  final List<Evaluator.Transition> transitions = new ArrayList<>();

  static Rule rule(String condition, Duration pendingFor, double minCount, List<String> groupBy) {
    return new Rule(
        "HighErrorRate",
        new ConditionParser(new KqlParser()).parse(condition),
        Duration.ofMinutes(5),
        "critical",
        null,
        groupBy,
        pendingFor,
        minCount,
        Map.of("team", "ml"),
        null,
        Duration.ofHours(1),
        "test");
  }

  void data(Rule rule, double calls, double errors) {
    data.put(
        rule.name(),
        List.of(new SeriesAggregate(Map.of(), false, new FakeAggregate(calls, errors))));
  }

  Instance evaluate(Rule rule, Instant at) {
    Evaluator.Outcome outcome =
        evaluator.evaluate(List.of(rule), r -> data.getOrDefault(r.name(), List.of()), states, at);
    states = outcome.instances();
    notified.addAll(outcome.notifications());
    transitions.addAll(outcome.transitions());
    return states.values().stream().findFirst().orElse(null);
  }

  @Test
  void evaluate_conditionHoldsWithoutFor_firesAtOnceAndNotifiesOnce() {
    Rule rule = rule("count(errors) / count(all) > 0.05", Duration.ZERO, 20, List.of());
    data(rule, 100, 10);

    Instance first = evaluate(rule, T0);
    evaluate(rule, T0.plusSeconds(15));

    assertThat(first.state()).isEqualTo(AlertState.FIRING);
    assertThat(first.value()).isEqualTo(0.1);
    assertThat(notified).hasSize(1);
    Notification firing = notified.get(0);
    assertThat(firing.status()).isEqualTo("firing");
    assertThat(firing.startsAt()).isEqualTo(T0);
    assertThat(firing.labels())
        .containsEntry("alertname", "HighErrorRate")
        .containsEntry("severity", "critical")
        .containsEntry("team", "ml");
    assertThat(firing.threshold()).isEqualTo(0.05);
  }

  @Test
  void evaluate_conditionStops_resolvesOnceThenInactive() {
    Rule rule = rule("count(errors) / count(all) > 0.05", Duration.ZERO, 20, List.of());
    data(rule, 100, 10);
    evaluate(rule, T0);
    data(rule, 100, 1);

    Instance resolved = evaluate(rule, T0.plusSeconds(15));
    Instance later = evaluate(rule, T0.plusSeconds(30));

    assertThat(resolved.state()).isEqualTo(AlertState.RESOLVED);
    assertThat(later.state()).isEqualTo(AlertState.INACTIVE);
    assertThat(notified).extracting(Notification::status).containsExactly("firing", "resolved");
    assertThat(notified.get(1).endsAt()).isEqualTo(T0.plusSeconds(15));
    assertThat(notified.get(1).startsAt()).isEqualTo(T0);
    assertThat(transitions)
        .extracting(t -> t.from() + ">" + t.to())
        .containsExactly("INACTIVE>FIRING", "FIRING>RESOLVED");
  }

  @Test
  void evaluate_withFor_pendsUntilItHeldLongEnough() {
    Rule rule = rule("count(errors) / count(all) > 0.05", Duration.ofMinutes(1), 20, List.of());
    data(rule, 100, 10);

    assertThat(evaluate(rule, T0).state()).isEqualTo(AlertState.PENDING);
    assertThat(evaluate(rule, T0.plusSeconds(45)).state()).isEqualTo(AlertState.PENDING);
    assertThat(evaluate(rule, T0.plusSeconds(60)).state()).isEqualTo(AlertState.FIRING);
    assertThat(notified).hasSize(1);
    assertThat(notified.get(0).startsAt()).isEqualTo(T0.plusSeconds(60));
  }

  @Test
  void evaluate_pendingConditionStops_returnsToInactiveWithoutNotifying() {
    Rule rule = rule("count(errors) / count(all) > 0.05", Duration.ofMinutes(1), 20, List.of());
    data(rule, 100, 10);
    evaluate(rule, T0);
    data(rule, 100, 0);

    assertThat(evaluate(rule, T0.plusSeconds(15)).state()).isEqualTo(AlertState.INACTIVE);
    assertThat(notified).isEmpty();
    assertThat(transitions)
        .extracting(Evaluator.Transition::to)
        .containsExactly(AlertState.PENDING, AlertState.INACTIVE);
  }

  @Test
  void evaluate_fewerCallsThanMinCount_hasNoValueAndDoesNotFire() {
    Rule rule = rule("count(errors) / count(all) > 0.05", Duration.ZERO, 20, List.of());
    data(rule, 19, 19);

    Instance instance = evaluate(rule, T0);

    assertThat(instance.state()).isEqualTo(AlertState.INACTIVE);
    assertThat(instance.value()).isNaN();
    assertThat(instance.calls()).isEqualTo(19);
    assertThat(notified).isEmpty();
  }

  @Test
  void evaluate_firingAndTrafficStops_resolves() {
    Rule rule = rule("count(errors) / count(all) > 0.05", Duration.ZERO, 20, List.of());
    data(rule, 100, 10);
    evaluate(rule, T0);
    data.clear();

    assertThat(evaluate(rule, T0.plusSeconds(15)).state()).isEqualTo(AlertState.RESOLVED);
    assertThat(notified.get(1).value()).isNaN();
  }

  @Test
  void evaluate_stillFiringAfterRepeatInterval_notifiesAgainAsRepeat() {
    Rule rule = rule("count(errors) / count(all) > 0.05", Duration.ZERO, 20, List.of());
    data(rule, 100, 10);
    evaluate(rule, T0);
    evaluate(rule, T0.plus(Duration.ofMinutes(59)));
    evaluate(rule, T0.plus(Duration.ofMinutes(60)));
    evaluate(rule, T0.plus(Duration.ofMinutes(61)));

    assertThat(notified).extracting(Notification::repeat).containsExactly(false, true);
    assertThat(notified.get(1).startsAt()).isEqualTo(T0);
  }

  @Test
  void evaluate_groupBy_oneInstancePerSeriesAndInactiveOnesForgotten() {
    Rule rule = rule("count(errors) / count(all) > 0.05", Duration.ZERO, 20, List.of("model"));
    data.put(
        rule.name(),
        List.of(
            new SeriesAggregate(Map.of("model", "gpt-4"), false, new FakeAggregate(100, 50)),
            new SeriesAggregate(Map.of("model", "claude-3"), false, new FakeAggregate(100, 0))));

    evaluator.evaluate(List.of(rule), r -> data.get(r.name()), states, T0);
    Evaluator.Outcome outcome =
        evaluator.evaluate(List.of(rule), r -> data.get(r.name()), states, T0);

    assertThat(outcome.instances().values())
        .singleElement()
        .satisfies(
            instance -> {
              assertThat(instance.labels()).containsEntry("model", "gpt-4");
              assertThat(instance.state()).isEqualTo(AlertState.FIRING);
            });
    assertThat(outcome.notifications())
        .singleElement()
        .satisfies(n -> assertThat(n.labels()).containsEntry("model", "gpt-4"));
  }

  @Test
  void instance_toJsonAndBack_isTheSame() {
    Instance instance =
        new Instance(
            "R",
            Map.of("model", "gpt-4"),
            AlertState.FIRING,
            T0,
            T0.plusSeconds(1),
            null,
            T0,
            0.1,
            Double.NaN,
            12,
            T0);

    assertThat(Instance.fromJson(instance.toJson())).isEqualTo(instance);
  }
}

package io.llmlog.server.alert;

import io.llmlog.server.live.Aggregate;
import io.llmlog.server.live.LiveAggregates.SeriesAggregate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One evaluation of every rule: the pure state machine, given the window data and the previous
 * instances. Per instance:
 *
 * <pre>
 * inactive/resolved --holds--> pending (for: > 0) or firing (notify)
 * pending  --holds for 'for'--> firing (notify)      --does not hold--> inactive
 * firing   --holds, repeat_interval since last notice--> firing (notify again)
 * firing   --does not hold or no value--> resolved (notify)
 * resolved --does not hold--> inactive
 * </pre>
 *
 * "No value" (too few calls for {@code min_count}, a division by zero, nothing to average) never
 * holds. Instances of a grouped rule that are inactive are forgotten.
 */
final class Evaluator {
  /** A change of state, for the history. */
  record Transition(Rule rule, Instance instance, AlertState from, AlertState to, Instant at) {}

  record Outcome(
      Map<String, Instance> instances,
      List<Transition> transitions,
      List<Notification> notifications) {}

  Outcome evaluate(
      List<Rule> rules,
      Function<Rule, List<SeriesAggregate>> data,
      Map<String, Instance> previous,
      Instant now) {
    Map<String, Instance> next = new LinkedHashMap<>();
    List<Transition> transitions = new ArrayList<>();
    List<Notification> notifications = new ArrayList<>();
    for (Rule rule : rules) {
      Map<String, Map<String, String>> keys = new LinkedHashMap<>();
      Map<String, SeriesAggregate> observed = new LinkedHashMap<>();
      for (SeriesAggregate series : data.apply(rule)) {
        String key = Instance.key(rule.name(), series.labels());
        keys.put(key, series.labels());
        observed.put(key, series);
      }
      if (rule.groupBy().isEmpty()) {
        keys.putIfAbsent(Instance.key(rule.name(), Map.of()), Map.of());
      }
      previous.values().stream()
          .filter(instance -> instance.rule().equals(rule.name()))
          .forEach(instance -> keys.putIfAbsent(instance.key(), instance.labels()));
      for (Map.Entry<String, Map<String, String>> entry : keys.entrySet()) {
        Instance before =
            previous.getOrDefault(entry.getKey(), Instance.inactive(rule.name(), entry.getValue()));
        SeriesAggregate series = observed.get(entry.getKey());
        Instance after =
            step(
                rule,
                before,
                series == null ? null : series.aggregate(),
                now,
                transitions,
                notifications);
        if (after.state() != AlertState.INACTIVE || rule.groupBy().isEmpty()) {
          next.put(after.key(), after);
        }
      }
    }
    return new Outcome(next, transitions, notifications);
  }

  private Instance step(
      Rule rule,
      Instance before,
      Aggregate aggregate,
      Instant now,
      List<Transition> transitions,
      List<Notification> notifications) {
    double calls = aggregate == null ? 0 : aggregate.count();
    Condition.Result result =
        aggregate == null || calls < rule.minCount()
            ? new Condition.Result(Double.NaN, Double.NaN, false)
            : rule.condition().evaluate(aggregate);
    boolean holds = result.holds();
    Instance observed =
        new Instance(
            rule.name(),
            before.labels(),
            before.state(),
            before.activeSince(),
            before.firedAt(),
            before.resolvedAt(),
            before.lastNotified(),
            result.value(),
            Double.isNaN(result.threshold()) ? before.threshold() : result.threshold(),
            calls,
            now);
    return switch (before.state()) {
      case INACTIVE, RESOLVED -> {
        if (holds) {
          if (rule.pendingFor().isZero()) {
            yield fire(rule, observed, now, now, transitions, notifications);
          }
          Instance pending =
              with(observed, AlertState.PENDING, now, null, null, observed.lastNotified());
          transitions.add(new Transition(rule, pending, before.state(), AlertState.PENDING, now));
          yield pending;
        }
        if (before.state() == AlertState.RESOLVED) {
          yield with(observed, AlertState.INACTIVE, null, null, null, observed.lastNotified());
        }
        yield observed;
      }
      case PENDING -> {
        if (!holds) {
          Instance inactive =
              with(observed, AlertState.INACTIVE, null, null, null, observed.lastNotified());
          transitions.add(
              new Transition(rule, inactive, AlertState.PENDING, AlertState.INACTIVE, now));
          yield inactive;
        }
        if (Duration.between(before.activeSince(), now).compareTo(rule.pendingFor()) >= 0) {
          yield fire(rule, observed, before.activeSince(), now, transitions, notifications);
        }
        yield observed;
      }
      case FIRING -> {
        if (!holds) {
          Instance resolved = with(observed, AlertState.RESOLVED, null, before.firedAt(), now, now);
          transitions.add(
              new Transition(rule, resolved, AlertState.FIRING, AlertState.RESOLVED, now));
          notifications.add(notification(rule, resolved, "resolved", false));
          yield resolved;
        }
        if (before.lastNotified() == null
            || Duration.between(before.lastNotified(), now).compareTo(rule.repeatInterval()) >= 0) {
          Instance repeated =
              with(observed, AlertState.FIRING, before.activeSince(), before.firedAt(), null, now);
          notifications.add(notification(rule, repeated, "firing", true));
          yield repeated;
        }
        yield observed;
      }
    };
  }

  private Instance fire(
      Rule rule,
      Instance observed,
      Instant activeSince,
      Instant now,
      List<Transition> transitions,
      List<Notification> notifications) {
    Instance firing = with(observed, AlertState.FIRING, activeSince, now, null, now);
    transitions.add(new Transition(rule, firing, observed.state(), AlertState.FIRING, now));
    notifications.add(notification(rule, firing, "firing", false));
    return firing;
  }

  private static Instance with(
      Instance instance,
      AlertState state,
      Instant activeSince,
      Instant firedAt,
      Instant resolvedAt,
      Instant lastNotified) {
    return new Instance(
        instance.rule(),
        instance.labels(),
        state,
        activeSince,
        firedAt,
        resolvedAt,
        lastNotified,
        instance.value(),
        instance.threshold(),
        instance.calls(),
        instance.evaluatedAt());
  }

  /** All the labels of an instance: alertname, severity, the rule's own, its group_by values. */
  static Map<String, String> labels(Rule rule, Instance instance) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("alertname", rule.name());
    labels.put("severity", rule.severity());
    labels.putAll(rule.labels());
    labels.putAll(instance.labels());
    return labels;
  }

  static String summary(Rule rule, Instance instance) {
    Map<String, Object> scalars = new LinkedHashMap<>();
    scalars.put("value", instance.value());
    scalars.put("threshold", instance.threshold());
    scalars.put("calls", instance.calls());
    scalars.put("alert", rule.name());
    scalars.put("severity", rule.severity());
    scalars.put("window", rule.windowText());
    if (rule.summary() != null) {
      return rule.summary().render(scalars, labels(rule, instance));
    }
    return rule.name()
        + ": "
        + rule.condition().text()
        + " over "
        + rule.windowText()
        + " (value "
        + Template.number(instance.value())
        + ")";
  }

  private Notification notification(Rule rule, Instance instance, String status, boolean repeat) {
    return new Notification(
        status,
        rule.name(),
        rule.severity(),
        labels(rule, instance),
        instance.value(),
        instance.threshold(),
        instance.calls(),
        rule.condition().text(),
        rule.windowText(),
        summary(rule, instance),
        instance.firedAt(),
        instance.resolvedAt(),
        repeat);
  }
}

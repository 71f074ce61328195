package io.llmlog.server.alert;

import io.llmlog.server.config.Units;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One alert rule, validated.
 *
 * @param name the {@code alert:} name, unique
 * @param condition the parsed condition
 * @param window how far back the condition looks, whole minutes
 * @param severity critical, error, warning or info
 * @param filter a KQL filter the calls must match, or null
 * @param groupBy fields whose values make one alert instance each (e.g. per model)
 * @param pendingFor how long the condition must hold before firing ({@code for:})
 * @param minCount fewer (weighted) calls than this in the window means no value
 * @param labels extra labels sent with notifications
 * @param summary the summary template, or null for a generated one
 * @param repeatInterval how often a firing alert is notified again
 * @param origin where it was defined, e.g. {@code rules.yaml:12} or {@code defaults}
 */
record Rule(
    String name,
    Condition condition,
    Duration window,
    String severity,
    String filter,
    List<String> groupBy,
    Duration pendingFor,
    double minCount,
    Map<String, String> labels,
    Template summary,
    Duration repeatInterval,
    String origin) {

  static final List<String> SEVERITIES = List.of("critical", "error", "warning", "info");

  Rule {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(condition, "condition");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(severity, "severity");
    groupBy = List.copyOf(groupBy);
    labels = Map.copyOf(labels);
    Objects.requireNonNull(pendingFor, "pendingFor");
    Objects.requireNonNull(repeatInterval, "repeatInterval");
  }

  int windowMinutes() {
    return (int) window.toMinutes();
  }

  String windowText() {
    return Units.formatDuration(window);
  }
}

package io.llmlog.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.server.alert.AlertsOverview;
import io.llmlog.server.config.Units;

/**
 * {@code GET /api/v1/alerts} and {@code /api/v1/alerts/history} as JSON (documented in
 * docs/alerts.md). A NaN or a missing time is null.
 */
final class AlertsJson {
  private AlertsJson() {}

  static ObjectNode overview(ObjectMapper json, AlertsOverview overview) {
    ObjectNode root = json.createObjectNode();
    AlertsOverview.Evaluation current = overview.evaluation();
    ObjectNode evaluation = root.putObject("evaluation");
    evaluation.put("interval", Units.formatDuration(current.interval()));
    evaluation.put("server", current.server());
    evaluation.put("role", current.role());
    JsonValues.text(evaluation, "leader", current.leader());
    JsonValues.time(evaluation, "last_run", current.lastRun());
    JsonValues.time(evaluation, "evaluated_at", current.evaluatedAt());
    JsonValues.text(evaluation, "error", current.error());
    evaluation.put("webhooks", current.webhooks());
    ArrayNode array = root.putArray("rules");
    for (AlertsOverview.RuleState rule : overview.rules()) {
      ObjectNode node = array.addObject();
      node.put("alert", rule.alert());
      node.put("condition", rule.condition());
      node.put("window", rule.window());
      node.put("severity", rule.severity());
      JsonValues.text(node, "filter", rule.filter());
      rule.groupBy().forEach(node.putArray("group_by")::add);
      node.put("for", Units.formatDuration(rule.pendingFor()));
      node.put("min_count", rule.minCount());
      ObjectNode labels = node.putObject("labels");
      rule.labels().forEach(labels::put);
      JsonValues.text(node, "summary", rule.summaryTemplate());
      node.put("repeat_interval", Units.formatDuration(rule.repeatInterval()));
      node.put("origin", rule.origin());
      node.put("state", rule.state());
      JsonValues.number(node, "value", rule.value());
      JsonValues.number(node, "threshold", rule.threshold());
      JsonValues.time(node, "since", rule.since());
      ArrayNode instances = node.putArray("instances");
      for (AlertsOverview.InstanceState instance : rule.instances()) {
        ObjectNode item = instances.addObject();
        ObjectNode instanceLabels = item.putObject("labels");
        instance.labels().forEach(instanceLabels::put);
        item.put("state", instance.state());
        JsonValues.time(item, "active_since", instance.activeSince());
        JsonValues.time(item, "fired_at", instance.firedAt());
        JsonValues.time(item, "resolved_at", instance.resolvedAt());
        JsonValues.time(item, "last_notified", instance.lastNotified());
        JsonValues.number(item, "value", instance.value());
        JsonValues.number(item, "threshold", instance.threshold());
        item.put("calls", instance.calls());
        JsonValues.time(item, "evaluated_at", instance.evaluatedAt());
        JsonValues.time(item, "since", instance.since());
        item.put("summary", instance.summary());
      }
    }
    return root;
  }

  static ObjectNode history(ObjectMapper json, AlertsOverview.History history) {
    ObjectNode result = json.createObjectNode();
    result.put("total", history.total());
    result.putArray("transitions").addAll(history.transitions());
    return result;
  }
}

package io.llmlog.server.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.core.Timestamps;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One alert of a rule: the rule's only one, or one per value of its {@code group_by} fields.
 *
 * @param rule the rule's name
 * @param labels the group_by fields' values (empty without group_by)
 * @param state where it is
 * @param activeSince when the condition started to hold (pending and firing), else null
 * @param firedAt when it started firing (firing and resolved), else null
 * @param resolvedAt when it resolved (resolved), else null
 * @param lastNotified when a notification was last sent for it, or null
 * @param value the condition's left side at the last evaluation; NaN for no value
 * @param threshold its right side
 * @param calls the (weighted) calls in the rule's window for this instance
 * @param evaluatedAt when it was last evaluated
 */
record Instance(
    String rule,
    Map<String, String> labels,
    AlertState state,
    Instant activeSince,
    Instant firedAt,
    Instant resolvedAt,
    Instant lastNotified,
    double value,
    double threshold,
    double calls,
    Instant evaluatedAt) {

  Instance {
    Objects.requireNonNull(rule, "rule");
    labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    Objects.requireNonNull(state, "state");
  }

  static Instance inactive(String rule, Map<String, String> labels) {
    return new Instance(
        rule, labels, AlertState.INACTIVE, null, null, null, null, Double.NaN, Double.NaN, 0, null);
  }

  /** Identifies the instance among all: rule and labels. */
  String key() {
    return key(rule, labels);
  }

  static String key(String rule, Map<String, String> labels) {
    return rule + new TreeMap<>(labels);
  }

  ObjectNode toJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("rule", rule);
    ObjectNode labelsNode = node.putObject("labels");
    labels.forEach(labelsNode::put);
    node.put("state", state.text());
    time(node, "active_since", activeSince);
    time(node, "fired_at", firedAt);
    time(node, "resolved_at", resolvedAt);
    time(node, "last_notified", lastNotified);
    number(node, "value", value);
    number(node, "threshold", threshold);
    node.put("calls", calls);
    time(node, "evaluated_at", evaluatedAt);
    return node;
  }

  static Instance fromJson(JsonNode node) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : node.path("labels").properties()) {
      labels.put(entry.getKey(), entry.getValue().asText());
    }
    return new Instance(
        node.path("rule").asText(),
        labels,
        AlertState.parse(node.path("state").asText("inactive")),
        time(node, "active_since"),
        time(node, "fired_at"),
        time(node, "resolved_at"),
        time(node, "last_notified"),
        node.path("value").isNumber() ? node.path("value").asDouble() : Double.NaN,
        node.path("threshold").isNumber() ? node.path("threshold").asDouble() : Double.NaN,
        node.path("calls").asDouble(),
        time(node, "evaluated_at"));
  }

  static void time(ObjectNode node, String name, Instant instant) {
    if (instant == null) {
      node.putNull(name);
    } else {
      node.put(name, Timestamps.format(instant));
    }
  }

  static void number(ObjectNode node, String name, double value) {
    if (Double.isNaN(value)) {
      node.putNull(name);
    } else {
      node.put(name, value);
    }
  }

  private static Instant time(JsonNode node, String name) {
    JsonNode value = node.path(name);
    return value.isTextual() ? Timestamps.parse(value.asText()) : null;
  }
}

package io.llmlog.server.alert;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code GET /api/v1/alerts} shows: how evaluation goes, and every rule with its state, value,
 * threshold and instances. A NaN is "no value"; a null time is "never".
 */
public record AlertsOverview(Evaluation evaluation, List<RuleState> rules) {

  /**
   * @param role {@code leader}, {@code standby} or {@code disabled}
   * @param leader the server evaluating the rules, or null when unknown
   * @param error the last evaluation's problem, or null
   */
  public record Evaluation(
      Duration interval,
      String server,
      String role,
      String leader,
      Instant lastRun,
      Instant evaluatedAt,
      String error,
      int webhooks) {}

  /**
   * One rule as configured, with its worst instance's state; {@code value}, {@code threshold} and
   * {@code since} are its single instance's when it has no {@code group_by}.
   */
  public record RuleState(
      String alert,
      String condition,
      String window,
      String severity,
      String filter,
      List<String> groupBy,
      Duration pendingFor,
      double minCount,
      Map<String, String> labels,
      String summaryTemplate,
      Duration repeatInterval,
      String origin,
      String state,
      double value,
      double threshold,
      Instant since,
      List<InstanceState> instances) {}

  /** One alert of a rule (one per {@code group_by} value), with its own summary. */
  public record InstanceState(
      Map<String, String> labels,
      String state,
      Instant activeSince,
      Instant firedAt,
      Instant resolvedAt,
      Instant lastNotified,
      double value,
      double threshold,
      double calls,
      Instant evaluatedAt,
      Instant since,
      String summary) {}

  /** A page of alert transitions, newest first, each as stored. */
  public record History(long total, List<ObjectNode> transitions) {}
}

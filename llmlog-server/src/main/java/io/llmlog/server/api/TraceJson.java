package io.llmlog.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.server.store.GroupSearches;
import io.llmlog.server.trace.Conversation;
import io.llmlog.server.trace.SessionService;
import io.llmlog.server.trace.Trace;
import io.llmlog.server.trace.TraceNode;
import io.llmlog.server.trace.TraceSummary;
import io.llmlog.server.trace.UserService;
import java.time.Instant;
import java.util.List;

/**
 * The JSON of traces, sessions and users, as {@code /api/v1/traces}, {@code /api/v1/sessions} and
 * {@code /api/v1/users} answer. Absent values are left out rather than written as null, so a trace
 * of thousands of nodes stays small; times are ISO-8601, durations and offsets milliseconds.
 */
final class TraceJson {
  private TraceJson() {}

  /**
   * {@code {"trace_id", "truncated", "totals", "critical_path": [{"id", "offset_ms",
   * "duration_ms"}], "nodes": [...]}}.
   */
  static ObjectNode trace(ObjectMapper json, Trace trace) {
    ObjectNode body = json.createObjectNode();
    body.put("trace_id", trace.traceId());
    body.put("truncated", trace.truncated());
    long start = trace.totals().startMillis();
    totals(body.putObject("totals"), trace.totals());
    ArrayNode path = body.putArray("critical_path");
    for (Trace.Segment segment : trace.criticalPath()) {
      path.addObject()
          .put("id", segment.nodeId())
          .put("offset_ms", round(segment.startMillis() - start))
          .put("duration_ms", round(segment.endMillis() - segment.startMillis()));
    }
    ArrayNode nodes = body.putArray("nodes");
    for (Trace.Node node : trace.nodes()) {
      node(nodes.addObject(), node, start);
    }
    return body;
  }

  private static void node(ObjectNode out, Trace.Node placed, long traceStart) {
    TraceNode n = placed.node();
    out.put("id", n.id());
    put(out, "parent", placed.parent());
    put(out, "parent_id", n.parentId());
    out.put("depth", placed.depth());
    out.put("type", placed.synthetic() ? "trace" : n.call() ? "call" : "step");
    out.put("kind", n.kind());
    out.put("name", n.name());
    put(out, "operation", n.operation());
    put(out, "model", n.model());
    put(out, "provider", n.provider());
    put(out, "tool", n.tool());
    put(out, "agent", n.agent());
    put(out, "request_id", n.requestId());
    out.put("start", Instant.ofEpochMilli(n.startMillis()).toString());
    out.put("offset_ms", n.startMillis() - traceStart);
    out.put("duration_ms", n.durationMs());
    out.put("status", n.status());
    if (n.errorType() != null || n.errorMessage() != null) {
      ObjectNode error = out.putObject("error");
      put(error, "type", n.errorType());
      put(error, "message", n.errorMessage());
    }
    put(out, "input_tokens", n.inputTokens());
    put(out, "output_tokens", n.outputTokens());
    put(out, "total_tokens", n.totalTokens());
    if (n.costUsd() != null) {
      out.put("cost_usd", n.costUsd());
    }
    put(out, "user_id", n.userId());
    put(out, "session_id", n.sessionId());
    put(out, "service", n.service());
    if (placed.orphan()) {
      out.put("orphan", true);
    }
    if (placed.synthetic()) {
      out.put("synthetic", true);
    }
    if (placed.critical()) {
      out.put("critical", true);
    }
    out.put("children", placed.children());
    out.put("descendants", placed.descendants());
    sums(out.putObject("subtree"), placed.subtree());
  }

  /** The trace's own numbers, as in a trace and in each item of a listing. */
  private static void totals(ObjectNode out, Trace.Totals totals) {
    out.put("start", Instant.ofEpochMilli(totals.startMillis()).toString());
    out.put("duration_ms", round(totals.durationMs()));
    sums(out, totals.sums());
    out.put("orphans", totals.orphans());
    strings(out.putArray("users"), totals.users());
    strings(out.putArray("sessions"), totals.sessions());
  }

  private static void sums(ObjectNode out, Trace.Sums sums) {
    out.put("calls", sums.calls());
    out.put("steps", sums.steps());
    out.put("errors", sums.errors());
    out.put("input_tokens", sums.inputTokens());
    out.put("output_tokens", sums.outputTokens());
    out.put("total_tokens", sums.totalTokens());
    out.put("cost_usd", sums.costUsd());
  }

  /**
   * {@code {"traces": [{"trace_id", "root": {"name", "kind", "synthetic"}, "truncated",
   * totals...}], "next"}}.
   */
  static ObjectNode traces(ObjectMapper json, TraceSummary.Page page) {
    ObjectNode body = json.createObjectNode();
    ArrayNode traces = body.putArray("traces");
    for (TraceSummary summary : page.traces()) {
      ObjectNode item = traces.addObject();
      item.put("trace_id", summary.traceId());
      item.putObject("root")
          .put("name", summary.rootName())
          .put("kind", summary.rootKind())
          .put("synthetic", summary.rootSynthetic());
      totals(item, summary.totals());
      item.put("truncated", summary.truncated());
    }
    next(body, page.next());
    return body;
  }

  /** {@code {"session_id", group numbers..., "turns": [...], "next"}}. */
  static ObjectNode session(ObjectMapper json, SessionService.Session session) {
    ObjectNode body = json.createObjectNode();
    body.put("session_id", session.sessionId());
    group(body, session.totals(), "users", "user_id");
    ArrayNode turns = body.putArray("turns");
    for (SessionService.Turn turn : session.turns()) {
      ObjectNode item = turns.addObject();
      put(item, "request_id", turn.requestId());
      put(item, "timestamp", turn.timestamp() == null ? null : turn.timestamp().toString());
      put(item, "model", turn.model());
      put(item, "level", turn.level());
      if (turn.errorType() != null || turn.errorMessage() != null) {
        ObjectNode error = item.putObject("error");
        put(error, "type", turn.errorType());
        put(error, "message", turn.errorMessage());
      }
      if (turn.latencyMs() != null) {
        item.put("latency_ms", turn.latencyMs());
      }
      put(item, "input_tokens", turn.inputTokens());
      put(item, "output_tokens", turn.outputTokens());
      if (turn.costUsd() != null) {
        item.put("cost_usd", turn.costUsd());
      }
      put(item, "trace_id", turn.traceId());
      put(item, "user_id", turn.userId());
      put(item, "stop_reason", turn.stopReason());
      put(item, "system", turn.system());
      messages(item.putArray("input"), turn.input());
      messages(item.putArray("output"), turn.output());
    }
    next(body, session.next());
    return body;
  }

  private static void messages(ArrayNode out, List<Conversation.Message> messages) {
    for (Conversation.Message message : messages) {
      ObjectNode item = out.addObject();
      item.put("role", message.role());
      ArrayNode parts = item.putArray("parts");
      for (Conversation.Part part : message.parts()) {
        ObjectNode p = parts.addObject().put("type", part.type());
        put(p, "text", part.text());
        put(p, "name", part.name());
      }
    }
  }

  /** {@code {"sessions": [{"session_id", group numbers...}], "next"}}. */
  static ObjectNode sessions(ObjectMapper json, SessionService.Page page) {
    ObjectNode body = json.createObjectNode();
    ArrayNode sessions = body.putArray("sessions");
    for (SessionService.Summary summary : page.sessions()) {
      ObjectNode item = sessions.addObject();
      item.put("session_id", summary.sessionId());
      group(item, summary.totals(), "users", "user_id");
    }
    next(body, page.next());
    return body;
  }

  /** {@code {"user_id", group numbers..., "sessions": [{"session_id", "calls", "last"}]}}. */
  static ObjectNode user(ObjectMapper json, UserService.User user) {
    ObjectNode body = json.createObjectNode();
    body.put("user_id", user.userId());
    group(body, user.totals(), "sessions", "session_id");
    return body;
  }

  /** {@code {"users": [{"user_id", group numbers...}], "next"}}. */
  static ObjectNode users(ObjectMapper json, UserService.Page page) {
    ObjectNode body = json.createObjectNode();
    ArrayNode users = body.putArray("users");
    for (UserService.User user : page.users()) {
      ObjectNode item = users.addObject();
      item.put("user_id", user.userId());
      group(item, user.totals(), "sessions", "session_id");
    }
    next(body, page.next());
    return body;
  }

  /**
   * A session's or a user's numbers: {@code calls, errors, input_tokens, output_tokens,
   * total_tokens, cost_usd, first, last, models: [{"model", "calls", "last"}]}, the other listed
   * field under {@code listName}, and the distinct counts ({@code distinct: {"trace_id": 3}}).
   */
  private static void group(
      ObjectNode out, GroupSearches.Totals totals, String listName, String listField) {
    out.put("calls", totals.documents());
    out.put("errors", totals.errors());
    out.put("input_tokens", totals.inputTokens());
    out.put("output_tokens", totals.outputTokens());
    out.put("total_tokens", totals.totalTokens());
    out.put("cost_usd", totals.costUsd());
    put(out, "first", totals.first() == null ? null : totals.first().toString());
    put(out, "last", totals.last() == null ? null : totals.last().toString());
    counts(out.putArray("models"), "model", totals.top().getOrDefault("model", List.of()));
    counts(out.putArray(listName), listField, totals.top().getOrDefault(listField, List.of()));
    ObjectNode distinct = out.putObject("distinct");
    totals.distinct().forEach(distinct::put);
  }

  private static void counts(ArrayNode out, String name, List<GroupSearches.Count> counts) {
    for (GroupSearches.Count count : counts) {
      ObjectNode item = out.addObject().put(name, count.value()).put("calls", count.documents());
      put(item, "last", count.last() == null ? null : count.last().toString());
    }
  }

  private static void next(ObjectNode body, String next) {
    if (next == null) {
      body.putNull("next");
    } else {
      body.put("next", next);
    }
  }

  private static void strings(ArrayNode out, List<String> values) {
    values.forEach(out::add);
  }

  private static void put(ObjectNode out, String name, String value) {
    if (value != null) {
      out.put(name, value);
    }
  }

  private static void put(ObjectNode out, String name, Long value) {
    if (value != null) {
      out.put(name, value);
    }
  }

  /** To the microsecond: sums of float durations carry binary noise in the last digits. */
  private static double round(double millis) {
    return Math.round(millis * 1000) / 1000.0;
  }
}

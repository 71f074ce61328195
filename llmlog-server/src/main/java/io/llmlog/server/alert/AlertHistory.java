package io.llmlog.server.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.core.Timestamps;
import io.llmlog.server.store.IndexFamily;
import io.llmlog.server.store.LogStore;
import io.llmlog.server.store.SearchAnswer;
import io.llmlog.server.store.SearchFailedException;
import io.llmlog.server.store.WriteOp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Alert transitions kept in {@code llm-alerts-YYYY.MM.dd}, one document each; its id derives from
 * the alert, labels, new state and time, so writing it twice stores it once.
 */
final class AlertHistory {
  private final LogStore store;
  private final ObjectMapper json;

  AlertHistory(LogStore store, ObjectMapper json) {
    this.store = store;
    this.json = json;
  }

  void record(List<Evaluator.Transition> transitions, String server) {
    if (transitions.isEmpty()) {
      return;
    }
    List<WriteOp> ops = new ArrayList<>();
    for (Evaluator.Transition transition : transitions) {
      Rule rule = transition.rule();
      Instance instance = transition.instance();
      ObjectNode doc = json.createObjectNode();
      doc.put("timestamp", Timestamps.format(transition.at()));
      doc.put("alert", rule.name());
      doc.put("severity", rule.severity());
      doc.put("from", transition.from().text());
      doc.put("to", transition.to().text());
      ObjectNode labels = doc.putObject("labels");
      Evaluator.labels(rule, instance).forEach(labels::put);
      Instance.number(doc, "value", instance.value());
      Instance.number(doc, "threshold", instance.threshold());
      doc.put("calls", instance.calls());
      doc.put("condition", rule.condition().text());
      doc.put("window", rule.windowText());
      doc.put("summary", Evaluator.summary(rule, instance));
      doc.put("server", server);
      byte[] source = bytes(doc);
      String id =
          id(
              rule.name()
                  + Instance.key(rule.name(), instance.labels())
                  + transition.to()
                  + transition.at());
      ops.add(new WriteOp(store.index(IndexFamily.ALERTS, transition.at()), id, source, false));
    }
    store.write(ops, false);
  }

  /**
   * Transitions, newest first.
   *
   * @param alert only this rule's, or null
   * @param state only transitions to this state, or null
   * @param from, to ISO-8601 bounds or date math, or null
   */
  AlertsOverview.History search(String alert, String state, String from, String to, int size) {
    ObjectNode body = json.createObjectNode();
    body.put("size", size);
    body.put("track_total_hits", true);
    ArrayNode filter = body.putObject("query").putObject("bool").putArray("filter");
    if (alert != null) {
      filter.addObject().putObject("term").put("alert", alert);
    }
    if (state != null) {
      filter.addObject().putObject("term").put("to", state);
    }
    if (from != null || to != null) {
      ObjectNode range = filter.addObject().putObject("range").putObject("timestamp");
      if (from != null) {
        range.put("gte", from);
      }
      if (to != null) {
        range.put("lte", to);
      }
    }
    body.putArray("sort").addObject().put("timestamp", "desc");
    SearchAnswer answer;
    try {
      answer = store.searches().search(IndexFamily.ALERTS, body);
    } catch (SearchFailedException e) {
      if (e.status() == 400) {
        throw new IllegalArgumentException(
            "the engine refused the history query: " + e.getMessage());
      }
      throw e;
    }
    return new AlertsOverview.History(
        answer.total(), answer.hits().stream().map(SearchAnswer.Hit::source).toList());
  }

  private static String id(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)),
              0,
              16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private byte[] bytes(JsonNode node) {
    try {
      return json.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}

package io.llmlog.server.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.core.Timestamps;
import io.llmlog.server.config.ConfigException;
import io.llmlog.server.config.Settings;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A receiver of notifications: a URL that takes a POST of JSON, in llmlog's own format (close to an
 * Alertmanager webhook's alert) or as a Slack incoming-webhook message.
 *
 * @param format {@code json} or {@code slack}
 * @param headers sent with every request, e.g. an Authorization header
 */
record Webhook(URI url, String format, Map<String, String> headers) {
  Webhook {
    headers = Map.copyOf(headers);
  }

  /**
   * {@code alerts.webhooks}: a list of {@code {url, format, headers}}, or URLs as comma-separated
   * text. URLs and headers are secret: a Slack webhook's URL and an Authorization header carry
   * tokens.
   */
  static List<Webhook> from(Settings settings) {
    Object raw = settings.raw("alerts.webhooks");
    List<Webhook> hooks = new ArrayList<>();
    if (raw == null) {
      return hooks;
    }
    if (raw instanceof String) {
      for (String url : settings.secret("alerts.webhooks", null).split(",")) {
        if (!url.isBlank()) {
          hooks.add(new Webhook(uri(url.trim()), "json", Map.of()));
        }
      }
      return hooks;
    }
    for (Settings item : settings.items("alerts.webhooks")) {
      String url = item.value() instanceof Map ? item.secret("url", null) : null;
      if (url == null) {
        throw new ConfigException(
            "each entry of alerts.webhooks needs a url (and optionally format: json|slack, headers: {...})");
      }
      String format = item.string("format", "json").trim().toLowerCase(Locale.ROOT);
      if (!format.equals("json") && !format.equals("slack")) {
        throw new ConfigException(
            "alerts.webhooks: format must be json or slack, was '" + format + "'");
      }
      Map<String, String> headers = new LinkedHashMap<>();
      item.secretKey("headers")
          .map("headers")
          .forEach((name, value) -> headers.put(name, String.valueOf(value)));
      hooks.add(new Webhook(uri(url.trim()), format, headers));
    }
    return hooks;
  }

  private static URI uri(String text) {
    try {
      URI uri = URI.create(text);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
          || uri.getHost() == null) {
        throw new IllegalArgumentException();
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          "alerts.webhooks: '" + Settings.masked(text) + "' is not an http(s) URL");
    }
  }

  /** The request body for a notification. */
  ObjectNode body(Notification notification, String server, ObjectMapper json) {
    return format.equals("slack") ? slack(notification, json) : llmlog(notification, server, json);
  }

  /** llmlog's format, documented in docs/alerts.md. */
  static ObjectNode llmlog(Notification n, String server, ObjectMapper json) {
    ObjectNode body = json.createObjectNode();
    body.put("version", "1");
    body.put("source", "llmlog");
    body.put("status", n.status());
    body.put("alert", n.alert());
    body.put("severity", n.severity());
    ObjectNode labels = body.putObject("labels");
    n.labels().forEach(labels::put);
    Instance.number(body, "value", n.value());
    Instance.number(body, "threshold", n.threshold());
    body.put("calls", n.calls());
    body.put("condition", n.condition());
    body.put("window", n.window());
    body.put("summary", n.summary());
    Instance.time(body, "startsAt", n.startsAt());
    Instance.time(body, "endsAt", n.endsAt());
    body.put("repeat", n.repeat());
    body.put("fingerprint", n.fingerprint());
    body.put("server", server);
    return body;
  }

  /** A Slack incoming-webhook message: a text line and a coloured attachment with the details. */
  static ObjectNode slack(Notification n, ObjectMapper json) {
    ObjectNode body = json.createObjectNode();
    String icon = n.firing() ? ":rotating_light:" : ":white_check_mark:";
    String status = n.firing() ? (n.repeat() ? "FIRING (still)" : "FIRING") : "RESOLVED";
    body.put(
        "text",
        icon + " [" + status + "] " + n.alert() + " (" + n.severity() + "): " + n.summary());
    ArrayNode attachments = body.putArray("attachments");
    ObjectNode attachment = attachments.addObject();
    attachment.put(
        "color",
        n.firing() ? ("critical".equals(n.severity()) ? "#d62728" : "#ff7f0e") : "#2ca02c");
    attachment.put("fallback", n.alert() + " " + n.status());
    ArrayNode fields = attachment.putArray("fields");
    field(fields, "Condition", n.condition() + " over " + n.window());
    field(
        fields,
        "Value",
        Template.number(n.value()) + " (threshold " + Template.number(n.threshold()) + ")");
    field(fields, "Calls", Template.number(n.calls()));
    field(
        fields,
        n.firing() ? "Since" : "Resolved",
        Timestamps.format(n.firing() ? n.startsAt() : n.endsAt()));
    n.labels()
        .forEach(
            (name, value) -> {
              if (!name.equals("alertname") && !name.equals("severity")) {
                field(fields, name, value);
              }
            });
    return body;
  }

  private static void field(ArrayNode fields, String title, String value) {
    fields.addObject().put("title", title).put("value", value).put("short", true);
  }
}

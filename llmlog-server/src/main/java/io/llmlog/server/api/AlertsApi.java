package io.llmlog.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.server.alert.AlertService;
import io.llmlog.server.config.LlmlogConfig.Role;
import io.llmlog.server.live.LiveAggregates;
import java.util.Set;

/**
 * The live aggregates and the alerts on the native API: {@code GET /api/v1/live}, {@code GET
 * /api/v1/alerts} and {@code GET /api/v1/alerts/history}. The live and alert capabilities answer
 * records; this reads the parameters and writes the JSON.
 */
final class AlertsApi {
  private static final Set<String> STATES = Set.of("pending", "firing", "resolved", "inactive");

  private final LiveAggregates live;
  private final AlertService alerts;
  private final ObjectMapper json;

  AlertsApi(LiveAggregates live, AlertService alerts, ObjectMapper json) {
    this.live = live;
    this.alerts = alerts;
    this.json = json;
  }

  void register(Router router) {
    router.add("GET", "/api/v1/live", Role.READ, this::live);
    router.add(
        "GET",
        "/api/v1/alerts",
        Role.READ,
        exchange -> exchange.json(200, AlertsJson.overview(json, alerts.overview())));
    router.add("GET", "/api/v1/alerts/history", Role.READ, this::history);
  }

  private void live(Exchange exchange) throws Exception {
    int retention = (int) live.settings().retention().toMinutes();
    int minutes = exchange.queryInt("minutes", Math.min(60, retention), 1, retention);
    exchange.json(200, LiveJson.render(json, live.report(minutes)));
  }

  private void history(Exchange exchange) throws Exception {
    String state = exchange.query("state");
    if (state != null && !STATES.contains(state)) {
      throw ApiException.badRequest(
          "state must be one of pending, firing, resolved, inactive; was '" + state + "'");
    }
    try {
      exchange.json(
          200,
          AlertsJson.history(
              json,
              alerts.history(
                  exchange.query("alert"),
                  state,
                  exchange.query("from"),
                  exchange.query("to"),
                  exchange.queryInt("size", 100, 1, NativeApi.MAX_PAGE))));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }
}

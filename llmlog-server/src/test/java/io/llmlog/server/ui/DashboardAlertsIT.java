package io.llmlog.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmlog.core.Timestamps;
import io.llmlog.server.LlmlogServer;
import io.llmlog.server.MutableClock;
import io.llmlog.server.TestServers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The Alerts page against a server whose rules fire on the seeded traffic plus an incident (gpt-4o
 * rate-limited for three minutes). The server's clock stands still and the test moves it one
 * evaluation interval, as {@code AlertsIT} does, so the states, values and live numbers stay put
 * while the page and the API are compared.
 */
class DashboardAlertsIT extends DashboardITBase {
  static final Duration INTERVAL = Duration.ofSeconds(15);
  static final int INCIDENT_CALLS = 60;

  final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));

  @Override
  protected Clock clock() {
    return clock;
  }

  /**
   * The two built-in rules, one per model that only pends (its "for" is long), and one that stays
   * quiet.
   */
  @Override
  protected Map<String, Object> settings() {
    Map<String, Object> perModel = new LinkedHashMap<>();
    perModel.put("alert", "ModelErrorRate");
    perModel.put("condition", "count(errors) / count(all) > 0.1");
    perModel.put("window", "5m");
    perModel.put("group_by", List.of("model"));
    perModel.put("for", "10m");
    perModel.put("min_count", 5);
    perModel.put("severity", "warning");
    perModel.put("labels", Map.of("team", "ml-platform"));
    Map<String, Object> truncated =
        Map.of(
            "alert",
            "TruncatedAnswers",
            "condition",
            "count(stop_reason:length) / count(all) > 0.25",
            "window",
            "15m",
            "min_count",
            20,
            "severity",
            "info");
    return Map.of(
        "alerts", Map.of("evaluation_interval", "15s", "rules", List.of(perModel, truncated)));
  }

  @BeforeAll
  void fire() {
    post("/api/v1/logs?refresh=wait_for", DashboardSeed.incident(clock.instant(), INCIDENT_CALLS));
    clock.advance(INTERVAL);
    String evaluation = Timestamps.format(clock.instant());
    browser.waitFor(
        d ->
            evaluation.equals(alerts().path("evaluation").path("last_run").asText()) ? true : null);
    browser.waitFor(
        d ->
            api.get("/api/v1/alerts/history?state=firing").json().path("total").asInt() > 0
                ? true
                : null);
  }

  @Test
  void alerts_ruleFiring_showsStateValueAndThresholdAsTheApiDoes() {
    browser.open(base + "#/alerts?refresh=off");
    ready("alerts");

    JsonNode alerts = alerts();
    JsonNode highErrorRate = rule(alerts, "HighErrorRate");
    assertThat(highErrorRate.path("state").asText()).isEqualTo("firing");
    for (JsonNode rule : alerts.path("rules")) {
      WebElement card = browser.waitFor(".rule[data-rule='" + rule.path("alert").asText() + "']");
      assertThat(card.getAttribute("data-state"))
          .as(rule.path("alert").asText())
          .isEqualTo(rule.path("state").asText());
      assertThat(card.findElement(By.cssSelector(".state-pill")).getText())
          .isEqualTo(label(rule.path("state").asText()));
    }
    WebElement card = browser.waitFor(".rule[data-rule=HighErrorRate]");
    WebElement value = card.findElement(By.cssSelector(".measure-number[data-value]"));
    assertThat(Double.parseDouble(value.getAttribute("data-value")))
        .isEqualTo(highErrorRate.path("value").asDouble());
    assertThat(value.getText()).endsWith("%");
    WebElement threshold = card.findElement(By.cssSelector(".measure-number[data-threshold]"));
    assertThat(Double.parseDouble(threshold.getAttribute("data-threshold"))).isEqualTo(0.05);
    assertThat(threshold.getText()).isEqualTo("5.00%");
    assertThat(
            browser
                .waitFor(".rule[data-rule=SlowInference] .measure-number[data-threshold]")
                .getText())
        .isEqualTo("10.0 s");
    assertThat(card.getText()).contains("count(errors) / count(all) > 0.05", "over 5m", "critical");

    JsonNode perModel = rule(alerts, "ModelErrorRate");
    for (JsonNode instance : perModel.path("instances")) {
      WebElement row =
          browser.waitFor(
              ".rule[data-rule=ModelErrorRate] tr[data-instance='"
                  + instance.path("labels").path("model").asText()
                  + "']");
      assertThat(row.getAttribute("data-state")).isEqualTo(instance.path("state").asText());
    }
    assertThat(perModel.path("instances"))
        .anyMatch(instance -> instance.path("state").asText().equals("pending"));
    assertThat(browser.waitFor(".alerts-body").getAttribute("data-firing"))
        .isEqualTo(String.valueOf(firing(alerts)));

    browser.screenshot(screenshots.resolve("alerts.png"));
  }

  @Test
  void alerts_history_listsTheTransitionsAndFiltersThemInTheUrl() {
    JsonNode history = api.get("/api/v1/alerts/history?alert=HighErrorRate").json();
    assertThat(history.path("transitions")).isNotEmpty();

    browser.open(base + "#/alerts?alert=HighErrorRate&refresh=off");
    WebElement selected = ready("alerts");

    assertThat(browser.all(".rule").get(0).getAttribute("data-rule")).isEqualTo("HighErrorRate");
    assertThat(browser.waitFor(".rule[data-rule=HighErrorRate]").getAttribute("class"))
        .contains("selected");
    List<WebElement> rows = browser.all(".history-table tbody tr");
    assertThat(rows)
        .hasSize(history.path("transitions").size())
        .allSatisfy(row -> assertThat(row.getAttribute("data-alert")).isEqualTo("HighErrorRate"));
    WebElement firing =
        browser.waitFor(".history-table tr[data-alert=HighErrorRate][data-to=firing]");
    JsonNode transition = history.path("transitions").get(0);
    assertThat(firing.getAttribute("data-timestamp"))
        .isEqualTo(transition.path("timestamp").asText());
    assertThat(
            Double.parseDouble(
                firing.findElement(By.cssSelector("td[data-value]")).getAttribute("data-value")))
        .isEqualTo(transition.path("value").asDouble());

    new Select(browser.waitFor("#history-state")).selectByValue("pending");
    browser.waitFor(ExpectedConditions.stalenessOf(selected));
    ready("alerts");
    assertThat(browser.driver().getCurrentUrl()).contains("alert=HighErrorRate", "state=pending");
    browser.waitFor("[data-empty=no-history]");

    new Select(browser.waitFor("#history-alert")).selectByValue("ModelErrorRate");
    browser.waitFor(
        "[data-view=alerts] [data-state=ready] .history-table tr[data-alert=ModelErrorRate][data-to=pending]");
    assertThat(browser.all(".history-table tbody tr"))
        .allSatisfy(row -> assertThat(row.getAttribute("data-to")).isEqualTo("pending"));
  }

  @Test
  void alerts_liveNumbers_areTheLiveApis() {
    browser.open(base + "#/alerts?refresh=off");
    ready("alerts");
    WebElement calls = browser.waitFor("figure[data-chart=live_calls]");
    browser.waitFor("figure[data-chart=live_calls] canvas");

    JsonNode window = api.get("/api/v1/live?minutes=60").json().path("totals").path("window");
    // The seeded hour and the showcase call (the hostile and the long one are older than the live
    // hour), and the incident.
    assertThat(window.path("count").asDouble()).isEqualTo(CALLS + 1 + INCIDENT_CALLS);
    assertThat(Double.parseDouble(calls.getAttribute("data-sum")))
        .isEqualTo(window.path("count").asDouble());
    assertThat(
            Double.parseDouble(
                browser.waitFor(".kpi[data-metric=live_error_rate]").getAttribute("data-value")))
        .isEqualTo(window.path("error_rate").asDouble());
    assertThat(
            Double.parseDouble(
                browser.waitFor(".kpi[data-metric=live_latency_p95]").getAttribute("data-value")))
        .isEqualTo(window.path("latency_ms").path("p95").asDouble());
    assertThat(
            browser.all(
                "figure[data-chart=live_error_rate] canvas, figure[data-chart=live_latency] canvas"))
        .hasSize(2);
  }

  @Test
  void nav_firingAlerts_showTheirCountOnEveryPage() {
    String count = String.valueOf(firing(alerts()));
    assertThat(count).isNotEqualTo("0");
    for (String view :
        List.of(
            "#/overview?range=1h", "#/explorer?range=1h", "#/lifecycle", "#/alerts?refresh=off")) {
      browser.open(base + view);
      WebElement badge = browser.waitFor("#nav a[data-page=alerts] .nav-badge");
      assertThat(badge.getDomProperty("textContent")).as(view).isEqualTo(count + " firing");
      assertThat(browser.waitFor("#nav a[data-page=alerts]").getAttribute("data-firing"))
          .isEqualTo(count);
    }
  }

  @Test
  void alerts_nothingFiring_saysAllClear() {
    Map<String, Object> quietEngine =
        new LinkedHashMap<>(
            Map.of(
                "url", engine.uri().toString(), "index_prefix", engine.indexPrefix() + "quiet-"));
    try (LlmlogServer quiet = TestServers.start(Map.of("engine", quietEngine))) {
      browser.open(TestServers.api(quiet) + "#/alerts?refresh=off");
      ready("alerts");

      assertThat(browser.waitFor("[data-empty=all-clear]").getText())
          .contains("no alert is firing");
      browser.waitFor("[data-empty=no-history]");
      assertThat(browser.all(".rule"))
          .extracting(rule -> rule.getAttribute("data-state"))
          .containsOnly("inactive");
      assertThat(browser.all("#nav .nav-badge")).isEmpty();
      assertThat(browser.waitFor("#nav a[data-page=alerts]").getAttribute("data-firing"))
          .isEqualTo("0");
    }
  }

  @Test
  void alerts_phoneWidth_fitsWithoutSideScrolling() {
    browser.viewport(390, 844, true);
    try {
      browser.open(base + "#/alerts?refresh=off");
      ready("alerts");
      browser.waitFor("figure[data-chart=live_calls] canvas");
      assertThat(
              (Long)
                  browser.script(
                      "return document.documentElement.scrollWidth - document.documentElement.clientWidth"))
          .isLessThanOrEqualTo(0L);
    } finally {
      browser.viewport(1366, 768, false);
    }
  }

  private JsonNode alerts() {
    return api.get("/api/v1/alerts").json();
  }

  private static JsonNode rule(JsonNode alerts, String name) {
    for (JsonNode rule : alerts.path("rules")) {
      if (rule.path("alert").asText().equals(name)) {
        return rule;
      }
    }
    throw new AssertionError("no rule " + name + " in " + alerts);
  }

  /** Firing instances, as the nav badge counts them. */
  private static int firing(JsonNode alerts) {
    int count = 0;
    for (JsonNode rule : alerts.path("rules")) {
      for (JsonNode instance : rule.path("instances")) {
        count += instance.path("state").asText().equals("firing") ? 1 : 0;
      }
    }
    return count;
  }

  private static String label(String state) {
    return switch (state) {
      case "firing" -> "Firing";
      case "pending" -> "Pending";
      case "resolved" -> "Resolved";
      default -> "OK";
    };
  }
}

package io.llmlog.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.server.LlmlogServer;
import io.llmlog.server.TestServers;
import java.text.NumberFormat;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard in a real headless Chromium against a real server and engine, checked as a person
 * would use it: the overview's numbers are the stats API's, searches find the right calls, results
 * page and sort, a call reads in full and can be rated, views survive a reload, and the layout
 * holds at phone width. It also takes the README's screenshots.
 */
class DashboardIT extends DashboardITBase {
  @Test
  void overview_lastHour_showsTheStatsApisNumbersAndCharts() {
    browser.open(base + "#/overview?range=1h");
    WebElement body = ready("overview");
    browser.waitFor("figure[data-chart=requests] canvas");

    JsonNode stats =
        api.get(
                "/api/v1/stats?by=model&interval=auto&from="
                    + encode(body.getAttribute("data-from"))
                    + "&to="
                    + encode(body.getAttribute("data-to")))
            .json();
    JsonNode totals = stats.path("totals");
    assertThat(totals.path("calls").asLong()).isEqualTo(CALLS + 1);
    Map<String, JsonNode> expected = new LinkedHashMap<>();
    expected.put("calls", totals.path("calls"));
    expected.put("error_rate", totals.path("error_rate"));
    expected.put("latency_p50", totals.path("latency_ms").path("p50"));
    expected.put("latency_p95", totals.path("latency_ms").path("p95"));
    expected.put("latency_p99", totals.path("latency_ms").path("p99"));
    expected.put("ttft_p50", totals.path("ttft_ms").path("p50"));
    expected.put("input_tokens", totals.path("input_tokens"));
    expected.put("output_tokens", totals.path("output_tokens"));
    expected.put("cost_usd", totals.path("cost_usd"));
    expected.forEach(
        (metric, value) ->
            assertThat(Double.parseDouble(kpi(metric).getAttribute("data-value")))
                .as(metric)
                .isEqualTo(value.asDouble()));
    assertThat(kpi("calls").findElement(By.cssSelector(".kpi-value")).getText())
        .isEqualTo(
            NumberFormat.getIntegerInstance(Locale.US).format(totals.path("calls").asLong()));

    for (String chart : List.of("requests", "error_rate", "latency", "ttft", "tokens", "cost")) {
      WebElement figure = browser.waitFor("figure[data-chart=" + chart + "]");
      assertThat(figure.findElements(By.tagName("canvas"))).as(chart).isNotEmpty();
      assertThat(Integer.parseInt(figure.getAttribute("data-points"))).as(chart).isPositive();
    }
    WebElement requests = browser.waitFor("figure[data-chart=requests]");
    assertThat(requests.getAttribute("data-series").split("\\|"))
        .containsExactlyInAnyOrder("gpt-4o", "gpt-4o-mini", "claude-sonnet-4", "deepseek-chat");
    assertThat(Double.parseDouble(requests.getAttribute("data-sum")))
        .isEqualTo(totals.path("calls").asDouble());
    assertThat(
            Double.parseDouble(
                browser.waitFor("figure[data-chart=tokens]").getAttribute("data-sum")))
        .isEqualTo(
            totals.path("input_tokens").asDouble() + totals.path("output_tokens").asDouble());
    for (JsonNode group : stats.path("groups")) {
      WebElement row =
          browser.waitFor(
              "[data-table=model] tr[data-key='"
                  + group.path("key").asText()
                  + "'] td[data-value]");
      assertThat(Double.parseDouble(row.getAttribute("data-value")))
          .isEqualTo(group.path("calls").asDouble());
    }
    assertThat(browser.all("[data-table=user_id] tbody tr[data-key]")).hasSize(10);

    browser.screenshot(screenshots.resolve("overview.png"));
  }

  @Test
  void overview_autoRefresh_showsACallThatArrivedAfterTheLoad() {
    browser.open(
        base + "#/overview?range=24h&refresh=10s&q=" + encode("service:\"refresh-probe\""));
    browser.waitFor("[data-view=overview] [data-empty=no-match]");
    assertThat(browser.waitFor("#refresh").getDomProperty("value")).isEqualTo("10s");

    // Outside the last hour, so the other tests' numbers stay as they are.
    ObjectNode late =
        DashboardSeed.JSON
            .createObjectNode()
            .put("request_id", "req_refresh_probe")
            .put("service", "refresh-probe")
            .put("model", "gpt-4o")
            .put("timestamp", Instant.now().minusSeconds(90 * 60).toString())
            .put("latency_ms", 900.0);
    post("/api/v1/logs?refresh=wait_for", List.of(late));

    assertThat(browser.waitFor(".kpi[data-metric=calls]").getAttribute("data-value"))
        .isEqualTo("1");
  }

  @Test
  void overview_noCallsStoredYet_showsHowToSendTheFirst() {
    Map<String, Object> emptyEngine =
        new LinkedHashMap<>(
            Map.of(
                "url", engine.uri().toString(), "index_prefix", engine.indexPrefix() + "empty-"));
    try (LlmlogServer fresh = TestServers.start(Map.of("engine", emptyEngine))) {
      String freshBase = TestServers.api(fresh).toString();
      for (String view : List.of("#/overview", "#/explorer")) {
        browser.open(freshBase + view);
        WebElement welcome = browser.waitFor("[data-empty=no-calls]");
        assertThat(welcome.getText())
            .contains(
                "curl -s " + freshBase + "api/v1/logs",
                ".endpoint(URI.create(\"" + freshBase.replaceAll("/$", "") + "\"))");
      }
    }
  }

  @Test
  void explorer_kqlOnKeywords_listsExactlyTheMatchingCalls() {
    String query = "model:\"claude-sonnet-4\" and level:error";
    List<String> expected =
        seed.ids(
            c ->
                c.path("model").asText().equals("claude-sonnet-4")
                    && c.path("level").asText().equals("error")
                    && !c.path("request_id").asText().equals(DashboardSeed.HOSTILE_ID));
    assertThat(expected).isNotEmpty();

    browser.open(base + "#/explorer?range=1h&q=" + encode(query));
    ready("explorer");

    assertThat(rowIds()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(browser.waitFor(".explorer-body .summary").getAttribute("data-total"))
        .isEqualTo(String.valueOf(expected.size()));
    assertThat(browser.all("tbody tr .badge.level-error")).hasSize(expected.size());
  }

  @Test
  void explorer_freeText_highlightsTheMatchedWords() {
    List<String> expected =
        seed.ids(
            c ->
                (DashboardSeed.mentions(c, "refund") || DashboardSeed.mentions(c, "退款"))
                    && c.path("model").asText().equals("gpt-4o"));
    assertThat(expected).hasSizeBetween(1, 50);

    browser.open(base + "#/explorer?range=1h&q=" + encode("(refund or 退款) and model:\"gpt-4o\""));
    ready("explorer");

    assertThat(rowIds()).containsExactlyInAnyOrderElementsOf(expected);
    for (WebElement cell : browser.all("tbody td.col-prompt")) {
      assertThat(cell.findElements(By.tagName("mark")))
          .extracting(mark -> mark.getText().toLowerCase(Locale.ROOT))
          .isNotEmpty()
          .allSatisfy(mark -> assertThat(mark).isIn("refund", "退款"));
    }
    browser.screenshot(screenshots.resolve("explorer.png"));
  }

  @Test
  void explorer_paging_goesForwardSurvivesReloadAndComesBack() {
    browser.open(base + "#/explorer?range=1h");
    WebElement first = ready("explorer");
    List<String> page1 = rowIds();
    assertThat(page1).hasSize(50);

    browser.waitFor("a[data-pager=next]").click();
    browser.waitFor(ExpectedConditions.stalenessOf(first));
    WebElement second = ready("explorer");
    List<String> page2 = rowIds();
    assertThat(page2).hasSize(50).doesNotContainAnyElementsOf(page1);
    assertThat(browser.driver().getCurrentUrl()).contains("pages=");

    browser.driver().navigate().refresh();
    browser.waitFor(ExpectedConditions.stalenessOf(second));
    WebElement reloaded = ready("explorer");
    assertThat(rowIds()).isEqualTo(page2);

    browser.waitFor("a[data-pager=previous]").click();
    browser.waitFor(ExpectedConditions.stalenessOf(reloaded));
    WebElement back = ready("explorer");
    assertThat(rowIds()).isEqualTo(page1);

    browser.waitFor("a.sort[data-sort=latency_ms]").click();
    browser.waitFor(ExpectedConditions.stalenessOf(back));
    ready("explorer");
    double slowest =
        seed.calls().stream()
            .filter(c -> !c.path("request_id").asText().equals(DashboardSeed.HOSTILE_ID))
            .mapToDouble(c -> c.path("latency_ms").asDouble())
            .max()
            .orElseThrow();
    assertThat(
            Double.parseDouble(
                browser.waitFor("tbody tr td.col-latency").getAttribute("data-value")))
        .isEqualTo(slowest);
  }

  @Test
  void explorer_customRange_findsTheCallsOfThatWindowAndKeepsItInTheUrl() {
    long hostile =
        Instant.parse(
                seed.calls().stream()
                    .filter(c -> c.path("request_id").asText().equals(DashboardSeed.HOSTILE_ID))
                    .findFirst()
                    .orElseThrow()
                    .path("timestamp")
                    .asText())
            .toEpochMilli();
    browser.open(base + "#/explorer?range=1h");
    WebElement lastHour = ready("explorer");

    new Select(browser.waitFor("#range")).selectByValue("custom");
    browser.waitFor("#custom-range:not([hidden])");
    browser.script(
        "const local = (ms) => { const d = new Date(ms), p = (n) => String(n).padStart(2, '0');"
            + " return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`; };"
            + " document.getElementById('custom-from').value = local(arguments[0]);"
            + " document.getElementById('custom-to').value = local(arguments[1]);",
        hostile - 300_000,
        hostile + 300_000);
    browser.waitFor("#query-bar button[type=submit]").click();
    browser.waitFor(ExpectedConditions.stalenessOf(lastHour));
    WebElement custom = ready("explorer");

    assertThat(rowIds()).containsExactly(DashboardSeed.HOSTILE_ID);
    assertThat(browser.driver().getCurrentUrl()).contains("range=custom", "from=", "to=");
    browser.driver().navigate().refresh();
    browser.waitFor(ExpectedConditions.stalenessOf(custom));
    ready("explorer");
    assertThat(rowIds()).containsExactly(DashboardSeed.HOSTILE_ID);
    assertThat(browser.waitFor("#range").getDomProperty("value")).isEqualTo("custom");
  }

  @Test
  void explorer_badKql_pointsAtThePosition() {
    String query = "model:(gpt-4o or";
    JsonNode error = api.get("/api/v1/search?q=" + encode(query)).json().path("error");

    browser.open(base + "#/explorer?range=1h&q=" + encode(query));

    WebElement box = browser.waitFor("#kql-error:not([hidden])");
    assertThat(box.getText()).contains("position " + error.path("position").asInt());
    assertThat(browser.waitFor("#kql-error pre.kql-caret").getAttribute("data-position"))
        .isEqualTo(error.path("position").asText());
    assertThat(browser.waitFor("#kql").getAttribute("aria-invalid")).isEqualTo("true");
  }

  @Test
  void call_openedFromTheExplorer_showsTheWholeCall() {
    JsonNode stored = api.get("/api/v1/logs/" + DashboardSeed.SHOWCASE_ID).json().path("document");
    browser.open(
        base
            + "#/explorer?range=1h&q="
            + encode("session_id:\"" + DashboardSeed.SHOWCASE_SESSION + "\""));
    ready("explorer");

    browser
        .waitFor("tr[data-request-id='" + DashboardSeed.SHOWCASE_ID + "'] td.col-time a")
        .click();
    ready("call");

    assertThat(text("pre.text[data-field=prompt]"))
        .isEqualTo(stored.path("prompt").asText())
        .contains("[EMAIL]", "[PHONE]");
    assertThat(text("pre.text[data-field=system_prompt]"))
        .isEqualTo(stored.path("system_prompt").asText());
    assertThat(text("pre.text[data-field=response]")).isEqualTo(stored.path("response").asText());
    assertThat(browser.all("pre.text[data-field=prompt] mark.redaction"))
        .extracting(WebElement::getText)
        .contains("[EMAIL]", "[PHONE]");
    assertThat(browser.all("[data-redacted]"))
        .extracting(e -> e.getAttribute("data-redacted"))
        .contains("email", "phone");
    assertThat(browser.all(".latency-bar .phase"))
        .extracting(e -> e.getAttribute("data-phase"))
        .containsExactly("queue", "first", "generation");
    assertThat(browser.all(".quality-list li")).hasSize(2);
    assertThat(browser.waitFor("a[data-related=session_id]").getAttribute("href"))
        .contains("#/explorer?q=session_id");

    browser.screenshot(screenshots.resolve("detail.png"));
  }

  @Test
  void call_longResponse_startsFoldedAndUnfolds() {
    String stored =
        api.get("/api/v1/logs/" + DashboardSeed.LONG_ID)
            .json()
            .path("document")
            .path("response")
            .asText();
    browser.open(base + "#/call/" + DashboardSeed.LONG_ID);
    ready("call");

    WebElement response = browser.waitFor("pre.text[data-field=response]");
    assertThat(response.getAttribute("class")).contains("folded");
    assertThat(response.getDomProperty("textContent")).isEqualTo(stored);
    int foldedHeight = response.getSize().getHeight();
    WebElement toggle = browser.waitFor("pre.text[data-field=response] + button");
    assertThat(toggle.getAttribute("aria-expanded")).isEqualTo("false");
    toggle.click();

    assertThat(response.getAttribute("class")).doesNotContain("folded");
    assertThat(toggle.getAttribute("aria-expanded")).isEqualTo("true");
    assertThat(response.getSize().getHeight()).isGreaterThan(foldedHeight);
    assertThat(browser.all("[data-truncated]"))
        .extracting(e -> e.getAttribute("data-truncated"))
        .containsExactly("prompt");
  }

  @Test
  void call_rating_isStoredThroughTheApi() {
    browser.open(base + "#/call/" + DashboardSeed.RATE_ME_ID);
    ready("call");

    browser.waitFor("#rating-form input[name=rating][value='2']").click();
    browser.waitFor("#rating-form textarea[name=feedback]").sendKeys("Too verbose; 建议更简洁");
    browser.waitFor("#rating-form input[name=annotations]").sendKeys("verbose, off-topic");
    WebElement reviewer = browser.waitFor("#rating-form input[name=reviewer_id]");
    reviewer.clear();
    reviewer.sendKeys("it-reviewer");
    browser.waitFor("#rating-form button[type=submit]").click();
    browser.waitFor("section.quality[data-quality='1']");

    JsonNode quality = api.get("/api/v1/logs/" + DashboardSeed.RATE_ME_ID).json().path("quality");
    assertThat(quality).hasSize(1);
    assertThat(quality.get(0).path("rating").asInt()).isEqualTo(2);
    assertThat(quality.get(0).path("feedback").asText()).isEqualTo("Too verbose; 建议更简洁");
    assertThat(quality.get(0).path("annotations"))
        .extracting(JsonNode::asText)
        .containsExactly("verbose", "off-topic");
    assertThat(quality.get(0).path("reviewer_id").asText()).isEqualTo("it-reviewer");
    assertThat(browser.waitFor(".quality-list li .feedback").getText())
        .isEqualTo("Too verbose; 建议更简洁");
  }

  @Test
  void dashboard_phoneWidth_fitsWithoutSideScrolling() {
    browser.viewport(390, 844, true);
    try {
      for (String view :
          List.of(
              "#/overview?range=1h",
              "#/explorer?range=1h",
              "#/call/" + DashboardSeed.SHOWCASE_ID,
              "#/alerts?refresh=off",
              "#/lifecycle")) {
        browser.open(base + view);
        browser.waitFor("main [data-state=ready]");
        assertThat(
                (Long)
                    browser.script(
                        "return document.documentElement.scrollWidth - document.documentElement.clientWidth"))
            .as(view)
            .isLessThanOrEqualTo(0L);
        if (view.startsWith("#/overview")) {
          browser.waitFor("figure[data-chart=requests] canvas");
          browser.screenshot(screenshots.resolve("overview-phone.png"));
        }
      }
    } finally {
      browser.viewport(1366, 768, false);
    }
  }

  @Test
  void dashboard_slashKey_focusesTheSearchBarAndEnterSearches() {
    browser.open(base + "#/explorer?range=1h");
    WebElement all = ready("explorer");

    new Actions(browser.driver()).sendKeys("/").perform();
    assertThat(browser.script("return document.activeElement.id")).isEqualTo("kql");
    new Actions(browser.driver()).sendKeys("level:error" + Keys.ENTER).perform();
    browser.waitFor(ExpectedConditions.stalenessOf(all));
    ready("explorer");

    assertThat(browser.driver().getCurrentUrl()).contains("q=level%3Aerror");
    assertThat(browser.all("tbody tr .badge"))
        .isNotEmpty()
        .allSatisfy(badge -> assertThat(badge.getText()).isEqualTo("error"));
  }

  private WebElement kpi(String metric) {
    return browser.waitFor(".kpi[data-metric=" + metric + "]");
  }
}

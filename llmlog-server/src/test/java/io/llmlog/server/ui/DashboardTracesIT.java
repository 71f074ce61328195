package io.llmlog.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The Traces, Sessions and Users pages in a real headless Chromium: a trace opened from the list,
 * its tree collapsed and expanded (and kept so in the URL), a call opened from the waterfall and
 * followed to its session and user and back, a step's texts in the detail, a 500-node trace (its
 * rendering time measured and printed), and hostile names and texts that stay text. It also takes
 * the README's screenshots of the three pages.
 */
class DashboardTracesIT extends DashboardITBase {
  private TraceSeed traces;

  @BeforeAll
  void seedTraces() {
    traces = TraceSeed.generate(clock().instant());
    post("/api/v1/spans?refresh=wait_for", traces.steps);
    post("/api/v1/logs?refresh=wait_for", traces.calls);
  }

  private List<String> waterfallIds() {
    return browser.all(".wf-rows > .wf-row").stream()
        .map(row -> row.getAttribute("data-id"))
        .toList();
  }

  private List<String> visibleWaterfallIds() {
    return browser.all(".wf-rows > .wf-row").stream()
        .filter(WebElement::isDisplayed)
        .map(row -> row.getAttribute("data-id"))
        .toList();
  }

  @Test
  void traces_openedFromTheList_collapseAndExpandKeptInTheUrl() {
    JsonNode stored = api.get("/api/v1/traces/" + TraceSeed.SHOWCASE_TRACE).json();
    browser.open(base + "#/traces?range=1h&over=steps");
    WebElement list = ready("traces");
    assertThat(browser.all("tr[data-key='" + TraceSeed.BIG_TRACE + "']")).hasSize(1);

    browser.waitFor("tr[data-key='" + TraceSeed.SHOWCASE_TRACE + "'] td.col-start a").click();
    browser.waitFor(ExpectedConditions.stalenessOf(list));
    WebElement view = ready("trace");

    List<String> ids = waterfallIds();
    assertThat(ids).hasSize(stored.path("nodes").size()).first().isEqualTo("00000000000000a1");
    assertThat(browser.waitFor(".kpi[data-metric=calls]").getAttribute("data-value"))
        .isEqualTo(stored.path("totals").path("calls").asText());
    assertThat(
            Double.parseDouble(
                browser.waitFor(".kpi[data-metric=cost]").getAttribute("data-value")))
        .isEqualTo(stored.path("totals").path("cost_usd").asDouble());
    assertThat(browser.all(".wf-row.level-error"))
        .extracting(row -> row.getAttribute("data-id"))
        .containsExactly("00000000000000b3");
    assertThat(browser.all(".wf-row.critical")).isNotEmpty();

    browser.waitFor(".wf-row[data-id='00000000000000a1'] .wf-toggle").click();
    assertThat(visibleWaterfallIds()).containsExactly("00000000000000a1");
    assertThat(browser.waitFor(".wf-row[data-id='00000000000000a1']").getAttribute("aria-expanded"))
        .isEqualTo("false");
    assertThat(browser.driver().getCurrentUrl()).contains("collapsed=00000000000000a1");

    browser.driver().navigate().refresh();
    browser.waitFor(ExpectedConditions.stalenessOf(view));
    WebElement reloaded = ready("trace");
    assertThat(visibleWaterfallIds()).containsExactly("00000000000000a1");
    browser.waitFor(".wf-row[data-id='00000000000000a1'] .wf-toggle").click();
    assertThat(visibleWaterfallIds()).isEqualTo(ids);
    assertThat(reloaded.isDisplayed()).isTrue();
  }

  @Test
  void trace_stepSelected_showsItsTextsAndStaysSelectedAfterAReload() {
    browser.open(base + "#/trace/" + TraceSeed.SHOWCASE_TRACE);
    WebElement view = ready("trace");

    browser.waitFor(".wf-row[data-id='" + TraceSeed.LOOKUP_SPAN + "'] .wf-track").click();
    browser.waitFor(
        ".wf-detail[data-node='" + TraceSeed.LOOKUP_SPAN + "'] pre.text[data-field=arguments]");
    assertThat(text(".wf-detail pre.text[data-field=arguments]"))
        .isEqualTo("{\"order_id\": \"A-20391\"}");
    assertThat(text(".wf-detail pre.text[data-field=result]")).contains("\"status\": \"paid\"");
    assertThat(browser.driver().getCurrentUrl()).contains("node=" + TraceSeed.LOOKUP_SPAN);

    browser.driver().navigate().refresh();
    browser.waitFor(ExpectedConditions.stalenessOf(view));
    ready("trace");
    assertThat(browser.waitFor(".wf-row.selected").getAttribute("data-id"))
        .isEqualTo(TraceSeed.LOOKUP_SPAN);
    browser.waitFor(".wf-detail pre.text[data-field=arguments]");
    browser.screenshot(screenshots.resolve("traces.png"));
  }

  @Test
  void callFromTheWaterfall_toItsSessionAndUser_andBack() {
    browser.open(base + "#/trace/" + TraceSeed.SHOWCASE_TRACE);
    WebElement trace = ready("trace");

    browser.waitFor(".wf-row[data-id='00000000000000c2'] a[data-open=call]").click();
    browser.waitFor(ExpectedConditions.stalenessOf(trace));
    WebElement call = ready("call");
    assertThat(browser.waitFor("h1.call-title code").getText()).isEqualTo(TraceSeed.SHOWCASE_CALL);
    assertThat(browser.waitFor("a[data-open=trace]").getAttribute("href"))
        .endsWith("#/trace/" + TraceSeed.SHOWCASE_TRACE + "?node=00000000000000c2");

    browser.waitFor("a[data-open=session]").click();
    browser.waitFor(ExpectedConditions.stalenessOf(call));
    WebElement session = ready("session");
    assertThat(browser.all("article.turn"))
        .extracting(turn -> turn.getAttribute("data-request-id"))
        .containsExactly(
            "turn1-" + TraceSeed.SHOWCASE_SESSION,
            TraceSeed.SHOWCASE_TRACE + "-00000000000000c1",
            TraceSeed.SHOWCASE_CALL);
    assertThat(
            browser
                .all("article.turn")
                .get(0)
                .findElements(org.openqa.selenium.By.cssSelector(".msg-user pre.msg-text")))
        .extracting(WebElement::getText)
        .containsExactly("Hi, I was charged twice for my annual plan.");
    assertThat(browser.all("article.turn .msg-system"))
        .as("the system prompt once: it does not change")
        .hasSize(1);
    assertThat(browser.all("article.turn").get(1).getText()).contains("lookup_order", "A-20391");

    browser.waitFor("a[data-open=user]").click();
    browser.waitFor(ExpectedConditions.stalenessOf(session));
    ready("user");
    JsonNode user = api.get("/api/v1/users/" + TraceSeed.SHOWCASE_USER).json();
    assertThat(browser.waitFor(".kpi[data-metric=calls]").getAttribute("data-value"))
        .isEqualTo(user.path("calls").asText());
    assertThat(browser.all("[data-table=sessions] a[data-open=session]"))
        .extracting(WebElement::getText)
        .contains(TraceSeed.SHOWCASE_SESSION);

    browser.driver().navigate().back();
    ready("session");
    browser.driver().navigate().back();
    ready("call");
    assertThat(browser.waitFor("h1.call-title code").getText()).isEqualTo(TraceSeed.SHOWCASE_CALL);
    browser.driver().navigate().back();
    ready("trace");
    assertThat(browser.driver().getCurrentUrl()).contains("#/trace/" + TraceSeed.SHOWCASE_TRACE);
  }

  @Test
  void trace_fiveHundredNodes_rendersInOnePass_timeMeasuredAndPrinted() {
    browser.open(base + "#/traces?range=1h&over=steps");
    ready("traces");
    long clicked = System.nanoTime();
    browser.waitFor("tr[data-key='" + TraceSeed.BIG_TRACE + "'] td.col-start a").click();
    WebElement body = ready("trace");
    long toReady = (System.nanoTime() - clicked) / 1_000_000;
    assertThat(waterfallIds()).hasSize(TraceSeed.BIG_NODES);
    double renderMs = Double.parseDouble(body.getAttribute("data-render-ms"));

    Object collapseMs =
        browser.script(
            "const t0 = performance.now();"
                + " document.querySelector('.wf-rows > .wf-row .wf-toggle').click();"
                + " document.body.offsetHeight;"
                + " return performance.now() - t0;");
    assertThat(visibleWaterfallIds()).hasSize(1);
    Object expandMs =
        browser.script(
            "const t0 = performance.now();"
                + " document.querySelector('.wf-rows > .wf-row .wf-toggle').click();"
                + " document.body.offsetHeight;"
                + " return performance.now() - t0;");
    assertThat(visibleWaterfallIds()).hasSize(TraceSeed.BIG_NODES);
    System.out.printf(
        "500-node trace: %.1f ms to build and attach the waterfall in the page (data-render-ms), %d ms from the click in the "
            + "list to the drawn view (request and answer included), collapse of the root %.1f ms, expand %.1f ms (with the layout)%n",
        renderMs, toReady, ((Number) collapseMs).doubleValue(), ((Number) expandMs).doubleValue());
  }

  @Test
  void hostileNamesAndTexts_inTheTraceSessionAndUserViews_stayText() {
    browser.open(base + "#/trace/" + TraceSeed.HOSTILE_TRACE + "?node=00000000000000e2");
    ready("trace");
    browser.waitFor(".wf-detail pre.text[data-field=arguments]");
    assertThat(text(".wf-row[data-id='00000000000000e2'] .wf-label"))
        .isEqualTo("execute_tool " + TraceSeed.HOSTILE_TOOL);
    assertThat(text(".wf-detail pre.text[data-field=arguments]"))
        .isEqualTo(DashboardSeed.HOSTILE_PROMPT);
    assertThat(text(".wf-detail pre.text[data-field=result]"))
        .isEqualTo("<script>window.__xss = 1</script>");
    assertThat(text(".wf-row[data-id='00000000000000e1'] .wf-label"))
        .isEqualTo("invoke_agent <b>bad</b>");
    assertInert("[data-view=trace]");

    browser.waitFor("a[data-open=session]").click();
    ready("session");
    assertThat(browser.waitFor("h1.call-title code").getText())
        .isEqualTo(TraceSeed.HOSTILE_SESSION);
    assertThat(text("article.turn .msg-user pre.msg-text")).isEqualTo(DashboardSeed.HOSTILE_PROMPT);
    assertThat(text("article.turn .msg-assistant pre.msg-text"))
        .isEqualTo(DashboardSeed.HOSTILE_RESPONSE);
    assertInert("[data-view=session]");

    browser.waitFor("a[data-open=user]").click();
    ready("user");
    assertThat(browser.waitFor("h1.call-title code").getText())
        .isEqualTo("\"><img src=x onerror=window.__xss=1>");
    assertInert("[data-view=user]");

    browser.open(base + "#/users?range=24h");
    ready("users");
    assertInert("[data-view=users]");
    browser.open(base + "#/sessions?range=24h");
    ready("sessions");
    assertInert("[data-view=sessions]");
  }

  @Test
  void sessionsAndUsers_lists_openTheirViews_andScreenshots() {
    browser.open(
        base + "#/sessions?range=1h&q=" + encode("user_id:\"" + TraceSeed.SHOWCASE_USER + "\""));
    WebElement list = ready("sessions");
    assertThat(browser.all("tr[data-key]"))
        .extracting(row -> row.getAttribute("data-key"))
        .contains(TraceSeed.SHOWCASE_SESSION);
    browser.waitFor("tr[data-key='" + TraceSeed.SHOWCASE_SESSION + "'] td.col-session").click();
    browser.waitFor(ExpectedConditions.stalenessOf(list));
    ready("session");
    assertThat(browser.all("article.turn")).hasSize(3);
    browser.screenshot(screenshots.resolve("sessions.png"));

    browser.open(base + "#/users?range=1h");
    ready("users");
    JsonNode users = api.get("/api/v1/users?from=now-1h&size=50").json().path("users");
    assertThat(browser.all("tbody tr[data-key]"))
        .extracting(row -> row.getAttribute("data-key"))
        .containsExactlyElementsOf(users.findValuesAsText("user_id"));
    browser.screenshot(screenshots.resolve("users.png"));
  }
}

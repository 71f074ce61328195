package io.llmlog.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmlog.server.Http;
import io.llmlog.server.LlmlogServer;
import io.llmlog.server.TestServers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

/**
 * The dashboard's defences, in a real browser: log contents that would run script, load images or
 * navigate stay inert text; the page requests nothing but its own server; its files carry a strict
 * Content-Security-Policy; and with API keys configured the files stay public while the data needs
 * a key.
 */
class DashboardSecurityIT extends DashboardITBase {
  static final String ADMIN_KEY = "dashboard-admin-key-0123456789";

  @Test
  void call_hostileTexts_areShownAsInertText() {
    browser.open(base + "#/explorer?range=24h&q=hostile");
    ready("explorer");
    assertThat(
            browser
                .waitFor("tr[data-request-id='" + DashboardSeed.HOSTILE_ID + "'] td.col-prompt")
                .getText())
        .contains("hostile");
    assertInert("main");

    browser.waitFor("tr[data-request-id='" + DashboardSeed.HOSTILE_ID + "'] td.col-time a").click();
    ready("call");

    assertThat(text("pre.text[data-field=prompt]")).isEqualTo(DashboardSeed.HOSTILE_PROMPT);
    assertThat(browser.waitFor("pre.text[data-field=prompt]").getText())
        .contains("<script>window.__xss = 1</script>", "<img src=x onerror=");
    assertThat(text("pre.text[data-field=response]")).isEqualTo(DashboardSeed.HOSTILE_RESPONSE);
    assertThat(browser.waitFor("[data-field=error]").getText())
        .contains("<b>bad</b>", "<img src=x onerror=");
    assertThat(browser.all("[data-facts=parameters] dd"))
        .extracting(WebElement::getText)
        .contains("\"><img src=x onerror=window.__xss=1>", "<script>window.__xss = 1</script>");
    assertThat(browser.waitFor("a[data-related=session_id]").getAttribute("href"))
        .startsWith(base + "#/explorer?");
    assertInert("[data-view=call]");
    assertThat(browser.script("return document.baseURI"))
        .isEqualTo(browser.driver().getCurrentUrl());
  }

  @Test
  void dashboard_everyView_requestsNothingButItsOwnServer() {
    browser.requestedUrls();
    browser.console();

    browser.open(base + "#/overview?range=1h");
    browser.waitFor("figure[data-chart=requests] canvas");
    List<String> timing = new ArrayList<>(resourceTiming());
    browser.open(base + "#/explorer?range=24h&q=hostile");
    ready("explorer");
    browser.open(base + "#/call/" + DashboardSeed.HOSTILE_ID);
    ready("call");
    browser.waitFor("a[data-related=session_id]").click();
    browser.waitFor("[data-view=explorer] .explorer-body[data-state]");
    timing.addAll(resourceTiming());
    browser.open(base + "#/call/" + DashboardSeed.SHOWCASE_ID);
    ready("call");
    timing.addAll(resourceTiming());
    browser.open(base + "#/alerts?refresh=off");
    ready("alerts");
    browser.open(base + "#/lifecycle");
    ready("lifecycle");
    timing.addAll(resourceTiming());

    List<String> requested =
        browser.requestedUrls().stream().filter(url -> !url.equals("about:blank")).toList();
    assertThat(requested)
        .anyMatch(url -> url.contains("/vendor/uplot/uPlot.esm.js"))
        .anyMatch(url -> url.contains("/api/v1/stats"))
        .anyMatch(url -> url.contains("/api/v1/live"))
        .anyMatch(url -> url.contains("/api/v1/lifecycle"))
        .allSatisfy(url -> assertThat(url).startsWith(base));
    assertThat(timing).isNotEmpty().allSatisfy(url -> assertThat(url).startsWith(base));
    assertThat(requested).noneMatch(url -> url.startsWith(base + "x"));
    assertThat(browser.console())
        .noneMatch(line -> line.startsWith("SEVERE") || line.contains("Content Security Policy"));
  }

  @Test
  void dashboard_withApiKeys_servesFilesOpenlyAndAsksForTheKey() throws Exception {
    Map<String, Object> auth =
        Map.of("api_keys", List.of(Map.of("key", ADMIN_KEY, "role", "admin")));
    try (LlmlogServer secured = TestServers.onSharedEngine(engine, Map.of("auth", auth))) {
      Http open = new Http(TestServers.api(secured));
      String page = open.get("/").body();
      assertThat(open.get("/").status()).isEqualTo(200);
      assertThat(open.get(assetPrefix(page) + "main.js").status()).isEqualTo(200);
      assertThat(open.get("/api/v1/stats").status()).isEqualTo(401);

      String securedBase = TestServers.api(secured).toString();
      browser.open(securedBase + "#/overview?range=1h");
      browser.waitFor("dialog#key-dialog[open]");
      browser.waitFor("#key-input").sendKeys(ADMIN_KEY);
      browser.waitFor("#key-form button[value=ok]").click();
      ready("overview");
      assertThat(browser.script("return sessionStorage.getItem('llmlog.apiKey')"))
          .isEqualTo(ADMIN_KEY);

      browser.open(securedBase + "#/explorer?range=1h");
      ready("explorer");
      assertThat(browser.all("dialog#key-dialog[open]")).isEmpty();
      browser.script("sessionStorage.clear()");
      browser.console();
    }
  }

  @Test
  void dashboard_files_carryContentTypesCachingAndTheSecurityPolicy() {
    Http.Answer page = api.get("/");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
    assertThat(page.header("Content-Security-Policy"))
        .isEqualTo(Dashboard.CONTENT_SECURITY_POLICY)
        .contains(
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "object-src 'none'",
            "frame-ancestors 'none'");
    assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(page.header("Cache-Control")).isEqualTo("no-cache");
    assertThat(page.body()).doesNotContain("<script>", "style=");

    String prefix = assetPrefix(page.body());
    Http.Answer script = api.get(prefix + "main.js");
    assertThat(script.header("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
    assertThat(script.header("Cache-Control")).isEqualTo(Dashboard.IMMUTABLE);
    assertThat(script.header("Content-Security-Policy"))
        .isEqualTo(Dashboard.CONTENT_SECURITY_POLICY);
    Http.Answer chartLibrary = api.get(prefix + "vendor/uplot/uPlot.esm.js");
    assertThat(chartLibrary.status()).isEqualTo(200);
    assertThat(chartLibrary.header("Cache-Control")).isEqualTo(Dashboard.IMMUTABLE);
    assertThat(api.get(prefix + "vendor/uplot/uPlot.min.css").header("Content-Type"))
        .isEqualTo("text/css; charset=utf-8");
    assertThat(api.get("/ui/000000000000/main.js").header("Cache-Control")).isEqualTo("no-cache");

    assertThat(api.get(prefix + "no-such-file.js").status()).isEqualTo(404);
    assertThat(api.get(prefix + "index.html").status()).isEqualTo(404);
    assertThat(api.get(prefix + "%2e%2e/%2e%2e/api/v1/stats").status()).isIn(400, 404);
    assertThat(api.get(prefix + "..%2F..%2Fapi%2Fv1%2Fstats").status()).isIn(400, 404);
    assertThat(api.get("/api/v1/stats").header("X-Content-Type-Options")).isEqualTo("nosniff");
  }

  @SuppressWarnings("unchecked")
  private List<String> resourceTiming() {
    return (List<String>)
        browser.script(
            "return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource')).map(e => e.name)");
  }
}

package io.llmlog.server.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.engine.junit.SharedEngineExtension;
import io.llmlog.engine.junit.TestEngine;
import io.llmlog.server.Http;
import io.llmlog.server.LlmlogServer;
import io.llmlog.server.TestServers;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;

/**
 * What the dashboard's browser tests share: a real server on the shared engine, an hour of
 * realistic calls stored through the ingest API ({@link DashboardSeed}), and one headless Chromium
 * for the whole class.
 */
@ExtendWith(SharedEngineExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DashboardITBase {
  static final int CALLS = 320;

  protected TestEngine engine;
  protected LlmlogServer server;
  protected Http api;

  /** The server's address with a trailing slash: {@code http://127.0.0.1:40123/}. */
  protected String base;

  protected DashboardSeed seed;
  protected Chromium browser;
  protected Path screenshots;

  @BeforeAll
  void start(TestEngine engine) throws Exception {
    this.engine = engine;
    server = TestServers.onSharedEngine(engine, settings(), clock());
    api =
        authorization() == null
            ? new Http(TestServers.api(server))
            : new Http(TestServers.api(server)).withAuthorization(authorization());
    base = TestServers.api(server).toString();
    seed = DashboardSeed.generate(clock().instant(), CALLS);
    post("/api/v1/logs?refresh=wait_for", seed.calls());
    post("/api/v1/quality?refresh=wait_for", seed.quality());
    screenshots = screenshotDirectory();
    browser = Chromium.start();
  }

  /**
   * The Authorization header the seeding requests send, for a class whose server has API keys; null
   * for none.
   */
  protected String authorization() {
    return null;
  }

  /**
   * What a test class adds to its server's settings: alert rules, a data directory for archives.
   */
  protected Map<String, Object> settings() {
    return Map.of();
  }

  /**
   * The server's clock, and the seed's "now". A class that drives alert evaluations or lifecycle
   * ages returns a {@link io.llmlog.server.MutableClock}; it stays near real time, so the browser's
   * clock and the server's agree on what "the last hour" is.
   */
  protected Clock clock() {
    return Clock.systemUTC();
  }

  @AfterAll
  void stop() throws Exception {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  /**
   * Nothing of the log data ran or became markup in {@code scope}: no script ran (it would set
   * {@code window.__xss}), no alert is open, no element a hostile text would have made exists.
   */
  protected void assertInert(String scope) {
    assertThat(browser.script("return window.__xss")).isNull();
    assertThatThrownBy(() -> browser.driver().switchTo().alert())
        .isInstanceOf(NoAlertPresentException.class);
    assertThat(
            browser.all(
                scope
                    + " img, "
                    + scope
                    + " script, "
                    + scope
                    + " iframe, "
                    + scope
                    + " svg, "
                    + scope
                    + " style, "
                    + scope
                    + " b"))
        .isEmpty();
    assertThat(browser.all("a[href^='javascript'], base, [onerror], [onload]")).isEmpty();
  }

  protected String text(String css) {
    return browser.waitFor(css).getDomProperty("textContent");
  }

  /** The request ids of the explorer's rows, top to bottom. */
  protected List<String> rowIds() {
    return browser.all("tbody tr[data-request-id]").stream()
        .map(row -> row.getAttribute("data-request-id"))
        .toList();
  }

  /**
   * Waits for a view's content to be drawn: {@code overview}, {@code explorer}, {@code call},
   * {@code alerts} or {@code lifecycle}.
   */
  protected WebElement ready(String view) {
    return browser.waitFor("[data-view=" + view + "] [data-state=ready]");
  }

  protected void post(String path, List<ObjectNode> records) {
    String body = records.stream().map(ObjectNode::toString).collect(Collectors.joining("\n"));
    Http.Answer answer = api.post(path, "application/x-ndjson", body);
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.json().path("accepted").asInt()).as(answer.body()).isEqualTo(records.size());
  }

  /** The build-hashed prefix of the dashboard's files, read from its page. */
  protected static String assetPrefix(String page) {
    Matcher m = Pattern.compile("/ui/[0-9a-f]{12}/").matcher(page);
    assertThat(m.find()).as(page).isTrue();
    return m.group();
  }

  protected static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /**
   * Where the screenshots go: {@code target/screenshots}, so that a test run leaves the checkout
   * clean; {@code -Dllmlog.screenshots=$PWD/docs/images} refreshes the README's pictures.
   */
  private static Path screenshotDirectory() {
    String configured = System.getProperty("llmlog.screenshots");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    return Path.of("target", "screenshots");
  }
}

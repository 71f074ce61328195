package io.llmlog.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.server.Http;
import io.llmlog.server.LlmlogServer;
import io.llmlog.server.MutableClock;
import io.llmlog.server.TestServers;
import io.llmlog.server.lifecycle.DiskGuard;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The Lifecycle page against a server with old days: calls of 101, 100, 40 and 2 days ago (and
 * ratings of 100 days ago) stored, then one run of the manager archives the first two, makes the
 * third warm and leaves the rest hot. The server's clock stands still, so ages, due dates and
 * phases stay what the API said while the page is compared with it. The restore runs first, so the
 * screenshot shows a restored day beside an archived one.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardLifecycleIT extends DashboardITBase {
  static final int[] DAYS_AGO = {101, 100, 40, 2};
  static final int CALLS_PER_DAY = 12;
  static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd");
  static final String ADMIN_KEY = "lifecycle-admin-key-0123456789";
  static final String READ_KEY = "lifecycle-read-key-0123456789";

  @TempDir static Path dataDir;

  final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));

  @Override
  protected Clock clock() {
    return clock;
  }

  /** Archives under a directory of the test's own; no run of the manager but the test's. */
  @Override
  protected Map<String, Object> settings() {
    return Map.of(
        "server", Map.of("data_dir", dataDir.toString()), "lifecycle", Map.of("interval", "24h"));
  }

  @BeforeAll
  void age() {
    List<ObjectNode> calls = new ArrayList<>();
    List<ObjectNode> ratings = new ArrayList<>();
    for (int ago : DAYS_AGO) {
      Instant noon = day(ago).atStartOfDay(ZoneOffset.UTC).toInstant().plus(12, ChronoUnit.HOURS);
      for (int i = 0; i < CALLS_PER_DAY; i++) {
        calls.add(
            DashboardSeed.JSON
                .createObjectNode()
                .put("request_id", "old_" + ago + "_" + i)
                .put("timestamp", noon.plusSeconds(60L * i).toString())
                .put("model", i % 3 == 0 ? "gpt-4o" : "deepseek-chat")
                .put("prompt", "第 " + i + " 个问题, asked " + ago + " days ago")
                .put("response", "answer " + i)
                .put("latency_ms", 800.0 + 40 * i)
                .put("level", "info"));
      }
      if (ago == 100) {
        for (int i = 0; i < 3; i++) {
          ratings.add(
              DashboardSeed.JSON
                  .createObjectNode()
                  .put("request_id", "old_100_" + i)
                  .put("timestamp", noon.plusSeconds(3600).toString())
                  .put("rating", 3 + i));
        }
      }
    }
    post("/api/v1/logs?refresh=wait_for", calls);
    post("/api/v1/quality?refresh=wait_for", ratings);
    Http.Answer run = api.postJson("/api/v1/lifecycle/run", "");
    assertThat(run.status()).as(run.body()).isEqualTo(200);
    assertThat(run.json().path("failures").asInt()).as(run.body()).isZero();
  }

  @Test
  @Order(2)
  void lifecycle_afterARun_showsThePhasesTotalsAndDaysOfTheApi() {
    browser.open(base + "#/lifecycle");
    ready("lifecycle");

    JsonNode status = api.get("/api/v1/lifecycle").json();
    assertThat(status.path("totals").path("archived").asInt()).isGreaterThanOrEqualTo(2);
    assertThat(status.path("totals").path("warm").asInt()).isGreaterThanOrEqualTo(1);
    status
        .path("totals")
        .properties()
        .forEach(
            total ->
                assertThat(
                        browser
                            .waitFor("a.phase-total[data-phase=" + total.getKey() + "]")
                            .getAttribute("data-value"))
                    .as(total.getKey())
                    .isEqualTo(total.getValue().asText()));
    assertThat(browser.all("tbody tr[data-day]")).hasSize(status.path("days").size());
    for (JsonNode day : status.path("days")) {
      WebElement row = dayRow(day.path("family").asText(), day.path("day").asText());
      assertThat(row.getAttribute("data-phase"))
          .as(day.path("index").asText())
          .isEqualTo(day.path("phase").asText());
      assertThat(row.findElement(By.cssSelector("td[data-next]")).getAttribute("data-next"))
          .isEqualTo(day.path("next_action").asText());
      assertThat(
              Long.parseLong(
                  row.findElement(By.cssSelector("td.col-documents")).getAttribute("data-value")))
          .isEqualTo(day.path("documents").asLong());
    }
    assertThat(dayRow("logs", text(day(100))).getAttribute("data-phase")).isEqualTo("archived");
    assertThat(dayRow("logs", text(day(40))).getAttribute("data-phase")).isEqualTo("warm");
    assertThat(dayRow("logs", text(day(2))).getAttribute("data-phase")).isEqualTo("hot");
    assertThat(browser.waitFor("[data-table=policies] tr[data-family=logs]").getText())
        .contains("30d", "90d", "never");
    assertThat(browser.waitFor("[data-disk]").getAttribute("data-disk")).isEqualTo("ok");
    assertThat(browser.all("#status-banner:not([hidden])")).isEmpty();

    browser.screenshot(screenshots.resolve("lifecycle.png"));
  }

  @Test
  @Order(1)
  void lifecycle_restoreButton_restoresTheArchivedDay() {
    String day = text(day(101));
    browser.open(base + "#/lifecycle?family=logs&phase=archived");
    ready("lifecycle");
    assertThat(browser.waitFor("code[data-cli='" + day + "']").getText())
        .isEqualTo("./llmlog archive restore " + day);

    // Activated from the keyboard, as anyone tabbing through the table would.
    browser.waitFor("button[data-restore='logs/" + day + "']").sendKeys(Keys.ENTER);

    assertThat(browser.waitFor(".restore-notice[data-result=restored]").getText())
        .contains("is restored", CALLS_PER_DAY + " documents");
    assertThat(phaseInApi("logs", day)).isEqualTo("restored");
    browser.open(base + "#/lifecycle?family=logs");
    ready("lifecycle");
    assertThat(dayRow("logs", day).getAttribute("data-phase")).isEqualTo("restored");
    assertThat(api.get("/api/v1/logs/old_101_3").status()).isEqualTo(200);
  }

  @Test
  void lifecycle_familyFilter_showsOnlyThatFamilyAndKeepsItInTheUrl() {
    browser.open(base + "#/lifecycle");
    WebElement all = ready("lifecycle");

    new Select(browser.waitFor("#lifecycle-family")).selectByValue("quality");
    browser.waitFor(ExpectedConditions.stalenessOf(all));
    WebElement quality = ready("lifecycle");

    long expected = 0;
    for (JsonNode day : api.get("/api/v1/lifecycle").json().path("days")) {
      expected += day.path("family").asText().equals("quality") ? 1 : 0;
    }
    assertThat(expected).isGreaterThanOrEqualTo(2);
    assertThat(browser.driver().getCurrentUrl()).contains("#/lifecycle?family=quality");
    assertThat(browser.all("tbody tr[data-day]"))
        .hasSize((int) expected)
        .allSatisfy(row -> assertThat(row.getAttribute("data-family")).isEqualTo("quality"));
    assertThat(
            browser
                .waitFor("tr[data-family=quality][data-day='" + text(day(100)) + "']")
                .getAttribute("data-phase"))
        .isEqualTo("archived");

    browser.driver().navigate().refresh();
    browser.waitFor(ExpectedConditions.stalenessOf(quality));
    ready("lifecycle");
    assertThat(browser.waitFor("#lifecycle-family").getDomProperty("value")).isEqualTo("quality");
    assertThat(browser.all("tbody tr[data-day]")).hasSize((int) expected);
  }

  @Test
  void lifecycle_restoreWithAReadKey_isRefusedWithTheReason() {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put(
        "engine", Map.of("url", engine.uri().toString(), "index_prefix", engine.indexPrefix()));
    settings.put("server", Map.of("data_dir", dataDir.toString()));
    // This second server only shows the first one's days; the first one alone runs the manager.
    settings.put("lifecycle", Map.of("enabled", false));
    settings.put(
        "auth",
        Map.of(
            "api_keys",
            List.of(
                Map.of("key", ADMIN_KEY, "role", "admin"),
                Map.of("key", READ_KEY, "role", "read"))));
    String day = text(day(100));
    try (LlmlogServer secured = TestServers.start(settings)) {
      browser.open(TestServers.api(secured) + "#/lifecycle?family=logs&phase=archived");
      browser.waitFor("dialog#key-dialog[open]");
      browser.waitFor("#key-input").sendKeys(READ_KEY);
      browser.waitFor("#key-form button[value=ok]").click();
      ready("lifecycle");

      browser.waitFor("button[data-restore='logs/" + day + "']").click();

      WebElement notice = browser.waitFor(".restore-notice[data-result=error]");
      assertThat(notice.getAttribute("data-status")).isEqualTo("403");
      assertThat(notice.getText())
          .contains("Restore refused (403)", "admin role", "./llmlog archive restore " + day);
      assertThat(browser.waitFor("button[data-restore='logs/" + day + "']").isEnabled()).isTrue();
      assertThat(phaseInApi("logs", day)).isEqualTo("archived");
    } finally {
      browser.script("sessionStorage.clear()");
    }
  }

  @Test
  void dashboard_diskAlmostFull_showsThePausedIngestOnEveryPage() {
    long gb = 1L << 30;
    DiskGuard.Probe full =
        new DiskGuard.Probe() {
          @Override
          public long usable() {
            return 3 * gb;
          }

          @Override
          public long total() {
            return 250 * gb;
          }
        };
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put(
        "engine",
        Map.of("url", engine.uri().toString(), "index_prefix", engine.indexPrefix() + "full-"));
    settings.put("server", Map.of("data_dir", dataDir.resolve("full").toString()));
    settings.put("lifecycle", Map.of("disk", Map.of("enabled", true)));
    try (LlmlogServer paused = TestServers.start(settings, Clock.systemUTC(), full)) {
      String pausedBase = TestServers.api(paused).toString();
      for (String view : List.of("#/overview?range=1h", "#/alerts?refresh=off", "#/lifecycle")) {
        browser.open(pausedBase + view);
        WebElement banner = browser.waitFor("#status-banner:not([hidden])");
        assertThat(banner.getText())
            .as(view)
            .startsWith("Ingest is paused.")
            .contains("disk almost full: 3.0 GB free of 250.0 GB");
        assertThat(banner.findElement(By.tagName("a")).getAttribute("href"))
            .endsWith("#/lifecycle");
      }
      ready("lifecycle");
      assertThat(browser.waitFor("[data-disk]").getAttribute("data-disk")).isEqualTo("paused");
      assertThat(browser.waitFor("[data-disk] .state-pill").getText()).isEqualTo("Ingest paused");
    }
  }

  @Test
  void lifecycle_phoneWidth_fitsWithoutSideScrolling() {
    browser.viewport(390, 844, true);
    try {
      browser.open(base + "#/lifecycle");
      ready("lifecycle");
      assertThat(
              (Long)
                  browser.script(
                      "return document.documentElement.scrollWidth - document.documentElement.clientWidth"))
          .isLessThanOrEqualTo(0L);
    } finally {
      browser.viewport(1366, 768, false);
    }
  }

  private LocalDate day(int daysAgo) {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(daysAgo);
  }

  private static String text(LocalDate day) {
    return DAY.format(day);
  }

  private WebElement dayRow(String family, String day) {
    return browser.waitFor("tbody tr[data-family=" + family + "][data-day='" + day + "']");
  }

  private String phaseInApi(String family, String day) {
    for (JsonNode candidate : api.get("/api/v1/lifecycle").json().path("days")) {
      if (candidate.path("family").asText().equals(family)
          && candidate.path("day").asText().equals(day)) {
        return candidate.path("phase").asText();
      }
    }
    throw new AssertionError("no day " + family + " " + day);
  }
}

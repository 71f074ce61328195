package io.llmlog.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.interactions.Actions;

/**
 * Quality on the dashboard in real Chromium: score trends per model and negative feedback on the
 * overview, every score with its evaluator and explanation on the call page, and the Review page
 * driven with the keyboard by two reviewers (two tabs, two API keys) who never see the same call.
 */
class DashboardReviewIT extends DashboardITBase {
  static final String ADMIN = "admin-key-review-0123456789";
  static final String ALICE = "alice-key-review-0123456789";
  static final String BOB = "bob-key-review-01234567890";

  @Override
  protected Map<String, Object> settings() {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put(
        "auth",
        Map.of(
            "api_keys",
            List.of(
                Map.of("key", ADMIN, "role", "admin", "name", "ops"),
                Map.of("key", ALICE, "role", "review", "name", "alice"),
                Map.of("key", BOB, "role", "review", "name", "bob"))));
    settings.put(
        "quality",
        Map.of(
            "negative_feedback",
            "rating <= 2",
            "queues",
            List.of(
                Map.of(
                    "name",
                    "errors",
                    "title",
                    "Failed and low-rated calls",
                    "filter",
                    "level:error or scores.relevance < 0.5",
                    "labels",
                    List.of("hallucination", "off-topic", "unsafe", "good")))));
    return settings;
  }

  @Override
  protected String authorization() {
    return "ApiKey " + ADMIN;
  }

  /**
   * A relevance score for every call (a dip for one model), and user ratings, as an evaluator and
   * users would send them.
   */
  @BeforeAll
  void scores() {
    Random random = new Random(18);
    List<ObjectNode> records = new ArrayList<>();
    for (ObjectNode call : seed.calls()) {
      String model = call.path("model").asText();
      double base =
          switch (model) {
            case "gpt-4o" -> 0.88;
            case "gpt-4o-mini" -> 0.76;
            case "claude-sonnet-4" -> 0.84;
            default -> 0.66;
          };
      double score = Math.max(0, Math.min(1, base + random.nextGaussian() * 0.08));
      ObjectNode record = DashboardSeed.JSON.createObjectNode();
      record.put("request_id", call.path("request_id").asText());
      record.put("timestamp", call.path("timestamp").asText());
      record.put("evaluator", "relevance");
      record.putObject("scores").put("relevance", Math.round(score * 100) / 100.0);
      record.put(
          "explanation",
          score < 0.5
              ? "The answer drifts away from the question."
              : "Answers the question directly.");
      records.add(record);
      if (random.nextDouble() < 0.25) {
        ObjectNode rating = DashboardSeed.JSON.createObjectNode();
        rating.put("request_id", call.path("request_id").asText());
        rating.put("timestamp", call.path("timestamp").asText());
        rating.put(
            "rating",
            model.equals("deepseek-chat") ? 1 + random.nextInt(3) : 2 + random.nextInt(4));
        records.add(rating);
      }
    }
    post("/api/v1/quality?refresh=wait_for", records);
  }

  /**
   * Opens a view with a key already in the tab's session storage, whatever an earlier test left
   * there.
   */
  void openAs(String url, String key) {
    browser.open(url);
    browser.script(
        "sessionStorage.setItem('llmlog.apiKey', arguments[0]); location.reload();", key);
  }

  void signIn(String key) {
    browser.waitFor("#key-input").sendKeys(key);
    browser.waitFor("#key-form button[value=ok]").click();
  }

  @Test
  void overview_withScores_drawsScoreTrendsPerModelAndNegativeFeedback() {
    openAs(base + "#/overview?range=1h", ADMIN);
    ready("overview");
    var relevance = browser.waitFor("figure[data-chart=score-relevance]");
    assertThat(relevance.getAttribute("data-series")).contains("gpt-4o").contains("deepseek-chat");
    assertThat(Integer.parseInt(relevance.getAttribute("data-points"))).isPositive();
    var negative = browser.waitFor("[data-metric=negative_feedback]");
    JsonNode stats = api.get("/api/v1/stats?from=now-1h&by=model&scores=*").json();
    assertThat(negative.getAttribute("data-value"))
        .isEqualTo(
            stats.path("totals").path("quality").path("feedback").path("negative_share").asText());
    assertThat(browser.waitFor("figure[data-chart=negative_feedback]").getAttribute("data-points"))
        .isNotEqualTo("0");
    browser.script("document.querySelector('.quality-charts').scrollIntoView()");
    browser.screenshot(screenshots.resolve("overview-quality.png"));
  }

  @Test
  void callPage_scores_showEvaluatorScoreAndExplanation() {
    openAs(base + "#/call/" + DashboardSeed.SHOWCASE_ID, ADMIN);
    ready("call");
    var score = browser.waitFor("li[data-evaluator=relevance]");
    assertThat(score.getDomProperty("textContent"))
        .contains("relevance")
        .contains("Answers the question directly.");
  }

  @Test
  void review_twoReviewersWithTheKeyboard_neverSeeTheSameCall() {
    String first = browser.driver().getWindowHandle();
    browser.open(base + "#/review");
    browser.script("sessionStorage.clear(); location.reload();");
    signIn(ALICE);
    browser.waitFor("[data-view=review] [data-state=ready] [data-queue=errors] a.button").click();
    String aliceCall = awaitCall(null);

    browser.driver().switchTo().newWindow(WindowType.TAB);
    String second = browser.driver().getWindowHandle();
    browser.driver().get(base + "#/review?queue=errors");
    signIn(BOB);
    String bobCall = awaitCall(null);
    assertThat(bobCall).isNotEqualTo(aliceCall);

    browser.driver().switchTo().window(first);
    keys("4", "a");
    keys("c");
    browser.driver().switchTo().activeElement().sendKeys("答非所问 — invents a refund policy");
    browser.driver().switchTo().activeElement().sendKeys(Keys.ESCAPE);
    assertThat(browser.waitFor("button[data-rating='4']").getAttribute("aria-pressed"))
        .isEqualTo("true");
    assertThat(browser.waitFor("button[data-label=hallucination]").getAttribute("aria-pressed"))
        .isEqualTo("true");
    browser.screenshot(screenshots.resolve("review.png"));
    keys(Keys.ENTER.toString());
    String aliceNext = awaitCall(aliceCall);
    assertThat(aliceNext).isNotEqualTo(bobCall);

    JsonNode review = null;
    for (JsonNode record : api.get("/api/v1/logs/" + aliceCall).json().path("quality")) {
      if ("errors".equals(record.path("queue").asText())) {
        review = record;
      }
    }
    assertThat(review).isNotNull();
    assertThat(review.path("reviewer_id").asText()).isEqualTo("alice");
    assertThat(review.path("rating").asInt()).isEqualTo(4);
    assertThat(review.path("annotations").toString()).isEqualTo("[\"hallucination\"]");
    assertThat(review.path("feedback").asText()).isEqualTo("答非所问 — invents a refund policy");

    browser.driver().switchTo().window(second);
    keys("n");
    String bobNext = awaitCall(bobCall);
    assertThat(bobNext).isNotIn(aliceCall, aliceNext);
    assertThat(browser.waitFor("[data-view=review] .progress").getAttribute("data-reviewed"))
        .isEqualTo("1");
    browser.driver().close();
    browser.driver().switchTo().window(first);
  }

  private void keys(String... keys) {
    browser.waitFor("[data-view=review] [data-state=ready]");
    new Actions(browser.driver()).sendKeys(keys).perform();
  }

  /**
   * Waits for the Review page to show a call other than {@code previous}; returns its request id.
   */
  private String awaitCall(String previous) {
    return browser.waitFor(
        d -> {
          var found =
              d.findElements(By.cssSelector("[data-view=review] .review-body[data-state=ready]"));
          if (found.isEmpty()) {
            return null;
          }
          String id = found.get(0).getAttribute("data-request-id");
          return id == null || id.isEmpty() || id.equals(previous) ? null : id;
        });
  }
}

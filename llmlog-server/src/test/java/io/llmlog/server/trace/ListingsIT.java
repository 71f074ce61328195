package io.llmlog.server.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.engine.junit.SharedEngineExtension;
import io.llmlog.engine.junit.TestEngine;
import io.llmlog.server.Http;
import io.llmlog.server.LlmlogServer;
import io.llmlog.server.TestServers;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The listings of traces, sessions and users against what was stored: a seeded set of agent runs —
 * some sharing a millisecond, some running for half an hour, some without a root — paged through in
 * small pages, in every order, must come out as the documented order computed here, each group
 * once. More documents than the listing reads in one batch, so pages span batches.
 */
@ExtendWith(SharedEngineExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ListingsIT {
  private static final String[] TOOLS = {"search", "lookup", "get_weather"};
  private static final String[] MODELS = {"gpt-4o", "gpt-4o-mini", "claude-sonnet-4"};

  private LlmlogServer server;
  private Http api;
  private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  /** Every stored document, calls and steps, flat. */
  private final List<ObjectNode> calls = new ArrayList<>();

  private final List<ObjectNode> steps = new ArrayList<>();

  @BeforeAll
  void start(TestEngine engine) {
    server = TestServers.onSharedEngine(engine, Map.of());
    api = new Http(TestServers.api(server));
    Random random = new Random(17);
    Instant shared = now.minus(47, ChronoUnit.MINUTES);
    for (int t = 0; t < 140; t++) {
      String trace = String.format("%032x", 0xa000L + t * 7919L);
      Instant start = t % 9 == 0 ? shared : now.minusMillis(60_000 + random.nextInt(100 * 60_000));
      String session = "sess_" + random.nextInt(30);
      String user = "user_" + random.nextInt(12);
      String root = t % 11 == 0 ? null : span(t, 0);
      if (root != null) {
        steps.add(step(trace, root, null, start, 5_000, "invoke_agent planner", null, false));
      }
      int calls = 1 + random.nextInt(3);
      for (int c = 0; c < calls; c++) {
        Instant at = start.plusMillis(10 + random.nextInt(4_000));
        ObjectNode call =
            Http.JSON
                .createObjectNode()
                .put("request_id", trace + "-" + span(t, 10 + c))
                .put("timestamp", at.toString())
                .put("trace_id", trace)
                .put("span_id", span(t, 10 + c))
                .put("parent_id", root == null ? "00000000000000ff" : root)
                .put("model", MODELS[random.nextInt(MODELS.length)])
                .put("latency_ms", 100 + random.nextInt(900))
                .put("input_tokens", 10 + random.nextInt(500))
                .put("output_tokens", 5 + random.nextInt(300))
                .put("session_id", session)
                .put("user_id", user)
                .put("level", random.nextInt(10) == 0 ? "error" : "info")
                .put("prompt", "question " + t + "." + c);
        this.calls.add(call);
      }
      int tools = random.nextInt(3);
      for (int s = 0; s < tools; s++) {
        Instant at =
            start.plusMillis(t % 13 == 0 && s == 0 ? 30 * 60_000 : 20 + random.nextInt(4_000));
        steps.add(
            step(
                trace,
                span(t, 20 + s),
                root,
                at,
                50 + random.nextInt(400),
                null,
                TOOLS[random.nextInt(TOOLS.length)],
                random.nextInt(6) == 0));
      }
    }
    AgentRun.post(api, "/api/v1/logs?refresh=wait_for", calls);
    AgentRun.post(api, "/api/v1/spans?refresh=wait_for", steps);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private static String span(int trace, int n) {
    return String.format("%012x%04x", trace, n);
  }

  private static ObjectNode step(
      String trace,
      String span,
      String parent,
      Instant at,
      long duration,
      String name,
      String tool,
      boolean fails) {
    ObjectNode step =
        Http.JSON
            .createObjectNode()
            .put("timestamp", at.toString())
            .put("trace_id", trace)
            .put("span_id", span)
            .put("duration_ms", duration)
            .put("name", name != null ? name : "execute_tool " + tool)
            .put("kind", tool == null ? "agent" : "tool");
    if (parent != null) {
      step.put("parent_id", parent);
    }
    if (tool != null) {
      step.put("tool.name", tool);
    }
    if (fails) {
      step.put("status", "error").put("level", "error");
    }
    return step;
  }

  @Test
  void traces_latestStartFirst_everyTraceOnceInOrderAcrossPages() {
    assertThat(pageThrough("/api/v1/traces?from=now-3h&size=7", "traces", "trace_id"))
        .isEqualTo(expected(all(), "trace_id", false, true));
  }

  @Test
  void traces_earliestStartFirst_everyTraceOnceInOrderAcrossPages() {
    assertThat(
            pageThrough("/api/v1/traces?from=now-3h&sort=start:asc&size=9", "traces", "trace_id"))
        .isEqualTo(expected(all(), "trace_id", false, false));
  }

  @Test
  void traces_kqlOverSteps_listsTheTracesWithAMatchingStepPlacedByIt() {
    Predicate<ObjectNode> search =
        doc ->
            doc.path("tool").path("name").asText(doc.path("tool.name").asText()).equals("search");
    List<String> expected = expected(search, "trace_id", false, true);
    assertThat(expected).hasSizeGreaterThan(10);

    assertThat(
            pageThrough(
                "/api/v1/traces?from=now-3h&size=5&q=" + encode("tool.name:search"),
                "traces",
                "trace_id"))
        .isEqualTo(expected);
    assertThat(
            pageThrough(
                "/api/v1/traces?from=now-3h&size=50&over=steps&q=" + encode("tool.name:search"),
                "traces",
                "trace_id"))
        .isEqualTo(expected);
    assertThat(
            pageThrough(
                "/api/v1/traces?from=now-3h&size=50&over=calls&q=" + encode("tool.name:search"),
                "traces",
                "trace_id"))
        .as("calls have no tool")
        .isEmpty();
  }

  @Test
  void traces_levelErrorOverCallsOrSteps_findsFailuresInTheChosenFamily() {
    Predicate<ObjectNode> failedStep =
        doc -> doc.has("duration_ms") && doc.path("level").asText().equals("error");
    Predicate<ObjectNode> failedCall =
        doc -> doc.has("request_id") && doc.path("level").asText().equals("error");
    String q = encode("level:error");

    assertThat(
            pageThrough(
                "/api/v1/traces?from=now-3h&size=50&over=steps&q=" + q, "traces", "trace_id"))
        .isEqualTo(expected(failedStep, "trace_id", false, true));
    assertThat(
            pageThrough(
                "/api/v1/traces?from=now-3h&size=50&over=calls&q=" + q, "traces", "trace_id"))
        .isEqualTo(expected(failedCall, "trace_id", false, true));
    assertThat(pageThrough("/api/v1/traces?from=now-3h&size=50&q=" + q, "traces", "trace_id"))
        .isEqualTo(expected(failedStep.or(failedCall), "trace_id", false, true));
  }

  @Test
  void traces_summaries_equalTheTraceViewsTotals() {
    JsonNode page = api.get("/api/v1/traces?from=now-3h&size=40").json();
    assertThat(page.path("traces")).hasSize(40);
    for (JsonNode summary : page.path("traces")) {
      JsonNode view = api.get("/api/v1/traces/" + summary.path("trace_id").asText()).json();
      ObjectNode listed = summary.deepCopy();
      listed.remove(List.of("trace_id", "root", "truncated"));
      assertThat(listed).as(summary.path("trace_id").asText()).isEqualTo(view.path("totals"));
      JsonNode root = view.path("nodes").get(0);
      assertThat(summary.path("root").path("synthetic").asBoolean())
          .isEqualTo(root.path("synthetic").asBoolean());
      assertThat(summary.path("root").path("name").asText())
          .isEqualTo(
              view.path("nodes")
                  .get(root.path("synthetic").asBoolean() ? 1 : 0)
                  .path("name")
                  .asText());
    }
  }

  @Test
  void traces_window_listsOnlyTracesWithADocumentInIt() {
    Instant from = now.minus(50, ChronoUnit.MINUTES);
    Instant to = now.minus(20, ChronoUnit.MINUTES);
    Predicate<ObjectNode> inWindow =
        doc -> {
          Instant at = Instant.parse(doc.path("timestamp").asText());
          return !at.isBefore(from) && !at.isAfter(to);
        };
    assertThat(
            pageThrough("/api/v1/traces?size=11&from=" + from + "&to=" + to, "traces", "trace_id"))
        .isEqualTo(expected(inWindow, "trace_id", false, true));
  }

  @Test
  void sessions_mostRecentlyActiveFirst_everySessionOnceAcrossPages() {
    List<String> expected = expected(doc -> doc.has("request_id"), "session_id", true, true);
    assertThat(expected).hasSize(30);

    assertThat(pageThrough("/api/v1/sessions?from=now-3h&size=4", "sessions", "session_id"))
        .isEqualTo(expected);
  }

  @Test
  void users_mostRecentlyActiveFirst_withTheirNumbers() {
    assertThat(pageThrough("/api/v1/users?from=now-3h&size=5", "users", "user_id"))
        .isEqualTo(expected(doc -> doc.has("request_id"), "user_id", true, true));
    String q = encode("model:\"gpt-4o-mini\"");
    assertThat(pageThrough("/api/v1/users?from=now-3h&size=5&q=" + q, "users", "user_id"))
        .isEqualTo(
            expected(
                doc -> doc.path("model").asText().equals("gpt-4o-mini"), "user_id", true, true));

    JsonNode user = api.get("/api/v1/users/user_3").json();
    List<ObjectNode> theirs =
        calls.stream().filter(c -> c.path("user_id").asText().equals("user_3")).toList();
    assertThat(user.path("calls").asInt()).isEqualTo(theirs.size());
    assertThat(user.path("errors").asInt())
        .isEqualTo(
            (int) theirs.stream().filter(c -> c.path("level").asText().equals("error")).count());
    assertThat(user.path("input_tokens").asLong())
        .isEqualTo(theirs.stream().mapToLong(c -> c.path("input_tokens").asLong()).sum());
    assertThat(user.path("first").asText())
        .isEqualTo(
            theirs.stream()
                .map(c -> Instant.parse(c.path("timestamp").asText()))
                .min(Comparator.naturalOrder())
                .orElseThrow()
                .toString());
    assertThat(user.path("distinct").path("session_id").asInt())
        .isEqualTo(
            (int) theirs.stream().map(c -> c.path("session_id").asText()).distinct().count());
    assertThat(user.path("sessions").get(0).path("last").asText())
        .as("most recent session first")
        .isEqualTo(user.path("last").asText());
    assertThat(api.get("/api/v1/users/nobody").status()).isEqualTo(404);
  }

  /** Every group of the listing, page after page, checking that no page is larger than asked. */
  private List<String> pageThrough(String path, String list, String key) {
    int size = Integer.parseInt(path.replaceAll(".*[?&]size=(\\d+).*", "$1"));
    List<String> keys = new ArrayList<>();
    String next = null;
    int pages = 0;
    do {
      Http.Answer answer = api.get(path + (next == null ? "" : "&search_after=" + next));
      assertThat(answer.status()).as(answer.body()).isEqualTo(200);
      JsonNode page = answer.json();
      assertThat(page.path(list).size()).isLessThanOrEqualTo(size);
      page.path(list).forEach(item -> keys.add(item.path(key).asText()));
      next = page.path("next").isTextual() ? page.path("next").asText() : null;
      assertThat(++pages).as("pages of %s", path).isLessThan(200);
    } while (next != null);
    assertThat(new LinkedHashSet<>(keys)).as("each once").hasSameSizeAs(keys);
    return keys;
  }

  private static Predicate<ObjectNode> all() {
    return doc -> true;
  }

  /**
   * The documented order: groups with a matching document in the last three hours (all of them
   * here), placed by their first matching document (traces) or their last (sessions, users), the
   * latest first when {@code descending}, ties by key in byte order.
   */
  private List<String> expected(
      Predicate<ObjectNode> matching, String keyField, boolean byLast, boolean descending) {
    Map<String, Long> place = new HashMap<>();
    List<ObjectNode> docs = new ArrayList<>(calls);
    if (keyField.equals("trace_id")) {
      docs.addAll(steps);
    }
    for (ObjectNode doc : docs) {
      if (!matching.test(doc)) {
        continue;
      }
      long at = Instant.parse(doc.path("timestamp").asText()).toEpochMilli();
      place.merge(doc.path(keyField).asText(), at, byLast ? Math::max : Math::min);
    }
    ToLongFunction<String> time = place::get;
    Comparator<String> order =
        descending ? Comparator.comparingLong(time).reversed() : Comparator.comparingLong(time);
    List<String> keys = new ArrayList<>(place.keySet());
    keys.sort(order.thenComparing((a, b) -> GroupPager.compare(a, b)));
    return keys;
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}

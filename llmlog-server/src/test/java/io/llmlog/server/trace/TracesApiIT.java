package io.llmlog.server.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.engine.junit.SharedEngineExtension;
import io.llmlog.engine.junit.TestEngine;
import io.llmlog.server.Http;
import io.llmlog.server.LlmlogServer;
import io.llmlog.server.TestServers;
import io.llmlog.server.otlp.OtlpSdk;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The trace, session and user views of the API on a real server: a trace is the same whichever way
 * it came in (OpenTelemetry or llmlog's own records, in either order), orphans and steps that
 * arrive before their parents are placed as documented, and the views' numbers are the stored ones.
 */
@ExtendWith(SharedEngineExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TracesApiIT {
  private LlmlogServer server;
  private Http api;
  private final Instant start =
      Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);

  @BeforeAll
  void start(TestEngine engine) {
    server = TestServers.onSharedEngine(engine, Map.of());
    api = new Http(TestServers.api(server));
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void trace_sameRunThroughOtlpAndThroughNativeRecords_sameTreeTotalsAndCriticalPath()
      throws Exception {
    String otlpTrace;
    try (OtlpSdk otel =
        new OtlpSdk(TestServers.api(server), "http/protobuf", "agent-app", Map.of())) {
      otlpTrace = AgentRun.sendOtlp(otel.sdk().getTracer("agents"), start);
      otel.flushSpans();
    }
    String nativeTrace = "0af7651916cd43dd8448eb211c80319c";
    AgentRun.records(nativeTrace, start, 1).send(api, false);

    JsonNode viaOtlp = awaitTrace(otlpTrace, AgentRun.PARTS.size());
    JsonNode viaNative = awaitTrace(nativeTrace, AgentRun.PARTS.size());

    assertThat(AgentRun.shape(viaNative)).isEqualTo(AgentRun.shape(viaOtlp));
    JsonNode totals = viaOtlp.path("totals");
    assertThat(totals.path("start").asText()).isEqualTo(start.toString());
    assertThat(totals.path("duration_ms").asDouble()).isEqualTo(4000);
    assertThat(totals.path("calls").asInt()).isEqualTo(2);
    assertThat(totals.path("steps").asInt()).isEqualTo(5);
    assertThat(totals.path("errors").asInt()).isEqualTo(1);
    assertThat(totals.path("input_tokens").asLong()).isEqualTo(420);
    assertThat(totals.path("output_tokens").asLong()).isEqualTo(240);
    assertThat(totals.path("cost_usd").asDouble()).as("gpt-4o is priced").isPositive();
    assertThat(totals.path("users")).extracting(JsonNode::asText).containsExactly(AgentRun.USER);
    assertThat(totals.path("sessions"))
        .extracting(JsonNode::asText)
        .containsExactly(AgentRun.SESSION);
    assertThat(names(viaOtlp))
        .as("siblings that start together: the longer first")
        .containsExactly(
            "invoke_agent planner",
            "chat gpt-4o",
            "retrieval docs",
            "execute_tool get_weather",
            "execute_tool search",
            "invoke_agent researcher",
            "chat gpt-4o");
    assertThat(AgentRun.shape(viaOtlp).get("critical_path"))
        .isEqualTo(
            List.of(
                "invoke_agent planner@0 +0.0 100.0",
                "chat gpt-4o@100 +100.0 900.0",
                "invoke_agent planner@0 +1000.0 100.0",
                "retrieval docs@1100 +1100.0 300.0",
                "invoke_agent planner@0 +1400.0 100.0",
                "execute_tool get_weather@1500 +1500.0 600.0",
                "invoke_agent planner@0 +2100.0 50.0",
                "invoke_agent researcher@2150 +2150.0 50.0",
                "chat gpt-4o@2200 +2200.0 1700.0",
                "invoke_agent researcher@2150 +3900.0 50.0",
                "invoke_agent planner@0 +3950.0 50.0"));
    JsonNode failed = node(viaOtlp, "execute_tool get_weather");
    assertThat(failed.path("status").asText()).isEqualTo("error");
    assertThat(failed.path("error").path("type").asText()).isEqualTo("timeout");
    assertThat(node(viaOtlp, "execute_tool search").path("critical").asBoolean())
        .as("the faster of two parallel tools")
        .isFalse();
    JsonNode researcher = node(viaOtlp, "invoke_agent researcher");
    assertThat(researcher.path("subtree").path("total_tokens").asLong()).isEqualTo(500);
    assertThat(researcher.path("descendants").asInt()).isEqualTo(1);
  }

  @Test
  void trace_sameRunThroughOtlpAndThroughTheSdksSteps_sameTreeTotalsAndCriticalPath()
      throws Exception {
    String otlpTrace;
    try (OtlpSdk otel =
        new OtlpSdk(TestServers.api(server), "http/protobuf", "agent-app", Map.of())) {
      otlpTrace = AgentRun.sendOtlp(otel.sdk().getTracer("agents"), start.plusSeconds(5));
      otel.flushSpans();
    }
    String sdkTrace = AgentRun.sendSdk(TestServers.api(server), start.plusSeconds(5));

    JsonNode viaOtlp = awaitTrace(otlpTrace, AgentRun.PARTS.size());
    JsonNode viaSdk = awaitTrace(sdkTrace, AgentRun.PARTS.size());

    assertThat(AgentRun.shape(viaSdk)).isEqualTo(AgentRun.shape(viaOtlp));
    assertThat(viaSdk.path("totals").path("steps").asInt()).isEqualTo(5);
    assertThat(viaSdk.path("totals").path("calls").asInt()).isEqualTo(2);
    assertThat(node(viaSdk, "execute_tool get_weather").path("status").asText()).isEqualTo("error");
    assertThat(node(viaSdk, "execute_tool search").path("parent").asText())
        .as("the executor's task is the planner's child")
        .isEqualTo(viaSdk.path("nodes").get(0).path("id").asText());
  }

  @Test
  void trace_stepStoredBeforeItsParent_isAnOrphanUntilTheParentComesThenUnderIt() throws Exception {
    String trace = "1bf92f3577b34da6a3ce929d0e0e4736";
    AgentRun.Records records = AgentRun.records(trace, start, 2);
    ObjectNode planner = records.steps().get(0);
    List<ObjectNode> laterSteps = records.steps().subList(1, records.steps().size());
    AgentRun.post(api, "/api/v1/spans?refresh=wait_for", laterSteps);
    AgentRun.post(api, "/api/v1/logs?refresh=wait_for", records.calls());

    JsonNode early = get("/api/v1/traces/" + trace).json();
    assertThat(early.path("nodes").get(0).path("synthetic").asBoolean())
        .as("no root yet: a synthetic one")
        .isTrue();
    JsonNode researcher = node(early, "invoke_agent researcher");
    assertThat(researcher.path("orphan").asBoolean()).isTrue();
    assertThat(researcher.path("parent").asText()).isEqualTo(trace);
    assertThat(node(early, "retrieval docs").path("orphan").asBoolean()).isTrue();
    assertThat(early.path("totals").path("orphans").asInt())
        .as("the planner's four steps and its call")
        .isEqualTo(5);
    assertThat(early.path("nodes"))
        .filteredOn(
            n ->
                n.path("name").asText().equals("chat gpt-4o")
                    && n.path("offset_ms").asLong() == 2200 - 100)
        .singleElement()
        .satisfies(
            chat ->
                assertThat(chat.path("parent").asText())
                    .as("under the researcher, which did arrive")
                    .isEqualTo(researcher.path("id").asText()));

    AgentRun.post(api, "/api/v1/spans?refresh=wait_for", List.of(planner));

    JsonNode complete = get("/api/v1/traces/" + trace).json();
    assertThat(complete.path("totals").path("orphans").asInt()).isZero();
    assertThat(complete.path("nodes").get(0).path("name").asText())
        .isEqualTo("invoke_agent planner");
    String nativeTrace = "2bf92f3577b34da6a3ce929d0e0e4736";
    AgentRun.records(nativeTrace, start, 3).send(api, true);
    assertThat(AgentRun.shape(complete))
        .isEqualTo(AgentRun.shape(get("/api/v1/traces/" + nativeTrace).json()));
  }

  @Test
  void trace_parentNeverArrives_callHangsUnderTheRootFlaggedOrphan() {
    String trace = "3bf92f3577b34da6a3ce929d0e0e4736";
    AgentRun.post(
        api,
        "/api/v1/spans?refresh=wait_for",
        List.of(step(trace, "00000000000000a1", null, "invoke_agent triage", 0, 1000)));
    ObjectNode call =
        Http.JSON
            .createObjectNode()
            .put("request_id", "orphan-call-1")
            .put("timestamp", start.plusMillis(200).toString())
            .put("trace_id", trace)
            .put("span_id", "00000000000000b2")
            .put("parent_id", "00000000000000ff")
            .put("model", "gpt-4o-mini")
            .put("latency_ms", 300)
            .put("input_tokens", 10)
            .put("output_tokens", 5);
    AgentRun.post(api, "/api/v1/logs?refresh=wait_for", List.of(call));

    JsonNode view = get("/api/v1/traces/" + trace).json();

    assertThat(names(view))
        .as(view.toString())
        .containsExactly("invoke_agent triage", "chat gpt-4o-mini");
    JsonNode orphan = view.path("nodes").get(1);
    assertThat(orphan.path("orphan").asBoolean()).isTrue();
    assertThat(orphan.path("parent").asText()).isEqualTo("00000000000000a1");
    assertThat(orphan.path("parent_id").asText()).isEqualTo("00000000000000ff");
    assertThat(orphan.path("request_id").asText()).isEqualTo("orphan-call-1");
    assertThat(view.path("totals").path("orphans").asInt()).isEqualTo(1);
  }

  @Test
  void trace_unknownId_is404AndAStepOpensInFull() {
    Http.Answer missing = get("/api/v1/traces/ffffffffffffffffffffffffffffffff");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().path("error").path("reason").asText())
        .contains("ffffffffffffffffffffffffffffffff");

    String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    ObjectNode tool =
        step(trace, "00000000000000c1", null, "execute_tool lookup", 0, 50)
            .put("tool.arguments", "{\"order\": \"A-1\"}");
    AgentRun.post(api, "/api/v1/spans?refresh=wait_for", List.of(tool));
    JsonNode stored = get("/api/v1/traces/" + trace + "/steps/00000000000000c1").json();
    assertThat(stored.path("tool").path("arguments").asText()).isEqualTo("{\"order\": \"A-1\"}");
    assertThat(get("/api/v1/traces/" + trace + "/steps/00000000000000c2").status()).isEqualTo(404);
  }

  @Test
  void session_turnsInOrder_withTheNewMessagesOfEachTurnFromMessagesOrTexts() {
    String session = "sess_thread_1";
    ObjectNode first =
        Http.JSON
            .createObjectNode()
            .put("request_id", "turn-1")
            .put("timestamp", start.plusSeconds(1).toString())
            .put("session_id", session)
            .put("user_id", "user_thread")
            .put("model", "gpt-4o")
            .put("system_prompt", "You are terse.")
            .put("prompt", "What is the capital of France?")
            .put("response", "Paris.")
            .put("input_tokens", 12)
            .put("output_tokens", 2);
    ObjectNode second =
        Http.JSON
            .createObjectNode()
            .put("request_id", "turn-2")
            .put("timestamp", start.plusSeconds(20).toString())
            .put("session_id", session)
            .put("user_id", "user_thread")
            .put("model", "gpt-4o")
            .put("trace_id", "5bf92f3577b34da6a3ce929d0e0e4736")
            .put("input_tokens", 30)
            .put("output_tokens", 8);
    second.set(
        "input_messages",
        Http.JSON.valueToTree(
            List.of(
                Map.of("role", "system", "content", "You are terse."),
                Map.of("role", "user", "content", "What is the capital of France?"),
                Map.of("role", "assistant", "content", "Paris."),
                Map.of(
                    "role", "user", "content", "And its weather? <img src=x onerror=alert(1)>"))));
    second.set(
        "output_messages",
        Http.JSON.valueToTree(
            List.of(
                Map.of(
                    "role",
                    "assistant",
                    "tool_calls",
                    List.of(
                        Map.of(
                            "id",
                            "call_1",
                            "type",
                            "function",
                            "function",
                            Map.of(
                                "name", "get_weather", "arguments", "{\"city\":\"Paris\"}")))))));
    ObjectNode third =
        Http.JSON
            .createObjectNode()
            .put("request_id", "turn-3")
            .put("timestamp", start.plusSeconds(40).toString())
            .put("session_id", session)
            .put("user_id", "user_thread")
            .put("model", "gpt-4o")
            .put("prompt", "Thanks")
            .put("level", "error");
    third.putObject("error").put("type", "timeout").put("message", "no answer");
    AgentRun.post(api, "/api/v1/logs?refresh=wait_for", List.of(third, first, second));

    JsonNode page1 = get("/api/v1/sessions/" + session + "?size=2").json();

    assertThat(page1.path("calls").asInt()).isEqualTo(3);
    assertThat(page1.path("errors").asInt()).isEqualTo(1);
    assertThat(page1.path("input_tokens").asInt()).isEqualTo(42);
    assertThat(page1.path("users").get(0).path("user_id").asText()).isEqualTo("user_thread");
    assertThat(page1.path("turns"))
        .extracting(t -> t.path("request_id").asText())
        .containsExactly("turn-1", "turn-2");
    JsonNode turn1 = page1.path("turns").get(0);
    assertThat(turn1.path("system").asText()).isEqualTo("You are terse.");
    assertThat(turn1.path("input").toString())
        .isEqualTo(
            "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"text\":\"What is the capital of France?\"}]}]");
    assertThat(turn1.path("output").toString())
        .isEqualTo(
            "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"text\":\"Paris.\"}]}]");
    JsonNode turn2 = page1.path("turns").get(1);
    assertThat(turn2.path("input")).as("only what is new since the previous answer").hasSize(1);
    assertThat(turn2.path("input").get(0).path("parts").get(0).path("text").asText())
        .isEqualTo("And its weather? <img src=x onerror=alert(1)>");
    JsonNode toolCall = turn2.path("output").get(0).path("parts").get(0);
    assertThat(toolCall.path("type").asText()).isEqualTo("tool_call");
    assertThat(toolCall.path("name").asText()).isEqualTo("get_weather");
    assertThat(toolCall.path("text").asText()).isEqualTo("{\"city\":\"Paris\"}");
    assertThat(turn2.path("trace_id").asText()).isEqualTo("5bf92f3577b34da6a3ce929d0e0e4736");

    JsonNode page2 =
        get("/api/v1/sessions/" + session + "?size=2&search_after=" + page1.path("next").asText())
            .json();
    assertThat(page2.path("turns"))
        .extracting(t -> t.path("request_id").asText())
        .containsExactly("turn-3");
    assertThat(page2.path("turns").get(0).path("error").path("type").asText()).isEqualTo("timeout");
    assertThat(page2.path("next").isNull()).isTrue();
    assertThat(get("/api/v1/sessions/sess_nobody").status()).isEqualTo(404);
  }

  @Test
  void list_badParameters_are400NamingThem() {
    assertThat(parameter(get("/api/v1/traces?size=0"))).isEqualTo("size");
    assertThat(parameter(get("/api/v1/traces?over=quality"))).isEqualTo("over");
    assertThat(parameter(get("/api/v1/traces?sort=cost:desc"))).isEqualTo("sort");
    assertThat(parameter(get("/api/v1/traces?from=yesterday"))).isEqualTo("from");
    assertThat(parameter(get("/api/v1/traces?search_after=bm90LWEtdG9rZW4")))
        .isEqualTo("search_after");
    assertThat(parameter(get("/api/v1/sessions?over=steps"))).isEqualTo("over");
    Http.Answer kql = get("/api/v1/traces?q=" + encode("latency_ms > fast"));
    assertThat(kql.status()).isEqualTo(400);
    assertThat(kql.json().path("error").path("type").asText()).isEqualTo("kql_syntax_error");
    assertThat(kql.json().path("error").path("position").asInt()).isEqualTo(13);
    String token = get("/api/v1/traces?size=1").json().path("next").asText();
    assertThat(parameter(get("/api/v1/traces?sort=start:asc&search_after=" + token)))
        .isEqualTo("search_after");
  }

  private static String parameter(Http.Answer answer) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(400);
    return answer.json().path("error").path("parameter").asText();
  }

  static ObjectNode step(
      String trace, String span, String parent, String name, long offset, long duration) {
    ObjectNode step =
        Http.JSON
            .createObjectNode()
            .put(
                "timestamp",
                Instant.now().minus(10, ChronoUnit.MINUTES).plusMillis(offset).toString())
            .put("trace_id", trace)
            .put("span_id", span)
            .put("name", name)
            .put("kind", name.startsWith("execute_tool") ? "tool" : "agent")
            .put("duration_ms", duration);
    if (parent != null) {
      step.put("parent_id", parent);
    }
    return step;
  }

  private Http.Answer get(String path) {
    return api.get(path);
  }

  private static List<String> names(JsonNode trace) {
    List<String> names = new ArrayList<>();
    trace.path("nodes").forEach(node -> names.add(node.path("name").asText()));
    return names;
  }

  private static JsonNode node(JsonNode trace, String name) {
    for (JsonNode node : trace.path("nodes")) {
      if (node.path("name").asText().equals(name)) {
        return node;
      }
    }
    throw new AssertionError("no node " + name + " in " + trace);
  }

  private JsonNode awaitTrace(String traceId, int nodes) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    Http.Answer last = null;
    while (System.nanoTime() < deadline) {
      last = get("/api/v1/traces/" + traceId);
      if (last.status() == 200 && last.json().path("nodes").size() >= nodes) {
        return last.json();
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "trace " + traceId + " not complete in time: " + (last == null ? "" : last.body()));
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}

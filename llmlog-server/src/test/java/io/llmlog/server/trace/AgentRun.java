package io.llmlog.server.trace;

import static io.opentelemetry.api.common.AttributeKey.longKey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.client.LlmCall;
import io.llmlog.client.LlmLogContext;
import io.llmlog.client.LlmLogger;
import io.llmlog.client.LlmStep;
import io.llmlog.client.StepKind;
import io.llmlog.server.Http;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One agent run of a fixed shape, which a test sends through one way in or another and then reads
 * back as a trace: a planner agent that calls the model, retrieves documents, runs two tools at
 * once (the slower one fails) and hands over to a researcher agent that calls the model again.
 *
 * <pre>
 * invoke_agent planner            [   0, 4000)
 *   chat gpt-4o                   [ 100, 1000)   120 in, 40 out
 *   retrieval docs                [1100, 1400)
 *   execute_tool get_weather      [1500, 2100)   fails
 *   execute_tool search           [1500, 1700)
 *   invoke_agent researcher       [2150, 3950)
 *     chat gpt-4o                 [2200, 3900)   300 in, 200 out
 * </pre>
 */
public final class AgentRun {
  public static final String SESSION = "sess_agent_run";
  public static final String USER = "user_agent_run";

  /** One span of the run: offsets in milliseconds from the run's start. */
  record Part(
      String key,
      String parent,
      String kind,
      String name,
      long offset,
      long duration,
      String tool,
      long inputTokens,
      long outputTokens,
      boolean fails) {
    boolean call() {
      return kind.equals("chat");
    }
  }

  static final List<Part> PARTS =
      List.of(
          new Part("planner", null, "agent", "invoke_agent planner", 0, 4000, null, 0, 0, false),
          new Part("chat1", "planner", "chat", "chat gpt-4o", 100, 900, null, 120, 40, false),
          new Part("docs", "planner", "retrieval", "retrieval docs", 1100, 300, null, 0, 0, false),
          new Part(
              "weather",
              "planner",
              "tool",
              "execute_tool get_weather",
              1500,
              600,
              "get_weather",
              0,
              0,
              true),
          new Part(
              "search", "planner", "tool", "execute_tool search", 1500, 200, "search", 0, 0, false),
          new Part(
              "researcher",
              "planner",
              "agent",
              "invoke_agent researcher",
              2150,
              1800,
              null,
              0,
              0,
              false),
          new Part(
              "chat2", "researcher", "chat", "chat gpt-4o", 2200, 1700, null, 300, 200, false));

  private AgentRun() {}

  /**
   * Sends the run as the OpenTelemetry Java SDK exports it: GenAI spans in the current conventions.
   *
   * @return the trace id
   */
  public static String sendOtlp(Tracer tracer, Instant start) {
    Map<String, Span> spans = new HashMap<>();
    long startNanos = TimeUnit.MILLISECONDS.toNanos(start.toEpochMilli());
    for (Part part : PARTS) {
      Context parent =
          part.parent() == null ? Context.root() : Context.root().with(spans.get(part.parent()));
      SpanBuilder span =
          tracer
              .spanBuilder(part.name())
              .setParent(parent)
              .setStartTimestamp(
                  startNanos + TimeUnit.MILLISECONDS.toNanos(part.offset()), TimeUnit.NANOSECONDS);
      switch (part.kind()) {
        case "chat" ->
            span.setAttribute("gen_ai.operation.name", "chat")
                .setAttribute("gen_ai.provider.name", "openai")
                .setAttribute("gen_ai.request.model", "gpt-4o")
                .setAttribute(longKey("gen_ai.usage.input_tokens"), part.inputTokens())
                .setAttribute(longKey("gen_ai.usage.output_tokens"), part.outputTokens())
                .setAttribute("gen_ai.conversation.id", SESSION)
                .setAttribute("user.id", USER);
        case "agent" ->
            span.setAttribute("gen_ai.operation.name", "invoke_agent")
                .setAttribute("gen_ai.agent.name", part.name().split(" ")[1]);
        case "retrieval" -> span.setAttribute("gen_ai.operation.name", "retrieval");
        case "tool" ->
            span.setAttribute("gen_ai.operation.name", "execute_tool")
                .setAttribute("gen_ai.tool.name", part.tool());
        default -> throw new IllegalArgumentException(part.kind());
      }
      spans.put(part.key(), span.startSpan());
    }
    for (Part part : PARTS.reversed()) {
      Span span = spans.get(part.key());
      if (part.fails()) {
        span.setAttribute("error.type", "timeout");
        span.setStatus(StatusCode.ERROR, "the weather service did not answer");
      }
      span.end(
          startNanos + TimeUnit.MILLISECONDS.toNanos(part.offset() + part.duration()),
          TimeUnit.NANOSECONDS);
    }
    return spans.get("planner").getSpanContext().getTraceId();
  }

  /**
   * Sends the run as an application without OpenTelemetry logs it with llmlog's SDK: steps around
   * the calls, the session and user from scopes, and the faster tool in a task of a wrapped
   * executor (so that it is a sibling of the slower one, not its child). The SDK's clocks are moved
   * by hand to each part's offset, so the run has the same timings as the other ways in.
   *
   * @return the trace id
   */
  public static String sendSdk(URI endpoint, Instant start) throws Exception {
    AtomicLong offset = new AtomicLong();
    Clock clock =
        new Clock() {
          @Override
          public ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return start.plusMillis(offset.get());
          }
        };
    ExecutorService tools = LlmLogContext.wrap(Executors.newSingleThreadExecutor());
    try (LlmLogger logger =
            LlmLogger.builder("agent-app")
                .endpoint(endpoint)
                .noLines()
                .shutdownHook(false)
                .batchTimeout(Duration.ofMillis(50))
                .clock(clock)
                .nanoTime(() -> TimeUnit.MILLISECONDS.toNanos(offset.get()))
                .build();
        LlmLogContext.Scope session = LlmLogContext.session(SESSION);
        LlmLogContext.Scope user = LlmLogContext.user(USER)) {
      String trace;
      try (LlmStep planner =
          logger.step("invoke_agent planner", StepKind.AGENT).agentName("planner")) {
        trace = planner.traceId();
        offset.set(100);
        LlmCall first = chat(logger);
        offset.set(1000);
        first.end("A plan.", 120, 40, "stop");
        offset.set(1100);
        try (LlmStep docs = logger.step("retrieval docs", StepKind.RETRIEVAL)) {
          offset.set(1400);
        }
        offset.set(1500);
        CountDownLatch opened = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Future<?> search =
            tools.submit(
                () -> {
                  try (LlmStep tool =
                      logger.step("execute_tool search", StepKind.TOOL).toolName("search")) {
                    opened.countDown();
                    done.await();
                  }
                  return null;
                });
        opened.await();
        LlmStep weather =
            logger.step("execute_tool get_weather", StepKind.TOOL).toolName("get_weather");
        offset.set(1700);
        done.countDown();
        search.get(30, TimeUnit.SECONDS);
        offset.set(2100);
        weather.fail(new TimeoutException("the weather service did not answer"));
        offset.set(2150);
        try (LlmStep researcher =
            logger.step("invoke_agent researcher", StepKind.AGENT).agentName("researcher")) {
          offset.set(2200);
          LlmCall second = chat(logger);
          offset.set(3900);
          second.end("The findings.", 300, 200, "stop");
          offset.set(3950);
        }
        offset.set(4000);
      }
      if (!logger.flush(Duration.ofSeconds(30)) || logger.shippingMetrics().dropped() != 0) {
        throw new AssertionError("the SDK did not deliver the run: " + logger.shippingMetrics());
      }
      return trace;
    } finally {
      tools.shutdownNow();
    }
  }

  private static LlmCall chat(LlmLogger logger) {
    return logger.startCall("gpt-4o", "Go on.").operation("chat").provider("openai");
  }

  /**
   * The run as records of llmlog's own API, which is what an application without OpenTelemetry
   * sends: steps to {@code POST /api/v1/spans}, calls to {@code POST /api/v1/logs}.
   */
  public record Records(List<ObjectNode> steps, List<ObjectNode> calls) {
    public Records(List<ObjectNode> steps, List<ObjectNode> calls) {
      this.steps = List.copyOf(steps);
      this.calls = List.copyOf(calls);
    }

    /** Sends them, the steps first or the calls first. */
    public void send(Http api, boolean stepsFirst) {
      if (stepsFirst) {
        post(api, "/api/v1/spans?refresh=wait_for", steps);
        post(api, "/api/v1/logs?refresh=wait_for", calls);
      } else {
        post(api, "/api/v1/logs?refresh=wait_for", calls);
        post(api, "/api/v1/spans?refresh=wait_for", steps);
      }
    }
  }

  /** The run as native records of trace {@code traceId}, span ids derived from {@code seed}. */
  public static Records records(String traceId, Instant start, int seed) {
    Map<String, String> ids = new LinkedHashMap<>();
    for (int i = 0; i < PARTS.size(); i++) {
      ids.put(PARTS.get(i).key(), String.format("%08x%08x", seed, i + 1));
    }
    List<ObjectNode> steps = new ArrayList<>();
    List<ObjectNode> calls = new ArrayList<>();
    for (Part part : PARTS) {
      ObjectNode record = Http.JSON.createObjectNode();
      record.put("timestamp", start.plusMillis(part.offset()).toString());
      record.put("trace_id", traceId);
      record.put("span_id", ids.get(part.key()));
      if (part.parent() != null) {
        record.put("parent_id", ids.get(part.parent()));
      }
      if (part.call()) {
        record.put("request_id", traceId + "-" + ids.get(part.key()));
        record
            .put("operation", "chat")
            .put("provider", "openai")
            .put("model", "gpt-4o")
            .put("latency_ms", part.duration());
        record.put("input_tokens", part.inputTokens()).put("output_tokens", part.outputTokens());
        record.put("session_id", SESSION).put("user_id", USER);
        calls.add(record);
      } else {
        record
            .put("name", part.name())
            .put("kind", part.kind())
            .put("duration_ms", part.duration());
        if (part.tool() != null) {
          record.put("tool.name", part.tool());
        }
        if (part.fails()) {
          record.put("status", "error").put("level", "error");
          record
              .putObject("error")
              .put("type", "timeout")
              .put("message", "the weather service did not answer");
        }
        steps.add(record);
      }
    }
    return new Records(steps, calls);
  }

  public static void post(Http api, String path, List<ObjectNode> records) {
    StringBuilder body = new StringBuilder();
    records.forEach(record -> body.append(record).append('\n'));
    Http.Answer answer = api.post(path, "application/x-ndjson", body.toString());
    if (answer.status() != 200 || answer.json().path("accepted").asInt() != records.size()) {
      throw new AssertionError(path + ": " + answer.body());
    }
  }

  /**
   * What a trace view says about the run, without its ids: each node as its depth, type, kind,
   * name, parent's name, timing, status, tokens, cost and flags; the totals without the start; the
   * critical path by node name. Equal shapes make equal views.
   */
  static Map<String, Object> shape(JsonNode trace) {
    Map<String, String> names = new HashMap<>();
    trace
        .path("nodes")
        .forEach(
            node ->
                names.put(
                    node.path("id").asText(),
                    node.path("name").asText() + "@" + node.path("offset_ms").asLong()));
    List<String> nodes = new ArrayList<>();
    for (JsonNode node : trace.path("nodes")) {
      nodes.add(
          String.join(
              " ",
              node.path("depth").asText(),
              node.path("type").asText(),
              node.path("kind").asText(),
              names.get(node.path("id").asText()),
              "under " + names.getOrDefault(node.path("parent").asText(), "-"),
              node.path("duration_ms").asText(),
              node.path("status").asText(),
              node.path("total_tokens").asText("-"),
              node.path("cost_usd").asText("-"),
              node.path("orphan").asBoolean() ? "orphan" : "",
              node.path("critical").asBoolean() ? "critical" : "",
              node.path("subtree").toString()));
    }
    ObjectNode totals = trace.path("totals").deepCopy();
    totals.remove("start");
    List<String> path = new ArrayList<>();
    trace
        .path("critical_path")
        .forEach(
            segment ->
                path.add(
                    names.get(segment.path("id").asText())
                        + " +"
                        + segment.path("offset_ms").asText()
                        + " "
                        + segment.path("duration_ms").asText()));
    Map<String, Object> shape = new LinkedHashMap<>();
    shape.put("nodes", nodes);
    shape.put("totals", totals.toString());
    shape.put("critical_path", path);
    return shape;
  }
}

package io.llmlog.server.ui;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Agent runs and conversations for the dashboard's trace, session and user pages: a support agent
 * that looks an order up and refunds it (the screenshots' trace, the last two turns of a three-turn
 * conversation), a run whose texts and names are hostile, and a run of 500 calls and steps. Seeded,
 * at times relative to now.
 */
final class TraceSeed {
  static final String SHOWCASE_TRACE = "7a3f9c21e4b84d0f9b6a2c5e8d1f4a07";
  static final String SHOWCASE_SESSION = "sess_refund_7731";
  static final String SHOWCASE_USER = "user_107";

  /** The agent run's second model call, which the tests open from the waterfall. */
  static final String SHOWCASE_CALL = SHOWCASE_TRACE + "-00000000000000c2";

  static final String LOOKUP_SPAN = "00000000000000b2";
  static final String HOSTILE_TRACE = "6e6f74a1b2c3d4e5f60718293a4b5c6d";
  static final String HOSTILE_SESSION = "sess_hostile_<img src=x onerror=window.__xss=1>";
  static final String HOSTILE_TOOL = "<img src=x onerror=\"window.__xss = 1\">";
  static final String BIG_TRACE = "5b1d000000000000000000000000f500";
  static final int BIG_NODES = 500;

  private final Instant now;
  final List<ObjectNode> calls = new ArrayList<>();
  final List<ObjectNode> steps = new ArrayList<>();

  private TraceSeed(Instant now) {
    this.now = now.truncatedTo(ChronoUnit.MILLIS);
  }

  static TraceSeed generate(Instant now) {
    TraceSeed seed = new TraceSeed(now);
    seed.conversation();
    seed.hostile();
    seed.big();
    return seed;
  }

  /**
   * The support conversation: a first turn without a trace, then the agent run whose two model
   * calls are the second and third turns.
   */
  private void conversation() {
    Instant start = now.minus(12, ChronoUnit.MINUTES);
    String system = "You are Acme Cloud's support agent. Verify the order before any refund.";
    calls.add(
        call(
            "turn1-" + SHOWCASE_SESSION,
            start.minusSeconds(180),
            null,
            null,
            null,
            2200,
            380,
            46,
            messages(system, "Hi, I was charged twice for my annual plan.", null),
            answer("I'm sorry about that! Could you give me the order number?")));
    String agent = "00000000000000a1";
    steps.add(
        step(agent, null, "invoke_agent support-agent", "agent", start, 6400)
            .put("agent.name", "support-agent")
            .put("input", "Sure, it's A-20391.")
            .put("output", "Refund of ¥299 issued for the duplicate charge."));
    ArrayNode history =
        messages(
            system,
            "Hi, I was charged twice for my annual plan.",
            "I'm sorry about that! Could you give me the order number?",
            "Sure, it's A-20391.");
    calls.add(
        call(
            SHOWCASE_TRACE + "-00000000000000c1",
            start.plusMillis(40),
            SHOWCASE_TRACE,
            "00000000000000c1",
            agent,
            1450,
            620,
            58,
            history,
            toolCall("lookup_order", "{\"order_id\":\"A-20391\"}")));
    steps.add(
        step(
                "00000000000000b1",
                agent,
                "retrieval refund-policy",
                "retrieval",
                start.plusMillis(1520),
                380)
            .put("retrieval.query", "refund policy duplicate charge annual plan")
            .set(
                "retrieval.document_ids",
                DashboardSeed.JSON.createArrayNode().add("kb-refunds-03").add("kb-billing-11")));
    steps.add(
        step(LOOKUP_SPAN, agent, "execute_tool lookup_order", "tool", start.plusMillis(1520), 910)
            .put("tool.name", "lookup_order")
            .put("tool.arguments", "{\"order_id\": \"A-20391\"}")
            .put(
                "tool.result",
                "{\"charges\": [{\"amount\": 299, \"at\": \"11-28 09:12\"}, "
                    + "{\"amount\": 299, \"at\": \"11-28 09:12\"}], \"status\": \"paid\"}"));
    steps.add(
        step(
                "00000000000000b3",
                agent,
                "execute_tool issue_refund",
                "tool",
                start.plusMillis(2480),
                2600)
            .put("tool.name", "issue_refund")
            .put("tool.arguments", "{\"order_id\": \"A-20391\", \"amount\": 299}")
            .put("status", "error")
            .put("level", "error")
            .set(
                "error",
                DashboardSeed.JSON
                    .createObjectNode()
                    .put("type", "timeout")
                    .put("message", "the payments service did not answer in 2.5 s")));
    steps.add(
        step(
                "00000000000000b4",
                agent,
                "execute_tool issue_refund",
                "tool",
                start.plusMillis(5090),
                420)
            .put("tool.name", "issue_refund")
            .put("tool.arguments", "{\"order_id\": \"A-20391\", \"amount\": 299}")
            .put("tool.result", "{\"refund_id\": \"rf_88213\"}"));
    history.add(assistantToolCall("lookup_order"));
    history.add(
        DashboardSeed.JSON
            .createObjectNode()
            .put("role", "tool")
            .put("tool_call_id", "call_1")
            .put("content", "{\"charges\": [299, 299], \"refund\": \"rf_88213\"}"));
    calls.add(
        call(
            SHOWCASE_CALL,
            start.plusMillis(5530),
            SHOWCASE_TRACE,
            "00000000000000c2",
            agent,
            840,
            910,
            72,
            history,
            answer(
                "I found two charges of ¥299 on order A-20391 and refunded the duplicate (refund rf_88213). "
                    + "It reaches your card in 3–5 business days.")));
  }

  /**
   * A run whose tool, texts and session carry markup that would run if a page treated them as HTML.
   */
  private void hostile() {
    Instant start = now.minus(30, ChronoUnit.MINUTES);
    steps.add(
        stepOf(
            HOSTILE_TRACE,
            "00000000000000e1",
            null,
            "invoke_agent <b>bad</b>",
            "agent",
            start,
            900));
    steps.add(
        stepOf(
                HOSTILE_TRACE,
                "00000000000000e2",
                "00000000000000e1",
                "execute_tool " + HOSTILE_TOOL,
                "tool",
                start.plusMillis(100),
                200)
            .put("tool.name", HOSTILE_TOOL)
            .put("tool.arguments", DashboardSeed.HOSTILE_PROMPT)
            .put("tool.result", "<script>window.__xss = 1</script>"));
    ObjectNode call =
        call(
            "hostile-turn-1",
            start.plusMillis(400),
            HOSTILE_TRACE,
            "00000000000000e3",
            "00000000000000e1",
            300,
            20,
            10,
            null,
            null);
    call.put("prompt", DashboardSeed.HOSTILE_PROMPT)
        .put("response", DashboardSeed.HOSTILE_RESPONSE)
        .put("session_id", HOSTILE_SESSION)
        .put("user_id", "\"><img src=x onerror=window.__xss=1>");
    calls.add(call);
  }

  /**
   * 500 calls and steps: a root agent, 49 sub-agents each running a model call and tools, nested.
   */
  private void big() {
    Random random = new Random(500);
    Instant start = now.minus(20, ChronoUnit.MINUTES);
    steps.add(
        stepOf(BIG_TRACE, span(0), null, "invoke_agent orchestrator", "agent", start, 600_000));
    int n = 1;
    for (int a = 0; a < 49; a++) {
      String agent = span(n++);
      long at = a * 12_000L;
      steps.add(
          stepOf(
              BIG_TRACE,
              agent,
              span(0),
              "invoke_agent worker-" + a,
              "agent",
              start.plusMillis(at),
              11_000));
      for (int c = 0; c < 9; c++) {
        long offset = at + 100 + c * 1_150L;
        if (c % 3 == 0) {
          calls.add(
              call(
                      BIG_TRACE + "-" + span(n),
                      start.plusMillis(offset),
                      BIG_TRACE,
                      span(n),
                      agent,
                      800 + random.nextInt(300),
                      100 + random.nextInt(900),
                      20 + random.nextInt(200),
                      null,
                      null)
                  .put("session_id", "sess_batch_500")
                  .put("user_id", "batch-worker"));
        } else {
          steps.add(
              stepOf(
                      BIG_TRACE,
                      span(n),
                      agent,
                      "execute_tool tool_" + c,
                      "tool",
                      start.plusMillis(offset),
                      300 + random.nextInt(800))
                  .put("tool.name", "tool_" + c));
        }
        n++;
      }
    }
    while (n < BIG_NODES) {
      steps.add(
          stepOf(
              BIG_TRACE,
              span(n),
              span(0),
              "execute_tool wrap_up",
              "tool",
              start.plusMillis(590_000 + n),
              50));
      n++;
    }
  }

  private static String span(int n) {
    return String.format("%016x", 0xf000L + n);
  }

  private ObjectNode step(
      String span, String parent, String name, String kind, Instant at, long duration) {
    return stepOf(SHOWCASE_TRACE, span, parent, name, kind, at, duration)
        .put("session_id", SHOWCASE_SESSION)
        .put("user_id", SHOWCASE_USER);
  }

  private ObjectNode stepOf(
      String trace,
      String span,
      String parent,
      String name,
      String kind,
      Instant at,
      long duration) {
    ObjectNode step =
        DashboardSeed.JSON
            .createObjectNode()
            .put("timestamp", at.toString())
            .put("trace_id", trace)
            .put("span_id", span)
            .put("name", name)
            .put("kind", kind)
            .put("duration_ms", duration)
            .put("service", "support-bot");
    if (parent != null) {
      step.put("parent_id", parent);
    }
    return step;
  }

  private ObjectNode call(
      String id,
      Instant at,
      String trace,
      String span,
      String parent,
      double latency,
      int input,
      int output,
      ArrayNode in,
      ArrayNode out) {
    ObjectNode call =
        DashboardSeed.JSON
            .createObjectNode()
            .put("request_id", id)
            .put("timestamp", at.toString())
            .put("service", "support-bot")
            .put("environment", "prod")
            .put("model", "gpt-4o")
            .put("provider", "openai")
            .put("operation", "chat")
            .put("latency_ms", latency)
            .put("input_tokens", input)
            .put("output_tokens", output)
            .put("level", "info")
            .put("session_id", SHOWCASE_SESSION)
            .put("user_id", SHOWCASE_USER);
    if (trace != null) {
      call.put("trace_id", trace).put("span_id", span).put("parent_id", parent);
    }
    if (in != null) {
      call.set("input_messages", in.deepCopy());
    }
    if (out != null) {
      call.set("output_messages", out);
    }
    return call;
  }

  /**
   * A conversation in the OpenAI chat format, which llmlog stores in the GenAI shape: system, then
   * user and assistant in turn.
   */
  private static ArrayNode messages(String system, String... turns) {
    ArrayNode messages = DashboardSeed.JSON.createArrayNode();
    messages.addObject().put("role", "system").put("content", system);
    for (int i = 0; i < turns.length; i++) {
      if (turns[i] != null) {
        messages
            .addObject()
            .put("role", i % 2 == 0 ? "user" : "assistant")
            .put("content", turns[i]);
      }
    }
    return messages;
  }

  private static ArrayNode answer(String text) {
    ArrayNode messages = DashboardSeed.JSON.createArrayNode();
    messages.addObject().put("role", "assistant").put("content", text);
    return messages;
  }

  private static ArrayNode toolCall(String tool, String arguments) {
    ArrayNode messages = DashboardSeed.JSON.createArrayNode();
    ObjectNode call = messages.addObject().put("role", "assistant");
    call.putArray("tool_calls")
        .addObject()
        .put("id", "call_1")
        .put("type", "function")
        .putObject("function")
        .put("name", tool)
        .put("arguments", arguments);
    return messages;
  }

  private static ObjectNode assistantToolCall(String tool) {
    return (ObjectNode) toolCall(tool, "{\"order_id\":\"A-20391\"}").get(0);
  }
}

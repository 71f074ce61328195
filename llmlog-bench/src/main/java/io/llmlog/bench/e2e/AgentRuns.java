package io.llmlog.bench.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.core.LlmLogEntry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Turns generated calls into agent runs, as an application that traces its agents sends them: each
 * run a trace of 1 to 6 model calls one after the other under an agent step, with a tool or a
 * retrieval between calls half of the time (one in thirty fails). The calls keep their texts and
 * numbers; they get the run's trace, their span, the agent as parent, the run's user and session,
 * and times that follow each other from the first call's. The steps are documents of their own, for
 * {@code POST /api/v1/spans}.
 */
final class AgentRuns {
  private static final String[] TOOLS = {
    "search_docs", "lookup_order", "get_weather", "run_sql", "send_email"
  };

  private final Random random;
  private final ObjectMapper json = new ObjectMapper();

  AgentRuns(long seed) {
    this.random = new Random(seed ^ 0x5eedL);
  }

  /** The calls, in runs; the runs' steps as step documents are added to {@code steps}. */
  List<LlmLogEntry> group(List<LlmLogEntry> calls, List<Corpus.Doc> steps) {
    List<LlmLogEntry> grouped = new ArrayList<>(calls.size());
    int next = 0;
    while (next < calls.size()) {
      int size = Math.min(calls.size() - next, 1 + random.nextInt(6));
      run(calls.subList(next, next + size), grouped, steps);
      next += size;
    }
    return grouped;
  }

  private void run(List<LlmLogEntry> calls, List<LlmLogEntry> grouped, List<Corpus.Doc> steps) {
    String trace = String.format(Locale.ROOT, "%016x%016x", random.nextLong(), random.nextLong());
    String agent = span();
    LlmLogEntry first = calls.get(0);
    Instant start = first.timestamp();
    long at = 20;
    for (LlmLogEntry call : calls) {
      long latency =
          call.performance().latencyMs() == null ? 500 : Math.round(call.performance().latencyMs());
      grouped.add(
          call.toBuilder()
              .timestamp(start.plusMillis(at))
              .traceId(trace)
              .spanId(span())
              .parentId(agent)
              .sessionId(first.sessionId())
              .userId(first.userId())
              .build());
      at += latency + 10 + random.nextInt(190);
      if (random.nextBoolean()) {
        long duration = 50 + random.nextInt(1450);
        steps.add(
            step(
                trace,
                span(),
                agent,
                start.plusMillis(at),
                duration,
                first,
                random.nextInt(30) == 0));
        at += duration + 10 + random.nextInt(90);
      }
    }
    ObjectNode root =
        base(trace, agent, null, start, at + 20, first)
            .put("name", "invoke_agent " + first.service())
            .put("kind", "agent")
            .put("operation", "invoke_agent")
            .put("agent.name", first.service());
    steps.add(doc(root));
  }

  private Corpus.Doc step(
      String trace,
      String span,
      String parent,
      Instant at,
      long duration,
      LlmLogEntry call,
      boolean fails) {
    ObjectNode step = base(trace, span, parent, at, duration, call);
    if (random.nextInt(4) == 0) {
      step.put("name", "retrieval knowledge-base")
          .put("kind", "retrieval")
          .put("operation", "retrieval")
          .put("retrieval.query", "refund policy " + random.nextInt(1000));
    } else {
      String tool = TOOLS[random.nextInt(TOOLS.length)];
      step.put("name", "execute_tool " + tool)
          .put("kind", "tool")
          .put("operation", "execute_tool")
          .put("tool.name", tool)
          .put("tool.arguments", "{\"id\": " + random.nextInt(100_000) + "}");
    }
    if (fails) {
      step.put("status", "error")
          .put("level", "error")
          .putObject("error")
          .put("type", "timeout")
          .put("message", "the tool did not answer");
    } else {
      step.put("status", "ok");
    }
    return doc(step);
  }

  private ObjectNode base(
      String trace, String span, String parent, Instant at, long duration, LlmLogEntry call) {
    ObjectNode step =
        json.createObjectNode()
            .put("timestamp", at.toString())
            .put("trace_id", trace)
            .put("span_id", span)
            .put("duration_ms", duration)
            .put("service", call.service())
            .put("environment", call.environment())
            .put("session_id", call.sessionId())
            .put("user_id", call.userId())
            .put("source", "sdk");
    if (parent != null) {
      step.put("parent_id", parent);
    }
    return step;
  }

  private Corpus.Doc doc(ObjectNode step) {
    return new Corpus.Doc(
        step.path("trace_id").asText() + "-" + step.path("span_id").asText(),
        step.toString().getBytes(StandardCharsets.UTF_8));
  }

  private String span() {
    return String.format(Locale.ROOT, "%016x", random.nextLong());
  }
}

package io.llmlog.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.engine.junit.SharedEngineExtension;
import io.llmlog.engine.junit.TestEngine;
import io.llmlog.server.Http;
import io.llmlog.server.LlmlogServer;
import io.llmlog.server.TestServers;
import io.llmlog.server.trace.AgentRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code ./llmlog trace}, {@code ./llmlog traces} and {@code ./llmlog sessions}, run in-process
 * against a real server.
 */
@ExtendWith(SharedEngineExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TraceCommandsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TRACE = "6bf92f3577b34da6a3ce929d0e0e4736";

  private LlmlogServer server;
  private String url;

  record Run(int exitCode, String out, String err) {}

  @BeforeAll
  void start(TestEngine engine) {
    server = TestServers.onSharedEngine(engine, Map.of());
    url = TestServers.api(server).toString();
    AgentRun.records(
            TRACE, Instant.now().minus(5, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS), 9)
        .send(new Http(TestServers.api(server)), true);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private Run run(String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.addAll(List.of("--server", url));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    picocli.CommandLine command = LlmlogCommand.commandLine();
    command.setOut(new PrintWriter(out));
    command.setErr(new PrintWriter(err));
    int code = command.execute(all.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void trace_printsTheTreeWithTimingsBarsAndTheCriticalPath() {
    Run run = run("trace", TRACE, "--width", "40");

    assertThat(run.exitCode()).as(run.err()).isZero();
    String[] lines = run.out().split("\n");
    assertThat(lines[0])
        .contains("trace " + TRACE, "4.00 s", "2 calls", "5 steps", "1 errors", "660 tokens");
    assertThat(lines[1])
        .startsWith("NAME")
        .contains("KIND", "START", "DURATION", "TIMELINE", "TOKENS", "COST");
    assertThat(lines[2])
        .startsWith("invoke_agent planner")
        .contains("agent", "+0 ms", "4.00 s", "█".repeat(40), "660", "*");
    assertThat(lines[3]).startsWith("├─ chat gpt-4o").contains("+100 ms", "900 ms", "160", "*");
    assertThat(lines[5]).startsWith("├─ execute_tool get_weather").endsWith("*!");
    assertThat(lines[7]).startsWith("└─ invoke_agent researcher");
    assertThat(lines[8]).startsWith("   └─ chat gpt-4o").contains("1.70 s", "500");
    int timeline = Table.width(lines[1].substring(0, lines[1].indexOf("TIMELINE")));
    assertThat(lines[8].substring(0, lines[8].indexOf('█')))
        .as("the bar starts at 2200 of 4000 ms")
        .hasSize(timeline + 22);
    assertThat(run.out())
        .contains(
            "critical path: invoke_agent planner 100 ms → chat gpt-4o 900 ms → invoke_agent planner 100 ms → retrieval docs");
  }

  @Test
  void trace_unknownId_saysSoAndExitsOne() {
    Run run = run("trace", "ffffffffffffffffffffffffffffffff");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("no call or step with trace_id 'ffffffffffffffffffffffffffffffff'");
  }

  @Test
  void traces_tableAndJson_listTheTrace() throws IOException {
    Run table = run("traces", "--from", "now-1h");
    assertThat(table.exitCode()).as(table.err()).isZero();
    assertThat(table.out().split("\n")[0])
        .startsWith("START (UTC)")
        .contains("DURATION", "ROOT", "CALLS", "STEPS", "ERRORS", "TOKENS", "COST");
    assertThat(table.out()).contains("invoke_agent planner", TRACE, "4.00 s", "1 traces");

    Run json = run("traces", "tool.name:get_weather", "--over", "steps", "--json");
    assertThat(json.exitCode()).as(json.err()).isZero();
    JsonNode line = JSON.readTree(json.out().split("\n")[0]);
    assertThat(line.path("trace_id").asText()).isEqualTo(TRACE);
    assertThat(line.path("errors").asInt()).isEqualTo(1);

    Run none = run("traces", "tool.name:nothing", "--over", "calls");
    assertThat(none.out()).contains("0 traces");
  }

  @Test
  void sessions_listsTheSessionWithItsUser() {
    Run run = run("sessions", "--from", "now-1h");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().split("\n")[0])
        .startsWith("LAST (UTC)")
        .contains("SESSION", "CALLS", "USERS", "MODELS");
    assertThat(run.out()).contains(AgentRun.SESSION, AgentRun.USER, "gpt-4o", "1 sessions");
  }
}

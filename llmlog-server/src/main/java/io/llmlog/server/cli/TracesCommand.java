package io.llmlog.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./llmlog traces}: lists the traces (agent runs) of a running llmlog. */
@Command(
    name = "traces",
    header = "List traces: agent runs with their calls, steps, time and cost.",
    mixinStandardHelpOptions = true,
    description = {
      "Lists the traces of a running llmlog server that have a call or step matching the query in the",
      "time range, latest start first. Show one with './llmlog trace ID'.",
      "",
      "  ./llmlog traces --from now-1h",
      "  ./llmlog traces 'level:error' --over steps        # traces with a failed step",
      "  ./llmlog traces 'model:gpt-4o and latency_ms > 5000' --json | jq .trace_id",
      ""
    })
final class TracesCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ListingOptions listing;

  @Option(
      names = "--over",
      paramLabel = "DOCUMENTS",
      description = "what the KQL searches: any (calls and steps, the default), calls or steps")
  String over;

  @Option(
      names = "--sort",
      paramLabel = "ORDER",
      description = "start:desc (latest first, the default) or start:asc")
  String sort;

  @Mixin ServerConnection connection;

  @Override
  public Integer call() {
    Map<String, String> parameters = listing.parameters();
    parameters.put("over", over);
    parameters.put("sort", sort);
    JsonNode page = connection.client().get("/api/v1/traces", parameters);
    PrintWriter out = spec.commandLine().getOut();
    if (listing.json) {
      page.path("traces").forEach(trace -> out.println(trace.toString()));
      out.flush();
      return 0;
    }
    Table table =
        new Table(
            "START (UTC)",
            "DURATION>",
            "ROOT",
            "CALLS>",
            "STEPS>",
            "ERRORS>",
            "TOKENS>",
            "COST $>",
            "USERS",
            "TRACE ID");
    for (JsonNode trace : page.path("traces")) {
      table.row(
          Cells.time(trace.path("start").asText("")),
          Cells.duration(trace.path("duration_ms")),
          Table.clip(trace.path("root").path("name").asText("-"), 40),
          Cells.count(trace.path("calls")),
          Cells.count(trace.path("steps")),
          Cells.count(trace.path("errors")),
          Cells.count(trace.path("total_tokens")),
          Cells.money(trace.path("cost_usd")),
          Table.clip(String.join(",", texts(trace.path("users"))), 24),
          trace.path("trace_id").asText());
    }
    table.print(out);
    Paging.footer(out, page.path("traces").size(), "traces", page);
    return 0;
  }

  static java.util.List<String> texts(JsonNode array) {
    java.util.List<String> texts = new java.util.ArrayList<>();
    array.forEach(item -> texts.add(item.asText()));
    return texts;
  }
}

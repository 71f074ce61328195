package io.llmlog.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./llmlog query '<KQL>'}: searches a running llmlog and prints the calls. */
@Command(
    name = "query",
    header = "Search the calls of a running server with KQL.",
    mixinStandardHelpOptions = true,
    description = {
      "Searches the calls logged by a running llmlog server with KQL, newest first.",
      "",
      "  ./llmlog query 'model:gpt-4 and latency_ms > 5000 and user_id:user_123 and 退款' --from now-1d/d --to now-1d/d",
      "  ./llmlog query 'level:error' --from now-1h --json | jq .document.prompt",
      ""
    })
final class QueryCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "KQL",
      description = "the query; empty finds every call")
  String kql;

  @Option(
      names = "--from",
      paramLabel = "TIME",
      description = "earliest time: ISO-8601 or date math such as now-1h, now/d")
  String from;

  @Option(
      names = "--to",
      paramLabel = "TIME",
      description = "latest time (inclusive), same forms as --from")
  String to;

  @Option(
      names = "--size",
      paramLabel = "N",
      defaultValue = "20",
      description = "how many calls (1-1000, default ${DEFAULT-VALUE})")
  int size;

  @Option(
      names = "--sort",
      paramLabel = "FIELD:DIR",
      description = "e.g. latency_ms:desc (default timestamp:desc)")
  String sort;

  @Option(
      names = "--search-after",
      paramLabel = "TOKEN",
      description = "continue after the page that printed this token")
  String searchAfter;

  @Option(
      names = "--json",
      description = "print each call as one line of JSON (document, highlight, quality records)")
  boolean json;

  @Mixin ServerConnection connection;

  @Override
  public Integer call() {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("q", kql);
    parameters.put("from", from);
    parameters.put("to", to);
    parameters.put("size", Integer.toString(size));
    parameters.put("sort", sort);
    parameters.put("search_after", searchAfter);
    JsonNode result = connection.client().get("/api/v1/search", parameters);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      result.path("hits").forEach(hit -> out.println(hit.toString()));
      out.flush();
      return 0;
    }
    Table table =
        new Table(
            "TIME (UTC)", "MODEL", "USER", "LATENCY>", "TOKENS IN/OUT>", "LEVEL", "STOP", "PROMPT");
    for (JsonNode hit : result.path("hits")) {
      JsonNode call = hit.path("document");
      table.row(
          Cells.time(call.path("timestamp").asText("")),
          text(call, "model"),
          text(call, "user_id"),
          latency(call.path("latency_ms")),
          number(call.path("input_tokens")) + "/" + number(call.path("output_tokens")),
          text(call, "level"),
          text(call, "stop_reason"),
          Table.clip(call.path("prompt").asText(""), 60));
    }
    table.print(out);
    long total = result.path("total").asLong();
    String atLeast = result.path("total_relation").asText().equals("gte") ? "at least " : "";
    out.printf("%d of %s%,d calls%n", result.path("hits").size(), atLeast, total);
    if (result.path("next").isTextual()) {
      out.println("next page: --search-after " + result.path("next").asText());
    }
    out.flush();
    return 0;
  }

  private static String text(JsonNode call, String field) {
    return call.path(field).asText("-");
  }

  private static String latency(JsonNode value) {
    return value.isNumber()
        ? String.format(Locale.ROOT, "%,d ms", Math.round(value.asDouble()))
        : "-";
  }

  private static String number(JsonNode value) {
    return value.isNumber() ? Long.toString(value.asLong()) : "-";
  }
}

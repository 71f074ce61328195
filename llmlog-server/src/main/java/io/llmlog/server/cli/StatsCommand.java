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

/**
 * {@code ./llmlog stats}: call counts, error rates, latency percentiles, tokens and cost per group.
 */
@Command(
    name = "stats",
    header = "Print calls, error rate, latency, tokens and cost per model (or another field).",
    mixinStandardHelpOptions = true,
    description = {
      "Prints per-group statistics of the calls logged by a running llmlog server: calls, error",
      "rate, latency and time-to-first-token percentiles, tokens, cost and tokens per second.",
      "",
      "  ./llmlog stats --by model --from now-24h",
      "  ./llmlog stats 'service:checkout' --by user_id --from now-7d --size 10",
      "  ./llmlog stats --from now-6h --interval auto --json",
      ""
    })
final class StatsCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "KQL",
      description = "which calls; empty means all")
  String kql;

  @Option(
      names = "--by",
      paramLabel = "FIELD",
      defaultValue = "model",
      description = "keyword field to group by (default ${DEFAULT-VALUE})")
  String by;

  @Option(
      names = "--from",
      paramLabel = "TIME",
      defaultValue = "now-24h",
      description = "earliest time (default ${DEFAULT-VALUE})")
  String from;

  @Option(names = "--to", paramLabel = "TIME", description = "latest time (default now)")
  String to;

  @Option(
      names = "--size",
      paramLabel = "N",
      description = "how many groups, largest first (default 20)")
  Integer size;

  @Option(
      names = "--interval",
      paramLabel = "WIDTH",
      description = "time buckets (auto, 5m, 1h, ...); shown with --json")
  String interval;

  @Option(names = "--json", description = "print the whole answer as one JSON document")
  boolean json;

  @Mixin ServerConnection connection;

  @Override
  public Integer call() {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("q", kql);
    parameters.put("by", by);
    parameters.put("from", from);
    parameters.put("to", to);
    parameters.put("size", size == null ? null : size.toString());
    parameters.put("interval", interval);
    JsonNode stats = connection.client().get("/api/v1/stats", parameters);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(stats.toString());
      out.flush();
      return 0;
    }
    Table table =
        new Table(
            stats.path("by").asText(by).toUpperCase(Locale.ROOT),
            "CALLS>",
            "ERROR RATE>",
            "P50 ms>",
            "P95 ms>",
            "P99 ms>",
            "TTFT P50>",
            "TTFT P95>",
            "TOKENS IN>",
            "TOKENS OUT>",
            "COST $>",
            "TOK/S>");
    for (JsonNode group : stats.path("groups")) {
      row(table, group.path("key").asText(), group);
    }
    row(table, "(all)", stats.path("totals"));
    table.print(out);
    out.printf(
        "%s to %s%s%n",
        stats.path("from").asText(),
        stats.path("to").asText(),
        stats.path("other_calls").asDouble() > 0
            ? String.format(
                Locale.ROOT,
                "; %,.0f calls in smaller groups or without %s",
                stats.path("other_calls").asDouble(),
                by)
            : "");
    if (stats.path("percentiles").path("weighted").asBoolean()) {
      out.println(
          "sampled calls are counted by their sample_weight; percentiles are weighted (rank error at most 1 percentage point)");
    }
    out.flush();
    return 0;
  }

  private static void row(Table table, String key, JsonNode m) {
    table.row(
        key,
        Cells.count(m.path("calls")),
        percent(m.path("error_rate")),
        millis(m.path("latency_ms").path("p50")),
        millis(m.path("latency_ms").path("p95")),
        millis(m.path("latency_ms").path("p99")),
        millis(m.path("ttft_ms").path("p50")),
        millis(m.path("ttft_ms").path("p95")),
        Cells.count(m.path("input_tokens")),
        Cells.count(m.path("output_tokens")),
        Cells.money(m.path("cost_usd")),
        decimal(m.path("tokens_per_second")));
  }

  private static String percent(JsonNode value) {
    return value.isNumber() ? String.format(Locale.ROOT, "%.2f%%", value.asDouble() * 100) : "-";
  }

  private static String millis(JsonNode value) {
    return value.isNumber() ? String.format(Locale.ROOT, "%,.0f", value.asDouble()) : "-";
  }

  private static String decimal(JsonNode value) {
    return value.isNumber() ? String.format(Locale.ROOT, "%.1f", value.asDouble()) : "-";
  }
}

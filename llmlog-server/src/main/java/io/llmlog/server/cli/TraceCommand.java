package io.llmlog.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./llmlog trace ID}: one trace as a tree with a text waterfall. */
@Command(
    name = "trace",
    header = "Show one trace as a tree of its calls and steps, with their timings.",
    mixinStandardHelpOptions = true,
    description = {
      "Prints a trace of a running llmlog server: every call and step under its parent, when it started",
      "and how long it took (as a bar on the trace's timeline), tokens and cost, failures, the steps whose",
      "parent never arrived, and the critical path. Find trace ids with './llmlog traces'.",
      "",
      "  ./llmlog trace 4bf92f3577b34da6a3ce929d0e0e4736",
      "  ./llmlog trace 4bf92f3577b34da6a3ce929d0e0e4736 --json | jq '.critical_path'",
      ""
    })
final class TraceCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "TRACE_ID",
      description = "the trace id (32 hex digits, as in trace_id)")
  String traceId;

  @Option(
      names = "--width",
      paramLabel = "COLUMNS",
      defaultValue = "40",
      description = "width of the timeline bars (default ${DEFAULT-VALUE})")
  int width;

  @Option(
      names = "--json",
      description = "print the trace as the API answers it (GET /api/v1/traces/ID)")
  boolean json;

  @Mixin ServerConnection connection;

  @Override
  public Integer call() {
    JsonNode trace =
        connection
            .client()
            .get(
                "/api/v1/traces/"
                    + URLEncoder.encode(traceId, StandardCharsets.UTF_8).replace("+", "%20"),
                Map.of());
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(trace.toString());
      out.flush();
      return 0;
    }
    JsonNode totals = trace.path("totals");
    double total = totals.path("duration_ms").asDouble();
    out.printf(
        Locale.ROOT,
        "trace %s · started %s UTC · %s · %s calls · %s steps · %s errors · %s tokens · $%s%s%n",
        trace.path("trace_id").asText(),
        Cells.time(totals.path("start").asText("")),
        Cells.duration(totals.path("duration_ms")),
        Cells.count(totals.path("calls")),
        Cells.count(totals.path("steps")),
        Cells.count(totals.path("errors")),
        Cells.count(totals.path("total_tokens")),
        Cells.money(totals.path("cost_usd")),
        trace.path("truncated").asBoolean()
            ? " · cut: the trace has more documents than are shown"
            : "");
    Table table =
        new Table("NAME", "KIND", "START>", "DURATION>", "TIMELINE", "TOKENS>", "COST $>", "");
    JsonNode nodes = trace.path("nodes");
    List<String> prefixes = treePrefixes(nodes);
    Map<String, String> names = new HashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      JsonNode node = nodes.get(i);
      names.put(node.path("id").asText(), node.path("name").asText());
      String flags =
          (node.path("critical").asBoolean() ? "*" : "")
              + (node.path("status").asText().equals("error") ? "!" : "")
              + (node.path("orphan").asBoolean() ? "?" : "");
      table.row(
          prefixes.get(i) + Table.clip(node.path("name").asText(), 48),
          node.path("kind").asText(),
          "+" + Cells.duration(node.path("offset_ms")),
          Cells.duration(node.path("duration_ms")),
          bar(node.path("offset_ms").asDouble(), node.path("duration_ms").asDouble(), total, width),
          node.path("type").asText().equals("trace")
              ? ""
              : Cells.count(node.path("subtree").path("total_tokens")),
          node.path("subtree").path("cost_usd").asDouble() > 0
              ? Cells.money(node.path("subtree").path("cost_usd"))
              : "",
          flags);
    }
    table.print(out);
    out.println(
        "* on the critical path   ! failed   ? parent never arrived (hung under the root)   tokens and cost include what is below");
    List<String> path = new ArrayList<>();
    for (JsonNode segment : trace.path("critical_path")) {
      path.add(
          names.getOrDefault(segment.path("id").asText(), segment.path("id").asText())
              + " "
              + Cells.duration(segment.path("duration_ms")));
    }
    out.println(
        "critical path: "
            + String.join(
                " → ",
                path.size() > 30
                    ? append(path.subList(0, 30), "… " + (path.size() - 30) + " more")
                    : path));
    out.flush();
    return 0;
  }

  /**
   * Box-drawing branches from the depth-first list: a node is its parent's last child when no later
   * sibling follows.
   */
  static List<String> treePrefixes(JsonNode nodes) {
    int n = nodes.size();
    boolean[] last = new boolean[n];
    int maxDepth = 0;
    for (JsonNode node : nodes) {
      maxDepth = Math.max(maxDepth, node.path("depth").asInt());
    }
    boolean[] siblingFollows = new boolean[maxDepth + 2];
    for (int i = n - 1; i >= 0; i--) {
      int depth = nodes.get(i).path("depth").asInt();
      last[i] = !siblingFollows[depth];
      siblingFollows[depth] = true;
      for (int deeper = depth + 1; deeper < siblingFollows.length; deeper++) {
        siblingFollows[deeper] = false;
      }
    }
    List<String> prefixes = new ArrayList<>(n);
    boolean[] continues = new boolean[maxDepth + 2];
    for (int i = 0; i < n; i++) {
      int depth = nodes.get(i).path("depth").asInt();
      StringBuilder prefix = new StringBuilder();
      for (int level = 1; level < depth; level++) {
        prefix.append(continues[level] ? "│  " : "   ");
      }
      if (depth > 0) {
        prefix.append(last[i] ? "└─ " : "├─ ");
      }
      continues[depth] = !last[i];
      prefixes.add(prefix.toString());
    }
    return prefixes;
  }

  /** The node's stretch of the trace's timeline, at least one column wide. */
  static String bar(double offset, double duration, double total, int width) {
    if (total <= 0) {
      return "█";
    }
    int from = (int) Math.min(width - 1, Math.floor(offset / total * width));
    int to =
        (int) Math.max(from + 1, Math.min(width, Math.ceil((offset + duration) / total * width)));
    return " ".repeat(from) + "█".repeat(to - from) + " ".repeat(width - to);
  }

  private static List<String> append(List<String> list, String more) {
    List<String> all = new ArrayList<>(list);
    all.add(more);
    return all;
  }
}

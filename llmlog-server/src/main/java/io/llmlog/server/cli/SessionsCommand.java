package io.llmlog.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ./llmlog sessions}: lists the conversations of a running llmlog. */
@Command(
    name = "sessions",
    header = "List sessions: conversations, most recently active first.",
    mixinStandardHelpOptions = true,
    description = {
      "Lists the sessions (calls sharing a session_id) of a running llmlog server with a call matching",
      "the query in the time range, most recently active first, with their numbers in that range.",
      "The dashboard's Sessions page shows each as a chat thread.",
      "",
      "  ./llmlog sessions --from now-1h",
      "  ./llmlog sessions 'user_id:user_107'",
      ""
    })
final class SessionsCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ListingOptions listing;

  @Mixin ServerConnection connection;

  @Override
  public Integer call() {
    JsonNode page = connection.client().get("/api/v1/sessions", listing.parameters());
    PrintWriter out = spec.commandLine().getOut();
    if (listing.json) {
      page.path("sessions").forEach(session -> out.println(session.toString()));
      out.flush();
      return 0;
    }
    Table table =
        new Table(
            "LAST (UTC)", "SESSION", "CALLS>", "ERRORS>", "TOKENS>", "COST $>", "USERS", "MODELS");
    for (JsonNode session : page.path("sessions")) {
      table.row(
          Cells.time(session.path("last").asText("")),
          session.path("session_id").asText(),
          Cells.count(session.path("calls")),
          Cells.count(session.path("errors")),
          Cells.count(session.path("total_tokens")),
          Cells.money(session.path("cost_usd")),
          Table.clip(String.join(",", values(session.path("users"), "user_id")), 24),
          Table.clip(String.join(",", values(session.path("models"), "model")), 40));
    }
    table.print(out);
    Paging.footer(out, page.path("sessions").size(), "sessions", page);
    return 0;
  }

  private static List<String> values(JsonNode counts, String field) {
    List<String> values = new ArrayList<>();
    counts.forEach(count -> values.add(count.path(field).asText()));
    return values;
  }
}

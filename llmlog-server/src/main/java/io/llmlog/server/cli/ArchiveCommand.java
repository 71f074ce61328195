package io.llmlog.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./llmlog archive list|restore|search}: the archived days of a running server. The server
 * does the work (its archive directory, its engine); these commands call its API.
 */
@Command(
    name = "archive",
    header = "List, restore and search archived days.",
    mixinStandardHelpOptions = true,
    description = {
      "Archived days of a running llmlog server: list them, restore one into a searchable index,",
      "or search a few days of archives without restoring them. See docs/lifecycle.md."
    },
    subcommands = {
      ArchiveCommand.ListCommand.class,
      ArchiveCommand.RestoreCommand.class,
      ArchiveCommand.SearchCommand.class
    })
final class ArchiveCommand implements Runnable {
  static final ObjectMapper JSON = ApiClient.JSON;

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists the archived days (and restored ones) with documents, sizes and state.")
  static final class ListCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Mixin ServerConnection server;

    @Option(
        names = "--family",
        paramLabel = "FAMILY",
        completionCandidates = FamilyKeys.class,
        description = "only this family: ${COMPLETION-CANDIDATES}")
    String family;

    @Option(names = "--all", description = "every day, also those not archived (hot, warm)")
    boolean all;

    @Option(names = "--json", description = "the server's JSON for each day, one per line")
    boolean json;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      JsonNode status = server.client().get("/api/v1/lifecycle", java.util.Map.of());
      if (!json) {
        out.printf(
            "%-12s %-10s %-10s %10s %12s %12s %6s  %s%n",
            "family", "day", "phase", "documents", "archived", "raw", "ratio", "next action");
      }
      int shown = 0;
      for (JsonNode day : status.path("days")) {
        if (family != null
            && !day.path("family")
                .asText()
                .equals(family.toLowerCase(Locale.ROOT).replace('-', '_'))) {
          continue;
        }
        JsonNode archive = day.path("archive");
        if (!all && (archive.isNull() || archive.isMissingNode())) {
          continue;
        }
        shown++;
        if (json) {
          out.println(JSON.writeValueAsString(day));
          continue;
        }
        long bytes = archive.path("bytes").asLong();
        long raw = archive.path("raw_bytes").asLong();
        String next = day.path("next_action").asText();
        out.printf(
            "%-12s %-10s %-10s %10d %12s %12s %6s  %s%n",
            day.path("family").asText(),
            day.path("day").asText(),
            day.path("phase").asText(),
            day.path("documents").asLong(),
            archive.isObject()
                ? size(bytes) + (archive.path("verified").asBoolean() ? "" : "?")
                : "-",
            archive.isObject() ? size(raw) : "-",
            raw > 0 ? String.format(Locale.ROOT, "%.1fx", (double) raw / Math.max(1, bytes)) : "-",
            next.equals("none") ? "-" : next + " at " + day.path("due").asText());
      }
      if (!json) {
        out.printf(
            "%d day(s); archives in %s (%s)%n",
            shown, status.path("archive_dir").asText(), status.path("compression").asText());
      }
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "restore",
      mixinStandardHelpOptions = true,
      description = {
        "Restores an archived day into its index, searchable again by search and the dashboard.",
        "The restored index is read-only and kept for lifecycle.restore_keep (default 7 days); restoring it again restarts that time."
      })
  static final class RestoreCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Mixin ServerConnection server;

    @Parameters(index = "0", paramLabel = "DAY", description = "the day, such as 2026.08.01")
    String day;

    @Option(
        names = "--family",
        paramLabel = "FAMILY",
        defaultValue = "logs",
        completionCandidates = FamilyKeys.class,
        description = "the family (default logs): ${COMPLETION-CANDIDATES}")
    String family;

    @Override
    public Integer call() throws Exception {
      ObjectNode body = JSON.createObjectNode().put("day", day).put("family", family);
      JsonNode result =
          server.client().post("/api/v1/lifecycle/restore", body, Duration.ofHours(2));
      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          "%s: %s, %d documents from archive set(s) %s; kept until %s%n",
          result.path("index").asText(),
          result.path("result").asText().replace('_', ' '),
          result.path("documents").asLong(),
          result.path("sets"),
          result.path("kept_until").asText());
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "search",
      mixinStandardHelpOptions = true,
      description = {
        "Searches archived days without restoring them: the server scans their files with the KQL filter.",
        "For a few days at a time (at most 31). Example: ./llmlog archive search 2026.08.01..2026.08.03 'model:gpt-4 and level:error'"
      })
  static final class SearchCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Mixin ServerConnection server;

    @Parameters(
        index = "0",
        paramLabel = "DAYS",
        description = "a day (2026.08.01) or a range (2026.08.01..2026.08.03)")
    String days;

    @Parameters(
        index = "1",
        paramLabel = "KQL",
        defaultValue = "",
        description = "the filter, in KQL as in search; empty for everything")
    String query;

    @Option(
        names = "--family",
        paramLabel = "FAMILY",
        defaultValue = "logs",
        completionCandidates = FamilyKeys.class,
        description = "the family (default logs): ${COMPLETION-CANDIDATES}")
    String family;

    @Option(
        names = "--json",
        description = "print each hit as a JSON line ({_index, _id, _source})")
    boolean json;

    @Option(
        names = "--limit",
        paramLabel = "N",
        defaultValue = "1000",
        description = "stop after N hits (default: ${DEFAULT-VALUE}; 0 for all)")
    int limit;

    @Override
    public Integer call() throws Exception {
      String[] range = days.split("\\.\\.", 2);
      PrintWriter out = spec.commandLine().getOut();
      String cursor = null;
      long hits = 0;
      long scanned = 0;
      do {
        int size = limit > 0 ? (int) Math.min(1000, limit - hits) : 1000;
        StringBuilder path =
            new StringBuilder("/api/v1/lifecycle/search?family=")
                .append(encode(family))
                .append("&from=")
                .append(encode(range[0]))
                .append("&to=")
                .append(encode(range.length > 1 ? range[1] : range[0]))
                .append("&q=")
                .append(encode(query))
                .append("&size=")
                .append(size);
        if (cursor != null) {
          path.append("&cursor=").append(encode(cursor));
        }
        JsonNode page = server.client().get(path.toString(), java.util.Map.of());
        if (cursor == null && page.path("days_without_archive").size() > 0 && !json) {
          spec.commandLine()
              .getErr()
              .println(
                  "not archived (search them with /api/v1/search): "
                      + page.path("days_without_archive"));
        }
        for (JsonNode hit : page.path("hits")) {
          out.println(json ? JSON.writeValueAsString(hit) : line(hit));
          hits++;
        }
        scanned += page.path("scanned").asLong();
        cursor = page.path("next").isNull() ? null : page.path("next").asText();
        out.flush();
      } while (cursor != null && (limit <= 0 || hits < limit));
      if (!json) {
        spec.commandLine()
            .getErr()
            .printf(
                "%d hit(s) in %d archived document(s) scanned%s%n",
                hits, scanned, cursor != null ? " (stopped at --limit)" : "");
      }
      return 0;
    }

    private static String line(JsonNode hit) {
      JsonNode source = hit.path("_source");
      if (!source.has("model")) {
        return hit.path("_index").asText() + " " + hit.path("_id").asText() + " " + source;
      }
      String prompt = source.path("prompt").asText("").replaceAll("\\s+", " ");
      if (prompt.length() > 80) {
        prompt = prompt.substring(0, 79) + "…";
      }
      return String.join(
          "  ",
          source.path("timestamp").asText(),
          source.path("level").asText("-"),
          source.path("model").asText(),
          hit.path("_id").asText(),
          prompt);
    }

    private static String encode(String value) {
      return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
  }

  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    double value = bytes;
    String[] units = {"KB", "MB", "GB", "TB"};
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }

  /** The lifecycle's families by key, for the options' help. */
  static final class FamilyKeys implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return io.llmlog.server.store.IndexFamily.managedFamilies().stream()
          .map(io.llmlog.server.store.IndexFamily::key)
          .iterator();
    }
  }
}

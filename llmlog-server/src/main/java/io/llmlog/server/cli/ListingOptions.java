package io.llmlog.server.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What the listing commands ({@code traces}, {@code sessions}) take: KQL, a window and paging. */
final class ListingOptions {
  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "KQL",
      description = "only what has a matching call (or step); empty lists everything")
  String kql;

  @Option(
      names = "--from",
      paramLabel = "TIME",
      defaultValue = "now-24h",
      description =
          "earliest time: ISO-8601 or date math such as now-1h, now/d (default ${DEFAULT-VALUE})")
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
      description = "how many (1-200, default ${DEFAULT-VALUE})")
  int size;

  @Option(
      names = "--search-after",
      paramLabel = "TOKEN",
      description = "continue after the page that printed this token")
  String searchAfter;

  @Option(names = "--json", description = "print each one as a line of JSON, as the API answers it")
  boolean json;

  /** The API's parameters; nulls are left out. */
  Map<String, String> parameters() {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("q", kql);
    parameters.put("from", from);
    parameters.put("to", to);
    parameters.put("size", Integer.toString(size));
    parameters.put("search_after", searchAfter);
    return parameters;
  }
}

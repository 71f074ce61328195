package io.llmlog.server.store;

import java.net.URI;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Tells the engine's permanent refusals at start-up (a 4xx other than 429) from the transient ones,
 * and words each with its fix. Transient: no answer, 5xx, 429, a cluster still recovering.
 */
final class EngineRefusals {
  /**
   * OpenSearch and Elasticsearch: "... matching patterns from existing templates [a, b] with
   * patterns (...) that have the same priority [200] ...".
   */
  private static final Pattern EXISTING = Pattern.compile("existing templates \\[([^\\]]*)\\]");

  private static final Pattern PRIORITY = Pattern.compile("same priority \\[(\\d+)\\]");

  private EngineRefusals() {}

  /** True when the status means the same request will be refused again. */
  static boolean permanent(int status) {
    return status >= 400 && status < 500 && status != 408 && status != 429;
  }

  /** The engine refused one of llmlog's index templates. */
  static EngineRefusedException template(
      String template,
      String pattern,
      EngineResponse response,
      List<URI> nodes,
      EngineAnswers answers) {
    if (response.status() == 401 || response.status() == 403) {
      return credentials(response, nodes);
    }
    String reason = answers.reason(response);
    Matcher existing = EXISTING.matcher(reason);
    if (existing.find()) {
      Matcher priority = PRIORITY.matcher(reason);
      long at = priority.find() ? parse(priority.group(1)) : -1;
      List<String> others = List.of(existing.group(1).trim().split("\\s*,\\s*"));
      return conflict(others, template, pattern, at, at, nodes);
    }
    return new EngineRefusedException(
        "the search engine at "
            + nodes
            + " refused llmlog's index template "
            + template
            + " ("
            + response.status()
            + "): "
            + reason);
  }

  /**
   * Other owners' templates that overlap llmlog's at its priority or above, found before
   * installing.
   */
  static EngineRefusedException conflict(
      List<TemplateConflicts.Conflict> conflicts, int ours, List<URI> nodes) {
    TemplateConflicts.Conflict first = conflicts.getFirst();
    long highest =
        conflicts.stream().mapToLong(TemplateConflicts.Conflict::priority).max().orElse(ours);
    return conflict(
        conflicts.stream().map(TemplateConflicts.Conflict::name).toList(),
        first.ours(),
        first.ourPattern(),
        highest,
        ours,
        nodes);
  }

  /**
   * One wording for both ways of learning of a conflict (the engine's refusal at the same priority,
   * or llmlog's own check that also sees higher ones): the templates, what goes wrong, both fixes.
   *
   * @param theirs the highest priority among {@code others}; -1 when the engine did not say
   */
  private static EngineRefusedException conflict(
      List<String> others,
      String template,
      String pattern,
      long theirs,
      long ours,
      List<URI> nodes) {
    String delete =
        others.stream()
            .map(name -> "curl -X DELETE '" + nodes.getFirst() + "/_index_template/" + name + "'")
            .collect(Collectors.joining(" and "));
    String which = others.size() == 1 ? "the old template" : "the old templates";
    String problem =
        theirs > ours
            ? " at a higher priority "
                + theirs
                + " than llmlog's "
                + ours
                + ", so new indices would get its mappings and settings instead of llmlog's"
                + " (the engine applies only the matching template of the highest priority)"
            : " at the same priority "
                + (theirs < 0 ? "as llmlog's" : theirs)
                + ", and two templates of one priority may not match the same index";
    String raise = theirs < 0 ? "a priority above the other template's" : Long.toString(theirs + 1);
    return new EngineRefusedException(
        "the search engine at "
            + nodes
            + " already has index template ["
            + String.join(", ", others)
            + "] for the indices of llmlog's template "
            + template
            + " ("
            + pattern
            + ")"
            + problem
            + ". Either remove "
            + which
            + " ("
            + delete
            + ", once nothing needs "
            + (others.size() == 1 ? "it" : "them")
            + "), or give llmlog's templates a higher priority: engine.template_priority: "
            + raise
            + " in llmlog.yaml or LLMLOG_ENGINE_TEMPLATE_PRIORITY="
            + raise
            + ".");
  }

  /** 401 or 403 on any request: the credentials are wrong or lack a privilege. */
  static EngineRefusedException credentials(EngineResponse response, List<URI> nodes) {
    return new EngineRefusedException(
        "the search engine at "
            + nodes
            + " refused llmlog's credentials ("
            + response.status()
            + " "
            + (response.status() == 401 ? "unauthorized" : "forbidden")
            + "): set engine.username and engine.password (LLMLOG_ENGINE_USERNAME, "
            + "LLMLOG_ENGINE_PASSWORD) to a user that may manage index templates and write llm-* indices");
  }

  /**
   * The engine's version, when llmlog cannot use it: composable index templates need OpenSearch 1
   * or later, or Elasticsearch 7.8 or later.
   *
   * @return the refusal, or null when the version is fine
   */
  static EngineRefusedException version(String distribution, String version, List<URI> nodes) {
    String[] parts = version.split("\\.");
    int major = parse(parts[0]);
    int minor = parts.length > 1 ? parse(parts[1]) : 0;
    boolean usable =
        distribution.equals("opensearch") ? major >= 1 : major > 7 || (major == 7 && minor >= 8);
    return usable || major < 0
        ? null
        : new EngineRefusedException(
            "the search engine at "
                + nodes
                + " is "
                + distribution
                + " "
                + version
                + ", which llmlog cannot use: it needs composable index templates, from OpenSearch 1.0 or Elasticsearch 7.8 on. Upgrade the cluster, "
                + "or leave engine.url empty to use llmlog's embedded engine.");
  }

  private static int parse(String number) {
    try {
      return Integer.parseInt(number.replaceAll("[^0-9].*", ""));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}

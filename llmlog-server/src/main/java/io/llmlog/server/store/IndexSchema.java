package io.llmlog.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * llmlog's index templates on the engine, installed at every start, and their schema version.
 *
 * <p><b>Upgrades.</b> Each template carries {@link #VERSION} in its {@code _meta.schema_version}. A
 * newer llmlog replaces the templates at start; indices that exist keep the mapping they were
 * created with, so older days stay searchable (a field they lack matches nothing), are merged,
 * archived and restored like any other, and nothing is ever re-indexed. New fields are mapped from
 * the next day on. An older llmlog that finds a newer version on the engine refuses to start,
 * naming both versions: putting its templates back would map the next day without the newer fields.
 *
 * <p><b>Other owners.</b> Before installing anything, start-up also refuses another owner's
 * template that would take llmlog's indices ({@link TemplateConflicts}), naming it and both fixes.
 *
 * <p>History: 1, the templates before the version was written (they have no {@code
 * schema_version}); 2, the version in {@code _meta}, the structured messages, span, operation and
 * cache-creation fields of calls, the {@code llm-spans-*} family of steps and a configurable
 * priority ({@code engine.template_priority}); 3, the evaluators' and reviews' fields of quality
 * records ({@code evaluator}, {@code label}, {@code explanation}, {@code queue}, {@code
 * evaluated_at}) with the call's {@code model}, {@code provider}, {@code service}, {@code
 * environment} and {@code user_id} copied onto them, and the quality state's index (review leases,
 * checkpoints of scoring runs); 4, text analysed with overlapping pairs of Chinese and Japanese
 * characters ({@code llmlog_text}) and the long texts of calls and steps (prompts, system prompts,
 * responses, the inputs, outputs, tool arguments and results of steps) without positions ({@code
 * match_only_text}, where the engine takes it). Days of version 3 and before keep one token per Han
 * character with positions; KQL's translation finds a word on both. Bump {@link #VERSION} with
 * every change to a template.
 */
public final class IndexSchema {
  /** The schema version of the templates this llmlog installs. */
  public static final int VERSION = 4;

  /** The version of a template without one: what llmlog wrote before versions were written. */
  public static final int UNVERSIONED = 1;

  private static final Logger LOG = LogManager.getLogger(IndexSchema.class);

  private final EngineClient client;
  private final EngineAnswers answers;
  private final IndexTemplates templates;
  private final String prefix;
  private final int priority;

  IndexSchema(
      EngineClient client,
      EngineAnswers answers,
      IndexTemplates templates,
      String prefix,
      int priority) {
    this.client = client;
    this.answers = answers;
    this.templates = templates;
    this.prefix = prefix;
    this.priority = priority;
  }

  /**
   * Every template llmlog installs, by name, in the order of installation: one per family, the
   * alerting index's and the quality state's.
   *
   * @param matchOnlyText whether the long texts go without positions ({@link
   *     IndexTemplates#takesMatchOnlyText})
   */
  Map<String, ObjectNode> all(boolean matchOnlyText) {
    Map<String, ObjectNode> all = new LinkedHashMap<>();
    for (IndexFamily family : IndexFamily.values()) {
      all.put(
          templates.name(family),
          switch (family) {
            case LOGS -> templates.logs(matchOnlyText);
            case SPANS -> templates.spans(matchOnlyText);
            case QUALITY -> templates.quality();
            case DEAD_LETTERS -> templates.deadLetters();
            case ALERTS -> templates.alerts();
            case ROLLUPS -> templates.rollups();
          });
    }
    all.put(prefix + "llmlog-alerting", templates.alerting(prefix + "llmlog-alerting"));
    all.put(prefix + QualityState.INDEX, templates.qualityState(prefix + QualityState.INDEX));
    return all;
  }

  /**
   * Installs or replaces every template, unless the engine holds a newer schema version or another
   * owner's template would take llmlog's indices; either refusal installs nothing.
   *
   * @throws SchemaVersionException when a newer llmlog installed its templates on this engine
   * @throws EngineRefusedException naming a conflicting template, or credentials the engine refuses
   * @param distribution the engine's ({@code opensearch}, {@code elasticsearch}), as {@code GET /}
   *     names it
   * @param version the engine's version number, which decides what the templates may hold
   * @throws EngineUnavailableException when the engine cannot list or take the templates for now
   */
  void install(String distribution, String version) {
    Map<String, ObjectNode> all = all(IndexTemplates.takesMatchOnlyText(distribution, version));
    JsonNode existing = existing();
    Map<String, Integer> installed = versions(existing, all.keySet());
    for (Map.Entry<String, Integer> template : installed.entrySet()) {
      if (template.getValue() > VERSION) {
        throw new SchemaVersionException(
            "the search engine holds llmlog's index template "
                + template.getKey()
                + " of schema version "
                + template.getValue()
                + ", written by a newer llmlog; this llmlog writes version "
                + VERSION
                + " and does not downgrade it. "
                + "Run the newer llmlog on this data, or point this one at another data directory (--data-dir) or cluster (--engine-url).");
      }
    }
    List<TemplateConflicts.Conflict> conflicts = TemplateConflicts.find(existing, all, priority);
    if (!conflicts.isEmpty()) {
      throw EngineRefusals.conflict(conflicts, priority, client.nodes());
    }
    int oldest = installed.values().stream().mapToInt(Integer::intValue).min().orElse(VERSION);
    if (oldest < VERSION) {
      LOG.info(
          "upgrading llmlog's index templates from schema version {} to {}; existing indices keep their mapping",
          oldest,
          VERSION);
    }
    all.forEach(this::put);
  }

  /**
   * Every composable template on the engine, llmlog's and other owners' ({@code GET
   * _index_template}).
   */
  private JsonNode existing() {
    EngineResponse response = client.send("GET", "/_index_template", null);
    if (response.status() == 401 || response.status() == 403) {
      throw EngineRefusals.credentials(response, client.nodes());
    }
    if (response.status() == 404) {
      return MissingNode.getInstance(); // no template at all
    }
    return answers.tree(answers.ok(response, "listing the index templates"));
  }

  /** The schema version of each of these templates that is on the engine. */
  static Map<String, Integer> versions(JsonNode existing, Collection<String> names) {
    Map<String, Integer> versions = new LinkedHashMap<>();
    for (JsonNode template : existing.path("index_templates")) {
      String name = template.path("name").asText();
      if (names.contains(name)) {
        versions.put(
            name,
            template
                .path("index_template")
                .path("_meta")
                .path("schema_version")
                .asInt(UNVERSIONED));
      }
    }
    return versions;
  }

  private void put(String name, ObjectNode template) {
    EngineResponse response =
        client.send("PUT", "/_index_template/" + name, answers.bytes(template));
    if (EngineRefusals.permanent(response.status())) {
      throw EngineRefusals.template(
          name,
          template.path("index_patterns").path(0).asText(),
          response,
          client.nodes(),
          answers);
    }
    if (!response.ok()) {
      throw new EngineUnavailableException(
          "the search engine refused index template " + name + ": " + answers.reason(response),
          null);
    }
    LOG.debug("installed index template {}", name);
  }
}

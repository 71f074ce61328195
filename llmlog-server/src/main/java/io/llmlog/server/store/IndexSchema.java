package io.llmlog.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * llmlog's index templates on the engine, installed at every start, and their schema version.
 *
 * <p><b>Upgrades.</b> Each template carries {@link #VERSION} in its {@code _meta.schema_version}. A
 * newer llmlog replaces the templates at start; indices that exist keep the mapping they were created
 * with, so older days stay searchable (a field they lack matches nothing), are merged, archived and
 * restored like any other, and nothing is ever re-indexed. New fields are mapped from the next day
 * on. An older llmlog that finds a newer version on the engine refuses to start, naming both versions:
 * putting its templates back would map the next day without the newer fields.
 *
 * <p>History: 1, the templates before the version was written (they have no {@code schema_version});
 * 2, the version in {@code _meta}. Bump {@link #VERSION} with every change to a template.
 */
public final class IndexSchema {
  /** The schema version of the templates this llmlog installs. */
  public static final int VERSION = 2;
  /** The version of a template without one: what llmlog wrote before versions were written. */
  public static final int UNVERSIONED = 1;

  private static final Logger LOG = LogManager.getLogger(IndexSchema.class);

  private final EngineClient client;
  private final EngineAnswers answers;
  private final IndexTemplates templates;
  private final String prefix;

  IndexSchema(EngineClient client, EngineAnswers answers, IndexTemplates templates, String prefix) {
    this.client = client;
    this.answers = answers;
    this.templates = templates;
    this.prefix = prefix;
  }

  /** Every template llmlog installs, by name. */
  private Map<String, ObjectNode> all() {
    Map<String, ObjectNode> all = new LinkedHashMap<>();
    all.put(templates.name(IndexFamily.LOGS), templates.logs());
    all.put(templates.name(IndexFamily.QUALITY), templates.quality());
    all.put(templates.name(IndexFamily.DEAD_LETTERS), templates.deadLetters());
    all.put(templates.name(IndexFamily.ALERTS), templates.alerts());
    all.put(templates.name(IndexFamily.ROLLUPS), templates.rollups());
    all.put(prefix + "llmlog-alerting", templates.alerting(prefix + "llmlog-alerting"));
    return all;
  }

  /**
   * Installs or replaces every template, unless the engine holds a newer schema version.
   *
   * @throws SchemaVersionException when a newer llmlog installed its templates on this engine
   * @throws EngineUnavailableException when the engine refuses a template
   */
  void install() {
    Map<String, ObjectNode> all = all();
    Map<String, Integer> installed = installed(all.keySet());
    for (Map.Entry<String, Integer> template : installed.entrySet()) {
      if (template.getValue() > VERSION) {
        throw new SchemaVersionException("the search engine holds llmlog's index template " + template.getKey() + " of schema version "
            + template.getValue() + ", written by a newer llmlog; this llmlog writes version " + VERSION + " and does not downgrade it. "
            + "Run the newer llmlog on this data, or point this one at another data directory (--data-dir) or cluster (--engine-url).");
      }
    }
    int oldest = installed.values().stream().mapToInt(Integer::intValue).min().orElse(VERSION);
    if (oldest < VERSION) {
      LOG.info("upgrading llmlog's index templates from schema version {} to {}; existing indices keep their mapping", oldest, VERSION);
    }
    all.forEach(this::put);
  }

  /** The schema version of each of these templates that is on the engine. */
  Map<String, Integer> installed(java.util.Collection<String> names) {
    EngineResponse response = client.send("GET", "/_index_template/" + prefix + "llmlog-*", null);
    Map<String, Integer> versions = new LinkedHashMap<>();
    if (response.status() == 404) {
      return versions;
    }
    for (JsonNode template : answers.tree(answers.ok(response, "listing llmlog's index templates")).path("index_templates")) {
      String name = template.path("name").asText();
      if (names.contains(name)) {
        versions.put(name, template.path("index_template").path("_meta").path("schema_version").asInt(UNVERSIONED));
      }
    }
    return versions;
  }

  private void put(String name, ObjectNode template) {
    EngineResponse response = client.send("PUT", "/_index_template/" + name, answers.bytes(template));
    if (!response.ok()) {
      throw new EngineUnavailableException("the search engine refused index template " + name + ": " + answers.reason(response), null);
    }
    LOG.debug("installed index template {}", name);
  }
}

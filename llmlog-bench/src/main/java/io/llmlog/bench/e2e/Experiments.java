package io.llmlog.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Variations of llmlog's installed {@code llm-logs-*} template, each under its own index pattern
 * ({@code exp-<name>-llm-logs-*}), filled with the documents llmlog stores (after its default
 * pipeline) by a direct {@code _bulk}: what one mapping or setting changes, measured on the same
 * documents in the same run. Names can be combined with {@code +} ({@code best_compression+sort}).
 */
final class Experiments {
  static final List<String> TEXT_FIELDS = List.of("prompt", "system_prompt", "response");

  static final Map<String, Consumer<ObjectNode>> CHANGES = new LinkedHashMap<>();

  static {
    CHANGES.put("as_installed", template -> {});
    CHANGES.put("lz4", template -> indexSettings(template).put("codec", "default"));
    CHANGES.put(
        "best_compression", template -> indexSettings(template).put("codec", "best_compression"));
    CHANGES.put(
        "sort",
        template ->
            indexSettings(template).put("sort.field", "timestamp").put("sort.order", "desc"));
    CHANGES.put(
        "no_norms",
        template -> TEXT_FIELDS.forEach(field -> property(template, field).put("norms", false)));
    CHANGES.put(
        "match_only_text",
        template ->
            TEXT_FIELDS.forEach(
                field -> {
                  ObjectNode mapping = property(template, field);
                  mapping.removeAll();
                  mapping.put("type", "match_only_text");
                }));
    // Numbers searchable from their doc values only (no points): range filters scan instead of
    // seek.
    CHANGES.put(
        "numbers_dv_only",
        template -> {
          ObjectNode properties =
              (ObjectNode) template.path("template").path("mappings").path("properties");
          properties
              .properties()
              .forEach(
                  field -> {
                    String type = field.getValue().path("type").asText();
                    if (type.equals("integer") || type.equals("float") || type.equals("double")) {
                      ((ObjectNode) field.getValue()).put("index", false);
                    }
                  });
        });
    // For the record only: without positions a CJK word (a phrase of characters) cannot be
    // searched.
    CHANGES.put(
        "freqs_only",
        template ->
            TEXT_FIELDS.forEach(field -> property(template, field).put("index_options", "freqs")));
  }

  private Experiments() {}

  static String pattern(String name) {
    return "exp-" + name.replace('_', '-').replace('+', '-') + "-llm-logs-";
  }

  /** Installs the variation as template {@code exp-<name>}. */
  static void install(Rig rig, String name) {
    JsonNode installed =
        rig.engineRequest("GET", "/_index_template/" + Rig.LLMLOG_PREFIX + "llmlog-logs", null)
            .path("index_templates")
            .path(0)
            .path("index_template");
    ObjectNode template = installed.deepCopy();
    template.putArray("index_patterns").add(pattern(name) + "*");
    template.put("priority", 300);
    for (String part : name.split("\\+")) {
      Consumer<ObjectNode> change = CHANGES.get(part);
      if (change == null) {
        throw new IllegalArgumentException(
            "unknown experiment '" + part + "'; experiments: " + CHANGES.keySet());
      }
      change.accept(template);
    }
    rig.engineRequest(
        "PUT",
        "/_index_template/exp-" + name.replace('+', '-'),
        template.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The index of an experiment for a corpus's day. */
  static String index(String name, Corpus corpus) {
    return pattern(name) + corpus.dayName();
  }

  /** The index prefix of an experiment, for llmlog's search services on its indices. */
  static String prefix(String name) {
    return pattern(name).substring(0, pattern(name).length() - "llm-logs-".length());
  }

  /**
   * Writes stored documents (ids and sources after llmlog's pipeline) into an experiment's index.
   */
  static void load(
      Rig rig, String name, Corpus corpus, List<Corpus.Doc> stored, int batch, int concurrency) {
    List<Target.Batch> batches = new java.util.ArrayList<>();
    for (int from = 0; from < stored.size(); from += batch) {
      batches.add(
          Target.DIRECT_ID.batch(
              index(name, corpus), stored.subList(from, Math.min(stored.size(), from + batch))));
    }
    try {
      new Loader(rig.http).run(Target.DIRECT_ID, rig.engineUri(), batches, concurrency, () -> {});
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode indexSettings(ObjectNode template) {
    ObjectNode settings = (ObjectNode) template.path("template").path("settings");
    return settings.has("index") ? (ObjectNode) settings.get("index") : settings.putObject("index");
  }

  private static ObjectNode property(ObjectNode template, String field) {
    return (ObjectNode) template.path("template").path("mappings").path("properties").path(field);
  }
}

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
    CHANGES.put("as_installed", template -> { });
    CHANGES.put("lz4", template -> indexSettings(template).put("codec", "default"));
    CHANGES.put("best_compression", template -> indexSettings(template).put("codec", "best_compression"));
    CHANGES.put("sort", template -> indexSettings(template).put("sort.field", "timestamp").put("sort.order", "desc"));
    CHANGES.put("no_norms", template -> TEXT_FIELDS.forEach(field -> property(template, field).put("norms", false)));
    CHANGES.put("match_only_text", template -> TEXT_FIELDS.forEach(field -> {
      ObjectNode mapping = property(template, field);
      mapping.removeAll();
      mapping.put("type", "match_only_text");
    }));
    // For the record only: without positions a CJK word (a phrase of characters) cannot be searched.
    CHANGES.put("freqs_only", template -> TEXT_FIELDS.forEach(field -> property(template, field).put("index_options", "freqs")));
  }

  private Experiments() {}

  static String pattern(String name) {
    return "exp-" + name.replace('_', '-').replace('+', '-') + "-llm-logs-";
  }

  /** Installs the variation as template {@code exp-<name>}. */
  static void install(Rig rig, String name) {
    JsonNode installed = rig.engineRequest("GET", "/_index_template/" + Rig.LLMLOG_PREFIX + "llmlog-logs", null)
        .path("index_templates").path(0).path("index_template");
    ObjectNode template = installed.deepCopy();
    template.putArray("index_patterns").add(pattern(name) + "*");
    template.put("priority", 300);
    for (String part : name.split("\\+")) {
      Consumer<ObjectNode> change = CHANGES.get(part);
      if (change == null) {
        throw new IllegalArgumentException("unknown experiment '" + part + "'; experiments: " + CHANGES.keySet());
      }
      change.accept(template);
    }
    rig.engineRequest("PUT", "/_index_template/exp-" + name.replace('+', '-'), template.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static ObjectNode indexSettings(ObjectNode template) {
    ObjectNode settings = (ObjectNode) template.path("template").path("settings");
    return settings.has("index") ? (ObjectNode) settings.get("index") : settings.putObject("index");
  }

  private static ObjectNode property(ObjectNode template, String field) {
    return (ObjectNode) template.path("template").path("mappings").path("properties").path(field);
  }
}

package io.llmlog.core.redact;

import io.llmlog.core.NearestName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@link PiiRedactor#fromConfig}'s map. Every error names the key it is about, in the form
 * the user wrote it ({@code custom[1].pattern}), so that the server can prefix its own path.
 */
final class RedactorConfig {
  private static final Set<String> KEYS =
      Set.of("recognizers", "mode", "modes", "hmac_key", "custom", "regex_budget_per_char");
  private static final Set<String> CUSTOM_KEYS = Set.of("name", "pattern", "mode");

  private RedactorConfig() {}

  static PiiRedactor parse(Map<String, ?> config) {
    if (config == null) {
      return PiiRedactor.defaults();
    }
    checkKeys("", config, KEYS);
    PiiRedactor.Builder builder = PiiRedactor.builder();
    Object recognizers = config.get("recognizers");
    if (recognizers != null) {
      List<PiiType> types = new ArrayList<>();
      List<?> names = list("recognizers", recognizers);
      for (int k = 0; k < names.size(); k++) {
        types.add(type("recognizers[" + k + "]", names.get(k)));
      }
      builder.recognizers(types);
    }
    if (config.get("mode") != null) {
      builder.mode(mode("mode", config.get("mode")));
    }
    Object modes = config.get("modes");
    if (modes != null) {
      if (!(modes instanceof Map)) {
        throw error("modes", "must be a map of recognizer to mode, was " + describe(modes));
      }
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) modes).entrySet()) {
        String key = "modes." + entry.getKey();
        builder.mode(type(key, entry.getKey()), mode(key, entry.getValue()));
      }
    }
    Object key = config.get("hmac_key");
    if (key != null) {
      try {
        builder.hmacKey(string("hmac_key", key));
      } catch (IllegalArgumentException e) {
        throw error("hmac_key", e.getMessage());
      }
    }
    Object budget = config.get("regex_budget_per_char");
    if (budget != null) {
      if (!(budget instanceof Integer || budget instanceof Long)
          || ((Number) budget).longValue() < 1) {
        throw error(
            "regex_budget_per_char", "must be a whole number >= 1, was " + describe(budget));
      }
      builder.regexBudgetPerChar(((Number) budget).longValue());
    }
    Object custom = config.get("custom");
    if (custom != null) {
      List<?> entries = list("custom", custom);
      for (int k = 0; k < entries.size(); k++) {
        addCustom(builder, "custom[" + k + "]", entries.get(k));
      }
    }
    try {
      return builder.build();
    } catch (IllegalStateException noKey) {
      throw error("hmac_key", noKey.getMessage());
    }
  }

  private static void addCustom(PiiRedactor.Builder builder, String path, Object entry) {
    if (!(entry instanceof Map)) {
      throw error(path, "must be a map with name, pattern and mode, was " + describe(entry));
    }
    Map<?, ?> map = (Map<?, ?>) entry;
    checkKeys(path + ".", map, CUSTOM_KEYS);
    String name = string(path + ".name", required(path + ".name", map.get("name")));
    String pattern = string(path + ".pattern", required(path + ".pattern", map.get("pattern")));
    RedactionMode mode = map.get("mode") == null ? null : mode(path + ".mode", map.get("mode"));
    try {
      builder.custom(name, pattern, mode);
    } catch (IllegalArgumentException e) {
      String field = e.getMessage().startsWith("invalid pattern") ? ".pattern" : ".name";
      throw error(path + field, e.getMessage());
    }
  }

  private static void checkKeys(String prefix, Map<?, ?> map, Set<String> known) {
    for (Object key : map.keySet()) {
      if (!known.contains(String.valueOf(key))) {
        throw error(prefix + key, "unknown key" + NearestName.hint(String.valueOf(key), known));
      }
    }
  }

  private static PiiType type(String key, Object value) {
    try {
      return PiiType.fromConfigName(string(key, value));
    } catch (IllegalArgumentException e) {
      throw error(key, e.getMessage());
    }
  }

  private static RedactionMode mode(String key, Object value) {
    try {
      return RedactionMode.parse(string(key, value));
    } catch (IllegalArgumentException e) {
      throw error(key, e.getMessage());
    }
  }

  private static Object required(String key, Object value) {
    if (value == null) {
      throw error(key, "is required");
    }
    return value;
  }

  private static String string(String key, Object value) {
    if (!(value instanceof String)) {
      throw error(key, "must be a string, was " + describe(value));
    }
    return (String) value;
  }

  private static List<?> list(String key, Object value) {
    if (!(value instanceof List)) {
      throw error(key, "must be a list, was " + describe(value));
    }
    return (List<?>) value;
  }

  private static String describe(Object value) {
    return value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
  }

  private static IllegalArgumentException error(String key, String reason) {
    if (reason.startsWith(key + ": ")) {
      return new IllegalArgumentException(reason);
    }
    return new IllegalArgumentException(key + ": " + reason);
  }
}

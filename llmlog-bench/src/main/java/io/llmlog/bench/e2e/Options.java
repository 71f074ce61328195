package io.llmlog.bench.e2e;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --name value} command-line options with defaults; unknown names are refused. Every load
 * generator reads its own with it.
 */
public final class Options {
  private final Map<String, String> values = new LinkedHashMap<>();
  private final Map<String, String> defaults;

  public Options(String[] args, Map<String, String> defaults) {
    this.defaults = defaults;
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --option value, got '" + args[i] + "'");
      }
      String name = args[i].substring(2);
      if (!defaults.containsKey(name)) {
        throw new IllegalArgumentException(
            "unknown option --" + name + "; options: " + defaults.keySet());
      }
      boolean flag =
          defaults.get(name).equals("false")
              && (i + 1 == args.length || args[i + 1].startsWith("--"));
      values.put(name, flag ? "true" : args[++i]);
    }
  }

  String string(String name) {
    return values.getOrDefault(name, defaults.get(name));
  }

  public int integer(String name) {
    return Integer.parseInt(string(name).replace("_", ""));
  }

  long number(String name) {
    return Long.parseLong(string(name).replace("_", ""));
  }

  boolean flag(String name) {
    return Boolean.parseBoolean(string(name));
  }

  List<String> list(String name) {
    String value = string(name);
    return value.isBlank()
        ? List.of()
        : new ArrayList<>(Arrays.stream(value.split(",")).map(String::trim).toList());
  }

  List<Integer> integers(String name) {
    return list(name).stream().map(Integer::parseInt).toList();
  }

  /** The options as given, defaults filled in, for the report. */
  public String describe() {
    StringBuilder out = new StringBuilder();
    defaults
        .keySet()
        .forEach(name -> out.append(" --").append(name).append(' ').append(string(name)));
    return out.toString().trim();
  }
}

package io.llmlog.server.pipeline;

import java.util.ArrayList;
import java.util.List;

/**
 * Field names and {@code %{...}} references as Logstash writes them: {@code llm.prompt}, {@code
 * [llm][prompt]}, and values such as {@code "%{llm.service}"} or {@code "%{[llm][service]}-v2"}.
 */
final class FieldReference {
  private FieldReference() {}

  /**
   * A field name in either spelling as a dotted path: {@code [llm][prompt]} → {@code llm.prompt}.
   */
  static String path(String name) {
    String trimmed = name.trim();
    if (!trimmed.startsWith("[")) {
      return trimmed;
    }
    List<String> parts = new ArrayList<>();
    int i = 0;
    while (i < trimmed.length()) {
      if (trimmed.charAt(i) != '[') {
        throw new IllegalArgumentException(
            "malformed field reference '" + name + "': expected '[' at " + i);
      }
      int end = trimmed.indexOf(']', i);
      if (end < 0) {
        throw new IllegalArgumentException("malformed field reference '" + name + "': missing ']'");
      }
      parts.add(trimmed.substring(i + 1, end));
      i = end + 1;
    }
    return String.join(".", parts);
  }

  /**
   * A value with {@code %{field}} references; resolves to null when a referenced field is missing.
   */
  static final class Template {
    private final List<String> literals = new ArrayList<>();
    private final List<String> fields = new ArrayList<>();

    Template(String text) {
      int start = 0;
      while (true) {
        int open = text.indexOf("%{", start);
        if (open < 0) {
          literals.add(text.substring(start));
          return;
        }
        int close = text.indexOf('}', open);
        if (close < 0) {
          throw new IllegalArgumentException("'" + text + "' has '%{' without a closing '}'");
        }
        literals.add(text.substring(start, open));
        fields.add(path(text.substring(open + 2, close)));
        start = close + 1;
      }
    }

    /**
     * True when the template is a single reference, whose value keeps its type (a number stays a
     * number).
     */
    boolean isSingleReference() {
      return fields.size() == 1 && literals.get(0).isEmpty() && literals.get(1).isEmpty();
    }

    Object resolve(Event event) {
      if (isSingleReference()) {
        return event.get(fields.get(0));
      }
      StringBuilder out = new StringBuilder(literals.get(0));
      for (int i = 0; i < fields.size(); i++) {
        String value = event.getString(fields.get(i));
        if (value == null) {
          return null;
        }
        out.append(value).append(literals.get(i + 1));
      }
      return out.toString();
    }
  }
}

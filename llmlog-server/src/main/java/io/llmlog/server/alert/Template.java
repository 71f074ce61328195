package io.llmlog.server.alert;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A summary template in the Prometheus style: {@code {{ $value }}}, {@code {{ $threshold }}},
 * {@code {{ $calls }}}, {@code {{ $alert }}}, {@code {{ $severity }}}, {@code {{ $window }}} and
 * {@code {{ $labels.model }}}, each optionally piped to {@code percent} (0.1 → 10%) or {@code
 * round}. Checked when the rule is loaded, so a typo is an error then rather than a blank in a page
 * at 3 a.m.
 */
final class Template {
  static final List<String> VARIABLES =
      List.of("value", "threshold", "calls", "alert", "severity", "window", "labels.<name>");
  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\{\\{\\s*\\$([A-Za-z_][A-Za-z0-9_.]*)\\s*(?:\\|\\s*([A-Za-z_]+)\\s*)?}}");
  private static final Set<String> SCALARS =
      Set.of("value", "threshold", "calls", "alert", "severity", "window");
  private static final Set<String> FORMATS = Set.of("percent", "round");

  private final String text;

  private Template(String text) {
    this.text = text;
  }

  /**
   * @param labels the labels the rule's alerts carry (its own and its group_by fields)
   * @throws IllegalArgumentException naming the first bad placeholder
   */
  static Template parse(String text, Set<String> labels) {
    Matcher m = PLACEHOLDER.matcher(text);
    while (m.find()) {
      String variable = m.group(1);
      if (variable.startsWith("labels.")) {
        String label = variable.substring("labels.".length());
        if (!labels.contains(label)) {
          throw new IllegalArgumentException(
              "$"
                  + variable
                  + " is not a label of this rule (labels: "
                  + String.join(", ", new java.util.TreeSet<>(labels))
                  + ")");
        }
      } else if (!SCALARS.contains(variable)) {
        throw new IllegalArgumentException(
            "unknown variable $"
                + variable
                + " (variables: $"
                + String.join(", $", VARIABLES)
                + ")");
      }
      if (m.group(2) != null && !FORMATS.contains(m.group(2))) {
        throw new IllegalArgumentException(
            "unknown format '" + m.group(2) + "' for $" + variable + " (formats: percent, round)");
      }
    }
    int open = text.indexOf("{{");
    String stripped = PLACEHOLDER.matcher(text).replaceAll("");
    if (stripped.contains("{{") || stripped.contains("}}")) {
      throw new IllegalArgumentException(
          "a '{{ ... }}' is not a placeholder such as {{ $value }} (near column "
              + (open + 1)
              + ")");
    }
    return new Template(text);
  }

  String text() {
    return text;
  }

  String render(Map<String, Object> scalars, Map<String, String> labels) {
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String variable = m.group(1);
      Object value =
          variable.startsWith("labels.")
              ? labels.get(variable.substring("labels.".length()))
              : scalars.get(variable);
      m.appendReplacement(out, Matcher.quoteReplacement(format(value, m.group(2))));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String format(Object value, String format) {
    if (value == null) {
      return "n/a";
    }
    if (!(value instanceof Double number)) {
      return value.toString();
    }
    if (Double.isNaN(number)) {
      return "n/a";
    }
    if ("percent".equals(format)) {
      return number(number * 100) + "%";
    }
    if ("round".equals(format)) {
      return Long.toString(Math.round(number));
    }
    return number(number);
  }

  /**
   * Short and honest: whole numbers as such, large ones without decimals, small ones to 4
   * significant digits.
   */
  static String number(double value) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    if (Math.abs(value) >= 1000) {
      return Long.toString(Math.round(value));
    }
    return new BigDecimal(value).round(new MathContext(4)).stripTrailingZeros().toPlainString();
  }
}

package io.llmlog.server.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The brief's Logstash {@code mutate}: in this order, {@code rename}, {@code add_field} (only when
 * the field is not set, so a default never overwrites a sent value; a {@code %{field}} reference to
 * a missing field adds nothing), {@code replace} (always), {@code convert}, {@code lowercase},
 * {@code uppercase}, {@code remove_field}. A value that cannot be converted fails the event into
 * the dead letters rather than storing a wrong type.
 */
final class MutateFilter implements Filter {
  enum Conversion {
    INTEGER,
    FLOAT,
    STRING,
    BOOLEAN
  }

  private final Map<String, String> rename;
  private final Map<String, FieldReference.Template> addField;
  private final Map<String, FieldReference.Template> replace;
  private final Map<String, Conversion> convert;
  private final List<String> lowercase;
  private final List<String> uppercase;
  private final List<String> removeField;

  MutateFilter(
      Map<String, String> rename,
      Map<String, String> addField,
      Map<String, String> replace,
      Map<String, Conversion> convert,
      List<String> lowercase,
      List<String> uppercase,
      List<String> removeField) {
    this.rename = paths(rename);
    this.addField = templates(addField);
    this.replace = templates(replace);
    this.convert = new LinkedHashMap<>();
    convert.forEach((field, type) -> this.convert.put(FieldReference.path(field), type));
    this.lowercase = paths(lowercase);
    this.uppercase = paths(uppercase);
    this.removeField = paths(removeField);
  }

  @Override
  public String name() {
    return "mutate";
  }

  @Override
  public boolean apply(Event event) {
    rename.forEach(
        (from, to) -> {
          Object value = event.remove(from);
          if (value != null) {
            event.set(to, value);
          }
        });
    addField.forEach(
        (field, template) -> {
          if (!event.has(field)) {
            Object value = template.resolve(event);
            if (value != null) {
              event.set(field, value);
            }
          }
        });
    replace.forEach(
        (field, template) -> {
          Object value = template.resolve(event);
          if (value != null) {
            event.set(field, value);
          }
        });
    convert.forEach(
        (field, type) -> {
          Object value = event.get(field);
          if (value != null) {
            event.set(field, convert(field, value, type));
          }
        });
    lowercase.forEach(field -> changeCase(event, field, true));
    uppercase.forEach(field -> changeCase(event, field, false));
    removeField.forEach(event::remove);
    return true;
  }

  private static Object convert(String field, Object value, Conversion type) {
    String text = value.toString().trim();
    try {
      return switch (type) {
        case STRING -> value instanceof String ? value : text;
        case INTEGER ->
            value instanceof Number n
                ? Long.valueOf(n.longValue())
                : Long.valueOf((long) Double.parseDouble(text));
        case FLOAT ->
            value instanceof Number n
                ? Double.valueOf(n.doubleValue())
                : Double.valueOf(Double.parseDouble(text));
        case BOOLEAN ->
            switch (text.toLowerCase(Locale.ROOT)) {
              case "true", "yes", "1", "on" -> Boolean.TRUE;
              case "false", "no", "0", "off" -> Boolean.FALSE;
              default -> throw new NumberFormatException();
            };
      };
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "cannot convert "
              + field
              + "='"
              + abbreviate(text)
              + "' to "
              + type.name().toLowerCase(Locale.ROOT));
    }
  }

  private static void changeCase(Event event, String field, boolean lower) {
    if (event.get(field) instanceof String text) {
      event.set(field, lower ? text.toLowerCase(Locale.ROOT) : text.toUpperCase(Locale.ROOT));
    }
  }

  private static String abbreviate(String text) {
    return text.length() > 40 ? text.substring(0, 40) + "…" : text;
  }

  private static Map<String, String> paths(Map<String, String> map) {
    Map<String, String> result = new LinkedHashMap<>();
    map.forEach((from, to) -> result.put(FieldReference.path(from), FieldReference.path(to)));
    return result;
  }

  private static List<String> paths(List<String> fields) {
    List<String> result = new ArrayList<>();
    fields.forEach(field -> result.add(FieldReference.path(field)));
    return result;
  }

  private static Map<String, FieldReference.Template> templates(Map<String, String> map) {
    Map<String, FieldReference.Template> result = new LinkedHashMap<>();
    map.forEach(
        (field, value) ->
            result.put(FieldReference.path(field), new FieldReference.Template(value)));
    return result;
  }
}

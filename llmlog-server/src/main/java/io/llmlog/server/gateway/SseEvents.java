package io.llmlog.server.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a server-sent event stream into its events, as the HTML standard reads them: lines end in
 * LF, CR LF or CR; {@code event:} names the event, {@code data:} lines are joined with LF, comment
 * lines start with ':'; a blank line ends an event. An event still open at the end (a stream that
 * broke off) is left out: its data may be cut in the middle.
 */
final class SseEvents {
  /** One event; {@code end} is the offset just after its blank line, to find when it arrived. */
  record Event(String name, String data, long end) {}

  /**
   * An event whose data is a JSON object, with its type: the object's {@code type}, else the
   * event's name.
   */
  record JsonEvent(Event event, JsonNode data, String type) {}

  private SseEvents() {}

  /** The events whose data is a JSON object ({@code [DONE]} and the like are left out). */
  static List<JsonEvent> objects(ObjectMapper json, List<Event> events) {
    List<JsonEvent> objects = new ArrayList<>(events.size());
    for (Event event : events) {
      if (event.data().isEmpty() || event.data().charAt(0) != '{') {
        continue;
      }
      try {
        JsonNode data = json.readTree(event.data());
        if (data != null && data.isObject()) {
          JsonNode type = data.get("type");
          objects.add(
              new JsonEvent(
                  event,
                  data,
                  type != null && type.isTextual() ? type.asText() : String.valueOf(event.name())));
        }
      } catch (IOException notJson) {
        // Not an event the readers know; the rest of the stream still counts.
      }
    }
    return objects;
  }

  static List<Event> parse(byte[] bytes, int length) {
    List<Event> events = new ArrayList<>();
    String name = null;
    StringBuilder data = null;
    int lineStart = 0;
    int i = 0;
    while (i < length) {
      byte b = bytes[i];
      if (b != '\n' && b != '\r') {
        i++;
        continue;
      }
      int lineEnd = i;
      i++;
      if (b == '\r' && i < length && bytes[i] == '\n') {
        i++;
      }
      if (lineEnd == lineStart) {
        if (data != null) {
          events.add(new Event(name, data.toString(), i));
        }
        name = null;
        data = null;
      } else if (bytes[lineStart] != ':') {
        String line = new String(bytes, lineStart, lineEnd - lineStart, StandardCharsets.UTF_8);
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
          value = value.substring(1);
        }
        if (field.equals("event")) {
          name = value;
        } else if (field.equals("data")) {
          data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        }
      }
      lineStart = i;
    }
    return events;
  }
}

package io.llmlog.server.gateway;

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

  private SseEvents() {}

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

package io.llmlog.server.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/**
 * The brief's Logstash {@code json} filter: parses a JSON object held as text in a field ({@code
 * message}, as Filebeat ships a log line) into the event. With no target the members go to the top
 * level, never overwriting a field that is set; text that is not a JSON object is left alone, as a
 * plain log line.
 */
final class JsonFilter implements Filter {
  private final ObjectMapper mapper;
  private final String source;
  private final String target;

  JsonFilter(ObjectMapper mapper, String source, String target) {
    this.mapper = mapper;
    this.source = source;
    this.target = target;
  }

  @Override
  public String name() {
    return "json";
  }

  @Override
  public boolean apply(Event event) {
    if (!(event.get(source) instanceof String text) || !looksLikeObject(text)) {
      return true;
    }
    Map<String, Object> parsed;
    try {
      parsed = Event.cast(mapper.readValue(text, Map.class));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "field '" + source + "' holds invalid JSON: " + e.getOriginalMessage());
    }
    Event inner = new Event(parsed, event.line());
    if (target != null) {
      event.set(target, inner.fields());
    } else {
      inner
          .fields()
          .forEach(
              (key, value) -> {
                if (!event.has(key)) {
                  event.set(key, value);
                }
              });
    }
    event.remove(source);
    return true;
  }

  private static boolean looksLikeObject(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isWhitespace(c)) {
        return c == '{';
      }
    }
    return false;
  }
}

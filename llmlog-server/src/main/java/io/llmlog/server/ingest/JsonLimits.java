package io.llmlog.server.ingest;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON parser's limits in llmlog's words: which setting was broken and by how much, instead of
 * the parser's own message (which names its internal constraint classes).
 */
public final class JsonLimits {
  private static final Pattern NUMBERS = Pattern.compile("\\((\\d+)\\).*?\\((\\d+)");

  private JsonLimits() {}

  /**
   * {@code "a string of 1450 characters, more than limits.max_string_length (1024)"}, or the
   * parser's message for other limits.
   */
  public static String describe(StreamConstraintsException e) {
    String message = e.getOriginalMessage();
    Matcher numbers = NUMBERS.matcher(message);
    if (message.startsWith("String value length") && numbers.find()) {
      return "a string of "
          + numbers.group(1)
          + " characters, more than limits.max_string_length ("
          + numbers.group(2)
          + ")";
    }
    return message;
  }
}

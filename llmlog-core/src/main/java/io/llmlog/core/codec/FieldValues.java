package io.llmlog.core.codec;

import io.llmlog.core.InvalidFieldException;
import io.llmlog.core.Texts;
import io.llmlog.core.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The values of a record's fields as JSON decodes them (strings, numbers, booleans, lists, maps),
 * read into the schema's types with the same rules and messages wherever a record is read: the
 * SDK's reader ({@link LlmLogJson#read}) and the server's last check before storing. Numbers may
 * come as text ({@code "15"}), as logging pipelines often write them.
 */
public final class FieldValues {
  private FieldValues() {}

  /**
   * A finite number.
   *
   * @throws InvalidFieldException naming the field otherwise
   */
  public static double number(Object value, String field) {
    double number;
    if (value instanceof Number n) {
      number = n.doubleValue();
    } else if (value instanceof String text) {
      try {
        number = Double.parseDouble(text.trim());
      } catch (NumberFormatException e) {
        throw new InvalidFieldException(field, "must be a number, was " + Texts.quote(text));
      }
    } else {
      throw new InvalidFieldException(field, "must be a number");
    }
    if (Double.isNaN(number) || Double.isInfinite(number)) {
      throw new InvalidFieldException(field, "must be a finite number, was " + number);
    }
    return number;
  }

  /** A whole number that fits 32 bits. */
  public static int integer(Object value, String field) {
    double number = number(value, field);
    if (number != Math.rint(number) || Math.abs(number) > Integer.MAX_VALUE) {
      throw new InvalidFieldException(
          field, "must be a whole number that fits 32 bits, was " + number);
    }
    return (int) number;
  }

  /** A string, or a number or boolean as the text it was written as. */
  public static String scalar(Object value, String field) {
    if (value instanceof String text) {
      return text;
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    throw new InvalidFieldException(field, "must be a string");
  }

  /** A list of scalars (nulls skipped), or one scalar as a list of one. */
  public static List<String> strings(Object value, String field) {
    if (value instanceof List<?> items) {
      List<String> strings = new ArrayList<>(items.size());
      for (Object item : items) {
        if (item != null) {
          strings.add(scalar(item, field));
        }
      }
      return strings;
    }
    return List.of(scalar(value, field));
  }

  /** An ISO-8601 timestamp, or seconds, milliseconds or microseconds since the epoch. */
  public static Instant instant(Object value, String field) {
    if (value instanceof Number number) {
      return Timestamps.fromEpoch(number.doubleValue());
    }
    if (value instanceof String text) {
      return Timestamps.parse(text);
    }
    throw new InvalidFieldException(field, "must be an ISO-8601 timestamp or epoch number");
  }
}

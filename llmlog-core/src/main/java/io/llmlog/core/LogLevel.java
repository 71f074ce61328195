package io.llmlog.core;

import java.util.Locale;

/** The brief's log level: {@code info}, {@code warning} or {@code error}. */
public enum LogLevel {
  INFO("info"),
  WARNING("warning"),
  ERROR("error");

  private final String value;

  LogLevel(String value) {
    this.value = value;
  }

  /** The lower-case name written to JSON, as the brief's {@code entry.level.value}. */
  public String value() {
    return value;
  }

  /**
   * Parses a level as applications spell it: case-insensitive, with {@code warn} and {@code err}
   * (common logger spellings) accepted.
   *
   * @throws InvalidFieldException naming {@code level} when the text is not a level
   */
  public static LogLevel parse(String text) {
    if (text != null) {
      switch (text.trim().toLowerCase(Locale.ROOT)) {
        case "info":
          return INFO;
        case "warning":
        case "warn":
          return WARNING;
        case "error":
        case "err":
          return ERROR;
        default:
          break;
      }
    }
    throw new InvalidFieldException(
        LogField.LEVEL.jsonName(), "must be info, warning or error, was " + Texts.quote(text));
  }
}

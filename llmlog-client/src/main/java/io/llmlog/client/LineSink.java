package io.llmlog.client;

import io.llmlog.core.LogLevel;

/**
 * Where {@link LlmLogger} writes its JSON log lines (the brief's format for call records, one line
 * each). It is called on the reporter's thread, one line at a time, never on the caller's.
 *
 * <p>By default lines go to SLF4J, at the record's level on a logger named after the service, when
 * the application has an SLF4J binding; else to standard output. Either way existing Filebeat or
 * Logstash setups that read the application's log keep working.
 */
@FunctionalInterface
public interface LineSink {
  /** Writes one line; {@code line} has no line terminator. */
  void write(String line);

  /**
   * Writes the line of a record logged at {@code level}; sinks with levels of their own (SLF4J) use
   * it, so that a failed call's line is an ERROR. By default the same as {@link #write(String)}.
   */
  default void write(String line, LogLevel level) {
    write(line);
  }

  /** Called after each batch of lines; flushes buffered output. */
  default void flush() {}

  /**
   * Standard output, as UTF-8 bytes whatever the platform's console encoding, so that Chinese and
   * other non-ASCII text is written unescaped and intact. {@link System#out} is looked up on every
   * batch, so {@link System#setOut} takes effect.
   */
  static LineSink stdout() {
    return StdoutLineSink.INSTANCE;
  }

  /**
   * SLF4J at INFO on the logger named {@code loggerName}.
   *
   * @throws IllegalStateException when slf4j-api is not on the class path
   */
  static LineSink slf4j(String loggerName) {
    if (!Slf4jSupport.apiPresent()) {
      throw new IllegalStateException("slf4j-api is not on the class path");
    }
    return Slf4jLineSink.create(loggerName);
  }

  /** SLF4J when the application has a real SLF4J binding, else standard output. */
  static LineSink forService(String service) {
    return Slf4jSupport.bound() ? Slf4jLineSink.create(service) : stdout();
  }
}

package io.llmlog.client;

import io.llmlog.core.LogLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Lines on an SLF4J logger, at each record's level. Loaded only when slf4j-api is present. */
final class Slf4jLineSink implements LineSink {
  private final Logger logger;

  private Slf4jLineSink(Logger logger) {
    this.logger = logger;
  }

  static LineSink create(String loggerName) {
    return new Slf4jLineSink(LoggerFactory.getLogger(loggerName));
  }

  @Override
  public void write(String line) {
    // info(String), not info(format, args): a prompt containing "{}" must come out as written.
    logger.info(line);
  }

  @Override
  public void write(String line, LogLevel level) {
    switch (level) {
      case ERROR -> logger.error(line);
      case WARNING -> logger.warn(line);
      default -> logger.info(line);
    }
  }

  @Override
  public String toString() {
    return "slf4j:" + logger.getName();
  }
}

package io.llmlog.client;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Lines at INFO on an SLF4J logger. Loaded only when slf4j-api is present. */
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
  public String toString() {
    return "slf4j:" + logger.getName();
  }
}

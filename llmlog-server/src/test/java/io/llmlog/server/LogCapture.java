package io.llmlog.server;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;

/**
 * Everything the server logs while it is open (messages and stack traces), for tests that check
 * what a log must never hold.
 */
public final class LogCapture implements AutoCloseable {
  private static final AtomicInteger NAMES = new AtomicInteger();

  private final StringBuffer text = new StringBuffer();
  private final AbstractAppender appender;

  private LogCapture() {
    this.appender =
        new AbstractAppender(
            "test-capture-" + NAMES.incrementAndGet(), null, null, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent event) {
            text.append(event.getLevel())
                .append(' ')
                .append(event.getLoggerName())
                .append(": ")
                .append(event.getMessage().getFormattedMessage())
                .append('\n');
            if (event.getThrown() != null) {
              StringWriter trace = new StringWriter();
              event.getThrown().printStackTrace(new PrintWriter(trace));
              text.append(trace);
            }
          }
        };
  }

  /**
   * Starts capturing what reaches the root logger (every logger of the server passes its events
   * up).
   */
  public static LogCapture start() {
    LogCapture capture = new LogCapture();
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    capture.appender.start();
    config.getRootLogger().addAppender(capture.appender, Level.ALL, null);
    context.updateLoggers();
    return capture;
  }

  /** What was logged so far. */
  public String text() {
    return text.toString();
  }

  @Override
  public void close() {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    config.getRootLogger().removeAppender(appender.getName());
    context.updateLoggers();
    appender.stop();
  }
}

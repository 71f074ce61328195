package io.llmlog.server.quality;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * The log lines of the test JVM while it is started (the quality capability's down to debug), as
 * the server formats them.
 */
final class LogCapture extends AbstractAppender implements AutoCloseable {
  private final List<String> messages = new CopyOnWriteArrayList<>();

  LogCapture() {
    super("quality-it-capture", null, null, true, Property.EMPTY_ARRAY);
  }

  void attach() {
    super.start();
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    context
        .getConfiguration()
        .getRootLogger()
        .addAppender(this, org.apache.logging.log4j.Level.ALL, null);
    context.updateLoggers();
    // The quality capability's own lines at every level, the rest of the JVM's at their usual
    // level.
    org.apache.logging.log4j.core.config.Configurator.setLevel(
        "io.llmlog.server.quality", org.apache.logging.log4j.Level.DEBUG);
  }

  @Override
  public void append(LogEvent event) {
    messages.add(
        event.getLoggerName()
            + " "
            + event.getMessage().getFormattedMessage()
            + (event.getThrown() == null ? "" : " " + event.getThrown()));
  }

  List<String> messages() {
    return List.copyOf(messages);
  }

  @Override
  public void close() {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    context.getConfiguration().getRootLogger().removeAppender(getName());
    context.updateLoggers();
    stop();
  }
}

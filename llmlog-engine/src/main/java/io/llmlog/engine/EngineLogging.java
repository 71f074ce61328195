package io.llmlog.engine;

import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.DefaultConfiguration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;

/**
 * Sets up log4j2, which OpenSearch logs through, without taking over a host application's logging.
 *
 * <ul>
 *   <li>If log4j2 runs on its built-in default (no log4j2 configuration file, nothing set
 *       programmatically), llmlog installs a small configuration: one console appender on stderr
 *       with a compact pattern, root at WARN, {@code io.llmlog} at INFO and {@code org.opensearch}
 *       at the engine level.
 *   <li>If the host configured log4j2, its configuration stays; only a logger for {@code
 *       org.opensearch} is added at the engine level, and only when the host has not configured
 *       that logger itself.
 *   <li>If log4j-api is bound to something else than log4j-core, nothing is touched.
 * </ul>
 *
 * OpenSearch's own {@code LogConfigurator} is deliberately not used: {@code configureWithoutConfig}
 * initialises log4j2 with an empty configuration, which would stop a host's log4j2.xml from ever
 * being read, and {@code configure} reads log4j2.properties files and writes log files.
 */
final class EngineLogging {
  static final String CONFIGURATION_NAME = "llmlog-engine";
  static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%c{1.}] %msg%n";
  static final String ENGINE_LOGGER = "org.opensearch";
  static final String LLMLOG_LOGGER = "io.llmlog";

  /**
   * Loggers that warn on every start about a choice llmlog made on purpose: dangling-index
   * auto-import is off (the OpenSearch default; a single node has no other copy to import from
   * anyway).
   */
  static final List<String> QUIET_LOGGERS = List.of("org.opensearch.gateway.DanglingIndicesState");

  /**
   * Lucene warns through java.util.logging, on every start, that the vector incubator module is not
   * enabled; llmlog does no vector search. Held here because JUL keeps loggers weakly.
   */
  private static final java.util.logging.Logger LUCENE_VECTORIZATION =
      java.util.logging.Logger.getLogger(
          "org.apache.lucene.internal.vectorization.VectorizationProvider");

  private EngineLogging() {}

  static synchronized void configure(String engineLevel) {
    Level level = Level.toLevel(engineLevel, Level.WARN);
    if (LUCENE_VECTORIZATION.getLevel() == null && !wantsDetail(level)) {
      LUCENE_VECTORIZATION.setLevel(java.util.logging.Level.SEVERE);
    }
    if (LogManager.getContext(false) instanceof LoggerContext context) {
      apply(context, level);
    }
  }

  static void apply(LoggerContext context, Level level) {
    Configuration current = context.getConfiguration();
    if (current instanceof DefaultConfiguration) {
      context.setConfiguration(llmlogConfiguration(level));
    } else if (CONFIGURATION_NAME.equals(current.getName())) {
      // Installed by an earlier engine in this JVM: only the engine level may differ.
      current.getLoggerConfig(ENGINE_LOGGER).setLevel(level);
      QUIET_LOGGERS.forEach(name -> current.getLoggerConfig(name).setLevel(quietLevel(level)));
      context.updateLoggers();
    } else {
      addIfAbsent(current, ENGINE_LOGGER, level);
      QUIET_LOGGERS.forEach(name -> addIfAbsent(current, name, quietLevel(level)));
      context.updateLoggers();
    }
  }

  private static void addIfAbsent(Configuration config, String name, Level level) {
    if (!config.getLoggers().containsKey(name)) {
      config.addLogger(
          name,
          LoggerConfig.newBuilder()
              .withLoggerName(name)
              .withLevel(level)
              .withAdditivity(true)
              .withConfig(config)
              .build());
    }
  }

  /**
   * The quiet loggers stay at ERROR unless the engine level asks for detail (INFO or finer) or for
   * less.
   */
  static Level quietLevel(Level engineLevel) {
    if (wantsDetail(engineLevel) || engineLevel.isMoreSpecificThan(Level.ERROR)) {
      return engineLevel;
    }
    return Level.ERROR;
  }

  private static boolean wantsDetail(Level engineLevel) {
    return engineLevel.isLessSpecificThan(Level.INFO);
  }

  static BuiltConfiguration llmlogConfiguration(Level engineLevel) {
    ConfigurationBuilder<BuiltConfiguration> builder =
        ConfigurationBuilderFactory.newConfigurationBuilder();
    builder.setConfigurationName(CONFIGURATION_NAME);
    builder.setStatusLevel(Level.ERROR);
    builder.add(
        builder
            .newAppender("stderr", "Console")
            .addAttribute("target", ConsoleAppender.Target.SYSTEM_ERR)
            .add(builder.newLayout("PatternLayout").addAttribute("pattern", PATTERN)));
    builder.add(builder.newRootLogger(Level.WARN).add(builder.newAppenderRef("stderr")));
    builder.add(builder.newLogger(LLMLOG_LOGGER, Level.INFO));
    builder.add(builder.newLogger(ENGINE_LOGGER, engineLevel));
    QUIET_LOGGERS.forEach(name -> builder.add(builder.newLogger(name, quietLevel(engineLevel))));
    return builder.build(false);
  }
}

package io.llmlog.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.DefaultConfiguration;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;
import org.junit.jupiter.api.Test;

class EngineLoggingTest {

  @Test
  void llmlogConfiguration_warnEngineLevel_engineAtWarnLlmlogAtInfoOnStderr() {
    Configuration config = EngineLogging.llmlogConfiguration(Level.WARN);
    config.initialize();

    assertThat(config.getName()).isEqualTo(EngineLogging.CONFIGURATION_NAME);
    assertThat(config.getRootLogger().getLevel()).isEqualTo(Level.WARN);
    assertThat(config.getLoggerConfig("org.opensearch.node.Node").getLevel()).isEqualTo(Level.WARN);
    assertThat(config.getLoggerConfig("io.llmlog.server.Main").getLevel()).isEqualTo(Level.INFO);
    assertThat(config.getLoggerConfig("org.opensearch.gateway.DanglingIndicesState").getLevel())
        .isEqualTo(Level.ERROR);
    config.start();
    try {
      assertThat(config.getAppenders().values())
          .singleElement()
          .isInstanceOfSatisfying(
              ConsoleAppender.class,
              a -> assertThat(a.getTarget()).isEqualTo(ConsoleAppender.Target.SYSTEM_ERR));
    } finally {
      config.stop();
    }
  }

  @Test
  void apply_log4jOnItsDefault_installsLlmlogConfiguration() {
    LoggerContext context = new LoggerContext("apply-default");
    context.setConfiguration(new DefaultConfiguration());
    try {
      EngineLogging.apply(context, Level.WARN);

      assertThat(context.getConfiguration().getName()).isEqualTo(EngineLogging.CONFIGURATION_NAME);
      assertThat(context.getLogger("org.opensearch.node.Node").getLevel()).isEqualTo(Level.WARN);
      assertThat(context.getLogger("io.llmlog.server.Main").getLevel()).isEqualTo(Level.INFO);
    } finally {
      context.stop();
    }
  }

  @Test
  void apply_hostConfiguredLog4j_keepsHostConfigurationAndAddsOnlyEngineLoggers() {
    LoggerContext context = new LoggerContext("apply-host");
    context.setConfiguration(hostConfiguration(null));
    try {
      EngineLogging.apply(context, Level.WARN);

      Configuration config = context.getConfiguration();
      assertThat(config.getName()).isEqualTo("host");
      assertThat(config.getRootLogger().getLevel()).isEqualTo(Level.INFO);
      assertThat(config.getAppenders()).containsOnlyKeys("host-out");
      assertThat(config.getLoggers())
          .containsOnlyKeys(
              "", "com.example", "org.opensearch", "org.opensearch.gateway.DanglingIndicesState");
      assertThat(context.getLogger("org.opensearch.node.Node").getLevel()).isEqualTo(Level.WARN);
      assertThat(context.getLogger("com.example.App").getLevel()).isEqualTo(Level.DEBUG);
    } finally {
      context.stop();
    }
  }

  @Test
  void apply_hostConfiguredEngineLogger_keepsHostLevel() {
    LoggerContext context = new LoggerContext("apply-host-engine");
    context.setConfiguration(hostConfiguration(Level.DEBUG));
    try {
      EngineLogging.apply(context, Level.WARN);

      assertThat(context.getLogger("org.opensearch.node.Node").getLevel()).isEqualTo(Level.DEBUG);
    } finally {
      context.stop();
    }
  }

  @Test
  void apply_calledAgainWithAnotherLevel_updatesEngineLevel() {
    LoggerContext context = new LoggerContext("apply-twice");
    context.setConfiguration(new DefaultConfiguration());
    try {
      EngineLogging.apply(context, Level.WARN);
      EngineLogging.apply(context, Level.INFO);

      assertThat(context.getLogger("org.opensearch.node.Node").getLevel()).isEqualTo(Level.INFO);
      assertThat(context.getLogger("org.opensearch.gateway.DanglingIndicesState").getLevel())
          .isEqualTo(Level.INFO);
    } finally {
      context.stop();
    }
  }

  /** What a host application's log4j2.xml amounts to: its own appender, root and loggers. */
  private static Configuration hostConfiguration(Level engineLevel) {
    ConfigurationBuilder<BuiltConfiguration> builder =
        ConfigurationBuilderFactory.newConfigurationBuilder();
    builder.setConfigurationName("host");
    builder.add(
        builder
            .newAppender("host-out", "Console")
            .add(builder.newLayout("PatternLayout").addAttribute("pattern", "%m%n")));
    builder.add(builder.newRootLogger(Level.INFO).add(builder.newAppenderRef("host-out")));
    builder.add(builder.newLogger("com.example", Level.DEBUG));
    if (engineLevel != null) {
      builder.add(builder.newLogger("org.opensearch", engineLevel));
    }
    return builder.build(false);
  }

  @Test
  void quietLevel_warn_isError() {
    assertThat(EngineLogging.quietLevel(Level.WARN)).isEqualTo(Level.ERROR);
  }

  @Test
  void quietLevel_infoOrFiner_followsEngineLevel() {
    assertThat(EngineLogging.quietLevel(Level.INFO)).isEqualTo(Level.INFO);
    assertThat(EngineLogging.quietLevel(Level.DEBUG)).isEqualTo(Level.DEBUG);
  }

  @Test
  void quietLevel_stricterThanError_followsEngineLevel() {
    assertThat(EngineLogging.quietLevel(Level.OFF)).isEqualTo(Level.OFF);
    assertThat(EngineLogging.quietLevel(Level.ERROR)).isEqualTo(Level.ERROR);
  }
}

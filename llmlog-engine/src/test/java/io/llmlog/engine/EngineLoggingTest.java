package io.llmlog.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.config.Configuration;
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
    assertThat(config.getLoggerConfig("org.opensearch.gateway.DanglingIndicesState").getLevel()).isEqualTo(Level.ERROR);
    config.start();
    try {
      assertThat(config.getAppenders().values()).singleElement()
          .isInstanceOfSatisfying(ConsoleAppender.class, a -> assertThat(a.getTarget()).isEqualTo(ConsoleAppender.Target.SYSTEM_ERR));
    } finally {
      config.stop();
    }
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

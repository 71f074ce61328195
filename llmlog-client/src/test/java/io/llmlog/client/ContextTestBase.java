package io.llmlog.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

/**
 * A logger that ships to a fake sender, closed after each test, which must leave no context behind
 * on its thread.
 */
abstract class ContextTestBase {
  static final Duration WAIT = Duration.ofSeconds(10);

  final FakeSender shipped = new FakeSender();
  LlmLogger logger;

  @AfterEach
  void close() {
    if (logger != null) {
      logger.close();
    }
    assertThat(LlmLogContext.current()).isEqualTo(LlmLogContext.Values.EMPTY);
  }

  LlmLogger logger(LlmLogger.Builder builder) {
    builder.sender = shipped;
    logger = builder.noLines().shutdownHook(false).build();
    return logger;
  }
}

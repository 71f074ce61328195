package io.llmlog.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.llmlog.client.DropReason;
import io.llmlog.client.LlmLogger;
import io.llmlog.client.ReporterMetrics;
import io.llmlog.core.testing.FakeOpenAi;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * llmlog down for the whole test: every model call succeeds, and what was not shipped is counted.
 */
class LlmlogDownIT {
  @Test
  void calls_llmlogUnreachable_allSucceedAndTheDropsAreCounted() throws Exception {
    int deadPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      deadPort = socket.getLocalPort(); // closed again: nothing listens there
    }
    try (FakeOpenAi openAi = FakeOpenAi.start().streamDelays(Duration.ZERO, Duration.ZERO)) {
      LlmLogger logger =
          LlmLogger.builder("down-it")
              .noLines()
              .shutdownHook(false)
              .endpoint(URI.create("http://127.0.0.1:" + deadPort))
              .build();
      LlmlogChatModelListener listener = new LlmlogChatModelListener(logger);
      ChatModel chat =
          OpenAiChatModel.builder()
              .baseUrl(openAi.v1().toString())
              .apiKey("sk-test")
              .modelName("gpt-4o-mini")
              .maxRetries(0)
              .listeners(List.of(listener))
              .build();
      StreamingChatModel streaming =
          LlmlogStreamingChatModel.timed(
              OpenAiStreamingChatModel.builder()
                  .baseUrl(openAi.v1().toString())
                  .apiKey("sk-test")
                  .modelName("gpt-4o-mini")
                  .listeners(List.of(listener))
                  .build());

      for (int i = 0; i < 20; i++) {
        assertThat(chat.chat("question " + i)).isEqualTo("Echo: question " + i);
      }
      for (int i = 0; i < 5; i++) {
        StreamedAnswer answer = new StreamedAnswer();
        streaming.chat("stream " + i, answer);
        assertThat(answer.await().aiMessage().text()).isEqualTo("Echo: stream " + i);
      }
      logger.close(Duration.ofSeconds(2));

      ReporterMetrics metrics = logger.shippingMetrics();
      assertThat(metrics.logged()).isEqualTo(25);
      assertThat(metrics.delivered()).isZero();
      assertThat(metrics.dropped() + metrics.unknown()).isEqualTo(25);
      assertThat(
              metrics.dropped(DropReason.SEND_FAILED)
                  + metrics.dropped(DropReason.SHUTDOWN)
                  + metrics.unknown())
          .isEqualTo(25);
      assertThat(logger.integrationFailures()).isZero();
    }
  }
}

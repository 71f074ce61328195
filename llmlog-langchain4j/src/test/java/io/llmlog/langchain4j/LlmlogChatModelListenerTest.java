package io.llmlog.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.llmlog.client.LlmLogger;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LlmlogChatModelListenerTest {
  final LlmLogger logger = LlmLogger.builder("listener-test").noLines().shutdownHook(false).build();
  final LlmlogChatModelListener listener = new LlmlogChatModelListener(logger);
  final ChatRequest request =
      ChatRequest.builder().messages(UserMessage.from("hi")).modelName("gpt-4o-mini").build();

  @Test
  void onRequest_failureInside_isCountedAndNeverThrown() {
    Map<Object, Object> unmodifiable = Map.of(); // put() throws inside the listener

    assertThatCode(
            () ->
                listener.onRequest(
                    new ChatModelRequestContext(request, ModelProvider.OPEN_AI, unmodifiable)))
        .doesNotThrowAnyException();

    assertThat(logger.integrationFailures()).isEqualTo(1);
  }

  @Test
  void onResponseOrError_withoutAStartedCall_doNothing() {
    Map<Object, Object> attributes = new HashMap<>();
    ChatResponse response = ChatResponse.builder().aiMessage(AiMessage.from("hello")).build();

    listener.onResponse(
        new ChatModelResponseContext(response, request, ModelProvider.OPEN_AI, attributes));
    listener.onError(
        new ChatModelErrorContext(
            new IllegalStateException("boom"), request, ModelProvider.OPEN_AI, attributes));

    assertThat(logger.integrationFailures()).isZero();
    assertThat(logger.callsEndedTwice()).isZero();
  }
}

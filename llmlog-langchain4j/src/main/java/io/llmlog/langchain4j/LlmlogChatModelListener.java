package io.llmlog.langchain4j;

import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import dev.langchain4j.model.output.TokenUsage;
import io.llmlog.client.LlmCall;
import io.llmlog.client.LlmLogger;
import java.util.List;
import java.util.Objects;

/**
 * Logs every chat call of a LangChain4j model to llmlog: model, provider, parameters, the messages
 * (system, user, assistant, tool calls and results), the response, token usage, finish reason,
 * latency, and failures at level {@code error}. Attach it on the model's builder:
 *
 * <pre>{@code
 * ChatModel model = OpenAiChatModel.builder()
 *     .apiKey(key).modelName("gpt-4o-mini")
 *     .listeners(List.of(new LlmlogChatModelListener(logger)))
 *     .build();
 * }</pre>
 *
 * <p>LangChain4j's Spring Boot starters attach every {@code ChatModelListener} bean to the models
 * they build; llmlog's Spring Boot starter declares this listener as one.
 *
 * <p>Streaming models are logged the same way; for their time to first token, wrap them with {@link
 * LlmlogStreamingChatModel#timed}, since a listener does not see the partial responses.
 *
 * <p>Never in the way: the listener only times the call and queues its record; it never throws into
 * the model call, and a failure of its own is counted ({@link LlmLogger#integrationFailures()}) and
 * logged once.
 */
public final class LlmlogChatModelListener implements ChatModelListener {
  static final String INTEGRATION = "LangChain4j";

  /**
   * The key of the call in the listener attributes; an object of ours, so no other listener can
   * clash with it.
   */
  private static final Object CALL = new Object();

  private final LlmLogger logger;

  public LlmlogChatModelListener(LlmLogger logger) {
    this.logger = Objects.requireNonNull(logger, "logger");
  }

  @Override
  public void onRequest(ChatModelRequestContext context) {
    try {
      ChatRequestParameters parameters = context.chatRequest().parameters();
      LlmCall call =
          logger
              .startCall(parameters.modelName(), null)
              .operation("chat")
              .provider(LangChain4jMessages.provider(context.modelProvider()))
              .temperature(parameters.temperature())
              .topP(parameters.topP())
              .maxTokens(parameters.maxOutputTokens())
              .inputMessages(LangChain4jMessages.of(context.chatRequest().messages()));
      context.attributes().put(CALL, call);
      if (context.attributes().get(StreamTiming.KEY) instanceof StreamTiming timing) {
        timing.start(call);
      }
    } catch (RuntimeException | LinkageError e) {
      logger.integrationFailed(INTEGRATION, e);
    }
  }

  @Override
  public void onResponse(ChatModelResponseContext context) {
    try {
      if (!(context.attributes().get(CALL) instanceof LlmCall call)) {
        return; // onRequest failed, already counted
      }
      ChatResponse response = context.chatResponse();
      ChatResponseMetadata metadata = response.metadata();
      String finishReason = LangChain4jMessages.finishReason(metadata.finishReason());
      if (context.chatRequest().parameters().modelName() == null) {
        call.model(metadata.modelName());
      }
      TokenUsage usage = metadata.tokenUsage();
      if (usage != null) {
        Integer[] details = UsageDetails.of(usage);
        call.usage(usage.inputTokenCount(), usage.outputTokenCount(), details[0], details[1]);
      }
      call.outputMessages(
              List.of(LangChain4jMessages.assistant(response.aiMessage(), finishReason)))
          .stopReason(finishReason)
          .end();
    } catch (RuntimeException | LinkageError e) {
      logger.integrationFailed(INTEGRATION, e);
    }
  }

  @Override
  public void onError(ChatModelErrorContext context) {
    try {
      if (context.attributes().get(CALL) instanceof LlmCall call) {
        call.fail(context.error());
      }
    } catch (RuntimeException | LinkageError e) {
      logger.integrationFailed(INTEGRATION, e);
    }
  }

  @Override
  public String toString() {
    return "LlmlogChatModelListener{" + logger.service() + "}";
  }
}

package io.llmlog.spring.ai;

import io.llmlog.client.LlmCall;
import io.llmlog.client.LlmLogger;
import io.llmlog.core.message.ChatMessage;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.prompt.ChatOptions;

/**
 * Logs every Spring AI chat call to llmlog from its observation. {@link
 * ChatModelObservationContext} holds the prompt and the response, so the messages (system, user,
 * assistant, tool calls and results), the response, the token usage and the finish reason are
 * logged even though Spring AI's own spans leave the content out. Blocking and streaming calls
 * alike; for the time to first token of streams, see {@link LlmlogChatModels#timed}.
 *
 * <p>Register it on the {@code ObservationRegistry} the chat models use ({@code
 * registry.observationConfig().observationHandler(new LlmlogChatObservationHandler(logger))});
 * llmlog's Spring Boot starter does.
 *
 * <p>Never in the way: it only times the call and queues its record, on the thread the observation
 * runs on; a failure of its own is counted ({@link LlmLogger#integrationFailures()}) and logged
 * once.
 */
public final class LlmlogChatObservationHandler
    implements ObservationHandler<ChatModelObservationContext> {
  static final String INTEGRATION = "Spring AI";

  private final LlmLogger logger;

  public LlmlogChatObservationHandler(LlmLogger logger) {
    this.logger = Objects.requireNonNull(logger, "logger");
  }

  @Override
  public boolean supportsContext(Observation.Context context) {
    return context instanceof ChatModelObservationContext;
  }

  @Override
  public void onStart(ChatModelObservationContext context) {
    try {
      ChatOptions options = context.getRequest().getOptions();
      LlmCall call =
          logger
              .startCall(options == null ? null : options.getModel(), null)
              .operation(context.getOperationMetadata().operationType())
              .provider(context.getOperationMetadata().provider())
              .inputMessages(SpringAiMessages.of(context.getRequest().getInstructions()));
      if (options != null) {
        call.temperature(options.getTemperature())
            .topP(options.getTopP())
            .maxTokens(options.getMaxTokens());
      }
      context.put(LlmCall.class, call);
      StreamTiming.claim(call);
    } catch (RuntimeException | LinkageError e) {
      logger.integrationFailed(INTEGRATION, e);
    }
  }

  @Override
  public void onStop(ChatModelObservationContext context) {
    try {
      LlmCall call = context.get(LlmCall.class);
      if (call == null) {
        return; // onStart failed, already counted
      }
      Spans.describe(context, call);
      if (context.getError() != null) {
        call.fail(context.getError());
        return;
      }
      ChatResponse response = context.getResponse();
      if (response != null) {
        describe(
            call,
            response,
            context.getRequest().getOptions() == null
                || context.getRequest().getOptions().getModel() == null);
      }
      call.end();
    } catch (RuntimeException | LinkageError e) {
      logger.integrationFailed(INTEGRATION, e);
    }
  }

  private static void describe(LlmCall call, ChatResponse response, boolean modelUnknown) {
    List<ChatMessage> output = new ArrayList<>(response.getResults().size());
    String stopReason = null;
    for (Generation generation : response.getResults()) {
      String reason = SpringAiMessages.finishReason(generation.getMetadata().getFinishReason());
      stopReason = stopReason != null ? stopReason : reason;
      output.add(SpringAiMessages.assistant(generation.getOutput(), reason));
    }
    call.outputMessages(output).stopReason(stopReason);
    ChatResponseMetadata metadata = response.getMetadata();
    if (metadata != null) {
      if (modelUnknown && metadata.getModel() != null && !metadata.getModel().isEmpty()) {
        call.model(metadata.getModel());
      }
      Usage usage = metadata.getUsage();
      if (reported(usage)) {
        call.usage(usage.getPromptTokens(), usage.getCompletionTokens(), null, null);
      }
    }
  }

  /** Spring AI reports "no usage" as zeros ({@code EmptyUsage}); those are not counts. */
  static boolean reported(Usage usage) {
    return usage != null && usage.getTotalTokens() != null && usage.getTotalTokens() > 0;
  }

  @Override
  public String toString() {
    return "LlmlogChatObservationHandler{" + logger.service() + "}";
  }
}

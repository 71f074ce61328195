package io.llmlog.spring.ai;

import io.llmlog.client.LlmCall;
import io.llmlog.client.LlmLogger;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import java.util.Objects;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.embedding.observation.EmbeddingModelObservationContext;

/**
 * Logs every Spring AI embedding call to llmlog from its observation, as a call with operation
 * {@code embeddings}: the model, the texts (as the prompt, one per line), input tokens, latency and
 * failures.
 */
public final class LlmlogEmbeddingObservationHandler
    implements ObservationHandler<EmbeddingModelObservationContext> {
  private final LlmLogger logger;

  public LlmlogEmbeddingObservationHandler(LlmLogger logger) {
    this.logger = Objects.requireNonNull(logger, "logger");
  }

  @Override
  public boolean supportsContext(Observation.Context context) {
    return context instanceof EmbeddingModelObservationContext;
  }

  @Override
  public void onStart(EmbeddingModelObservationContext context) {
    try {
      EmbeddingOptions options = context.getRequest().getOptions();
      LlmCall call =
          logger
              .startCall(
                  options == null ? null : options.getModel(),
                  String.join("\n", context.getRequest().getInstructions()))
              // OpenTelemetry's name, as LangChain4j's calls and OTLP ingest write it; Spring AI
              // says "embedding".
              .operation("embeddings")
              .provider(context.getOperationMetadata().provider());
      context.put(LlmCall.class, call);
    } catch (RuntimeException | LinkageError e) {
      logger.integrationFailed(LlmlogChatObservationHandler.INTEGRATION, e);
    }
  }

  @Override
  public void onStop(EmbeddingModelObservationContext context) {
    try {
      LlmCall call = context.get(LlmCall.class);
      if (call == null) {
        return;
      }
      Spans.describe(context, call);
      if (context.getError() != null) {
        call.fail(context.getError());
        return;
      }
      EmbeddingResponse response = context.getResponse();
      if (response != null && response.getMetadata() != null) {
        EmbeddingOptions options = context.getRequest().getOptions();
        if ((options == null || options.getModel() == null)
            && response.getMetadata().getModel() != null) {
          call.model(response.getMetadata().getModel());
        }
        if (LlmlogChatObservationHandler.reported(response.getMetadata().getUsage())) {
          call.usage(response.getMetadata().getUsage().getPromptTokens(), null, null, null);
        }
      }
      call.end();
    } catch (RuntimeException | LinkageError e) {
      logger.integrationFailed(LlmlogChatObservationHandler.INTEGRATION, e);
    }
  }
}

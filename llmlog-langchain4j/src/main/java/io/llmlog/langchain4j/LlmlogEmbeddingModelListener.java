package io.llmlog.langchain4j;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.listener.EmbeddingModelErrorContext;
import dev.langchain4j.model.embedding.listener.EmbeddingModelListener;
import dev.langchain4j.model.embedding.listener.EmbeddingModelRequestContext;
import dev.langchain4j.model.embedding.listener.EmbeddingModelResponseContext;
import dev.langchain4j.model.output.TokenUsage;
import io.llmlog.client.LlmCall;
import io.llmlog.client.LlmLogger;
import java.util.List;
import java.util.Objects;

/**
 * Logs every call of a LangChain4j embedding model to llmlog, as a call with operation {@code
 * embeddings}: the model, the texts embedded (as the prompt, one per line), input tokens, latency
 * and failures. Attach it on the model's builder with {@code .listeners(List.of(new
 * LlmlogEmbeddingModelListener(logger)))}.
 */
public final class LlmlogEmbeddingModelListener implements EmbeddingModelListener {
  private static final Object CALL = new Object();

  private final LlmLogger logger;

  public LlmlogEmbeddingModelListener(LlmLogger logger) {
    this.logger = Objects.requireNonNull(logger, "logger");
  }

  @Override
  public void onRequest(EmbeddingModelRequestContext context) {
    try {
      LlmCall call =
          logger
              .startCall(context.embeddingModel().modelName(), texts(context.textSegments()))
              .operation("embeddings")
              .provider(LangChain4jMessages.provider(context.modelProvider()));
      context.attributes().put(CALL, call);
    } catch (RuntimeException | LinkageError e) {
      logger.integrationFailed(LlmlogChatModelListener.INTEGRATION, e);
    }
  }

  @Override
  public void onResponse(EmbeddingModelResponseContext context) {
    try {
      if (context.attributes().get(CALL) instanceof LlmCall call) {
        TokenUsage usage = context.response() == null ? null : context.response().tokenUsage();
        call.usage(usage == null ? null : usage.inputTokenCount(), null, null, null).end();
      }
    } catch (RuntimeException | LinkageError e) {
      logger.integrationFailed(LlmlogChatModelListener.INTEGRATION, e);
    }
  }

  @Override
  public void onError(EmbeddingModelErrorContext context) {
    try {
      if (context.attributes().get(CALL) instanceof LlmCall call) {
        call.fail(context.error());
      }
    } catch (RuntimeException | LinkageError e) {
      logger.integrationFailed(LlmlogChatModelListener.INTEGRATION, e);
    }
  }

  private static String texts(List<TextSegment> segments) {
    if (segments == null || segments.isEmpty()) {
      return null;
    }
    StringBuilder text = new StringBuilder();
    for (TextSegment segment : segments) {
      if (text.length() > 0) {
        text.append('\n');
      }
      text.append(segment.text());
    }
    return text.toString();
  }
}

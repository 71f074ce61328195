package io.llmlog.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A streaming model that gives its {@link LlmlogChatModelListener} the time to first token.
 *
 * <p>A {@code ChatModelListener} sees the request and the complete response, never the partial
 * ones. This decorator wraps the application's handler; the first partial response (text, thinking
 * or a tool call) marks the call's first token. The mark travels to the listener in the call's
 * listener attributes ({@code ChatRequestOptions}), so any number of concurrent streams stay apart.
 *
 * <pre>{@code
 * StreamingChatModel model = LlmlogStreamingChatModel.timed(OpenAiStreamingChatModel.builder()
 *     .apiKey(key).modelName("gpt-4o-mini")
 *     .listeners(List.of(new LlmlogChatModelListener(logger)))
 *     .build());
 * }</pre>
 *
 * Everything else is the wrapped model's: its listeners, parameters, provider and capabilities.
 */
public final class LlmlogStreamingChatModel implements StreamingChatModel {
  private final StreamingChatModel delegate;

  private LlmlogStreamingChatModel(StreamingChatModel delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** {@code model}, timing the first partial response of each call for its listeners. */
  public static StreamingChatModel timed(StreamingChatModel model) {
    return model instanceof LlmlogStreamingChatModel ? model : new LlmlogStreamingChatModel(model);
  }

  @Override
  public void chat(
      ChatRequest request, ChatRequestOptions options, StreamingChatResponseHandler handler) {
    StreamTiming timing = new StreamTiming();
    Map<Object, Object> attributes =
        new HashMap<>(options == null ? Map.of() : options.listenerAttributes());
    attributes.put(StreamTiming.KEY, timing);
    delegate.chat(
        request,
        ChatRequestOptions.builder().listenerAttributes(attributes).build(),
        new TimedHandler(handler, timing));
  }

  @Override
  public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
    delegate.doChat(request, handler);
  }

  @Override
  public ChatRequestParameters defaultRequestParameters() {
    return delegate.defaultRequestParameters();
  }

  @Override
  public List<ChatModelListener> listeners() {
    return delegate.listeners();
  }

  @Override
  public ModelProvider provider() {
    return delegate.provider();
  }

  @Override
  public Set<Capability> supportedCapabilities() {
    return delegate.supportedCapabilities();
  }

  @Override
  public String toString() {
    return "LlmlogStreamingChatModel{" + delegate + "}";
  }

  /** The application's handler, with the first partial response marked on the way through. */
  private static final class TimedHandler implements StreamingChatResponseHandler {
    private final StreamingChatResponseHandler handler;
    private final StreamTiming timing;

    TimedHandler(StreamingChatResponseHandler handler, StreamTiming timing) {
      this.handler = handler;
      this.timing = timing;
    }

    @Override
    public void onPartialResponse(String partialResponse) {
      timing.partial();
      handler.onPartialResponse(partialResponse);
    }

    @Override
    public void onPartialResponse(PartialResponse partialResponse, PartialResponseContext context) {
      timing.partial();
      handler.onPartialResponse(partialResponse, context);
    }

    @Override
    public void onPartialThinking(PartialThinking partialThinking) {
      timing.partial();
      handler.onPartialThinking(partialThinking);
    }

    @Override
    public void onPartialThinking(PartialThinking partialThinking, PartialThinkingContext context) {
      timing.partial();
      handler.onPartialThinking(partialThinking, context);
    }

    @Override
    public void onPartialToolCall(PartialToolCall partialToolCall) {
      timing.partial();
      handler.onPartialToolCall(partialToolCall);
    }

    @Override
    public void onPartialToolCall(PartialToolCall partialToolCall, PartialToolCallContext context) {
      timing.partial();
      handler.onPartialToolCall(partialToolCall, context);
    }

    @Override
    public void onCompleteToolCall(CompleteToolCall completeToolCall) {
      handler.onCompleteToolCall(completeToolCall);
    }

    @Override
    public void onUnmappedRawEvent(Object rawEvent) {
      handler.onUnmappedRawEvent(rawEvent);
    }

    @Override
    public void onCompleteResponse(ChatResponse completeResponse) {
      handler.onCompleteResponse(completeResponse);
    }

    @Override
    public void onError(Throwable error) {
      handler.onError(error);
    }
  }
}

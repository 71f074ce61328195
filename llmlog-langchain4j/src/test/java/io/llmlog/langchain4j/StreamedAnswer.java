package io.llmlog.langchain4j;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A streaming handler that keeps the partial responses and completes with the whole answer. */
final class StreamedAnswer implements StreamingChatResponseHandler {
  private final StringBuilder partials = new StringBuilder();
  private final CompletableFuture<ChatResponse> done = new CompletableFuture<>();

  @Override
  public void onPartialResponse(String partial) {
    synchronized (partials) {
      partials.append(partial);
    }
  }

  @Override
  public void onCompleteResponse(ChatResponse response) {
    done.complete(response);
  }

  @Override
  public void onError(Throwable error) {
    done.completeExceptionally(error);
  }

  /** The complete response, once the stream ended; the stream's error when it failed. */
  ChatResponse await() throws InterruptedException, ExecutionException, TimeoutException {
    return done.get(30, TimeUnit.SECONDS);
  }

  String partials() {
    synchronized (partials) {
      return partials.toString();
    }
  }
}

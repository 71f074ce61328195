package io.llmlog.langchain4j;

import io.llmlog.client.LlmCall;

/**
 * Carries the first partial response of one streamed call from {@link LlmlogStreamingChatModel}'s
 * handler to the call the listener started. It travels in the call's listener attributes, so it
 * needs no thread-local: the partial responses arrive on the HTTP client's threads.
 */
final class StreamTiming {
  static final Object KEY = new Object();

  private volatile LlmCall call;
  private volatile boolean first = true;

  void start(LlmCall call) {
    this.call = call;
  }

  /** Marks the first token of the call, once; the call ignores later marks anyway. */
  void partial() {
    if (first) {
      first = false;
      LlmCall started = call;
      if (started != null) {
        started.firstToken();
      }
    }
  }
}

package io.llmlog.spring.ai;

import io.llmlog.client.LlmCall;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

/**
 * The first element of a {@code stream()} marks its call's first token.
 *
 * <p>Spring AI starts a stream's observation when the stream is subscribed, synchronously, on the
 * subscribing thread. The timed stream puts a mark in a thread-local around exactly that
 * subscription; the handler's {@code onStart}, running inside it, claims the mark for its call; the
 * first element then marks the call's first token, on whichever thread it arrives.
 */
final class StreamTiming {
  private static final ThreadLocal<StreamTiming> SUBSCRIBING = new ThreadLocal<>();

  private volatile LlmCall call;
  private volatile boolean first = true;

  private StreamTiming() {}

  static <T> Flux<T> timed(Flux<T> stream) {
    return Flux.defer(
        () -> {
          StreamTiming timing = new StreamTiming();
          Flux<T> marked = stream.doOnNext(item -> timing.element());
          Publisher<T> subscribing =
              subscriber -> {
                SUBSCRIBING.set(timing);
                try {
                  marked.subscribe(subscriber);
                } finally {
                  SUBSCRIBING.remove();
                }
              };
          return Flux.from(subscribing);
        });
  }

  /**
   * Called by the handler when an observation starts: the call of the stream being subscribed, if
   * any.
   */
  static void claim(LlmCall call) {
    StreamTiming timing = SUBSCRIBING.get();
    if (timing != null) {
      SUBSCRIBING.remove(); // an observation started further in belongs to another call
      timing.call = call;
    }
  }

  private void element() {
    if (first) {
      first = false;
      LlmCall started = call;
      if (started != null) {
        started.firstToken();
      }
    }
  }
}

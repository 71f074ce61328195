package io.llmlog.spring.ai;

import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisor;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisorChain;
import org.springframework.core.Ordered;
import reactor.core.publisher.Flux;

/**
 * Gives {@link LlmlogChatObservationHandler} the time to first token of streams made through a
 * {@code ChatClient}: the first response of the advised stream marks its call's first token. Add it
 * with {@code ChatClient.builder(model).defaultAdvisors(new LlmlogStreamTimingAdvisor())}; llmlog's
 * Spring Boot starter adds it to the auto-configured {@code ChatClient.Builder}.
 *
 * <p>It works where {@link LlmlogChatModels#timed} cannot: Spring AI 2's models are final classes,
 * which no proxy of their class can time.
 */
public final class LlmlogStreamTimingAdvisor implements StreamAdvisor {
  @Override
  public Flux<ChatClientResponse> adviseStream(
      ChatClientRequest request, StreamAdvisorChain chain) {
    return StreamTiming.timed(chain.nextStream(request));
  }

  @Override
  public String getName() {
    return "llmlog-stream-timing";
  }

  /** Outermost: the first token is when the application gets it. */
  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }
}

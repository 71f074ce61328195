package io.llmlog.spring.ai;

import java.lang.reflect.Modifier;
import org.aopalliance.intercept.MethodInterceptor;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.ProxyFactory;
import reactor.core.publisher.Flux;

/**
 * Gives {@link LlmlogChatObservationHandler} the time to first token of streamed calls.
 *
 * <p>Spring AI's observation of {@code stream()} sees the prompt and the aggregated response but
 * not the first chunk. {@link #timed} returns the same model behind a proxy of its own class (so it
 * can still be injected as, say, {@code OpenAiChatModel}) whose {@code stream} methods mark the
 * first element; everything else goes straight to the model. llmlog's Spring Boot starter applies
 * it to every {@code ChatModel} bean.
 *
 * <p>A model of a final class (Spring AI 2's are) cannot be proxied by class and is returned as it
 * is: its streams made through a {@code ChatClient} are timed by {@link LlmlogStreamTimingAdvisor}.
 */
public final class LlmlogChatModels {
  private static final MethodInterceptor STREAMS =
      invocation -> {
        Object result = invocation.proceed();
        return invocation.getMethod().getName().equals("stream") && result instanceof Flux<?> stream
            ? StreamTiming.timed(stream)
            : result;
      };

  private LlmlogChatModels() {}

  /** {@code model}, its streams timed; a model already timed is returned as it is. */
  public static ChatModel timed(ChatModel model) {
    if (model instanceof Advised advised) {
      for (var advisor : advised.getAdvisors()) {
        if (advisor.getAdvice() == STREAMS) {
          return model;
        }
      }
      if (!advised.isFrozen()) {
        advised.addAdvice(STREAMS);
        return model;
      }
    }
    if (Modifier.isFinal(model.getClass().getModifiers())) {
      return model;
    }
    ProxyFactory factory = new ProxyFactory(model);
    factory.setProxyTargetClass(true);
    factory.addAdvice(STREAMS);
    return (ChatModel) factory.getProxy(model.getClass().getClassLoader());
  }
}

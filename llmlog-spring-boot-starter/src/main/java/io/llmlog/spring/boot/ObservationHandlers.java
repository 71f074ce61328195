package io.llmlog.spring.boot;

import io.llmlog.client.LlmLogger;
import io.llmlog.spring.ai.LlmlogChatObservationHandler;
import io.llmlog.spring.ai.LlmlogEmbeddingObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Adds llmlog's Spring AI handlers to every {@link ObservationRegistry} bean. The handlers are not
 * beans themselves: Boot adds every {@code ObservationHandler} bean to the registry it makes, and a
 * registry made elsewhere would miss them; this way each registry gets them exactly once.
 */
final class ObservationHandlers implements BeanPostProcessor {
  private final ObjectProvider<LlmLogger> logger;

  ObservationHandlers(ObjectProvider<LlmLogger> logger) {
    this.logger = logger;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    // Not isNoop(): a registry without handlers yet (the one llmlog makes) counts as a no-op.
    if (bean instanceof ObservationRegistry registry && registry != ObservationRegistry.NOOP) {
      LlmLogger llmLogger = logger.getIfAvailable();
      if (llmLogger != null) {
        registry
            .observationConfig()
            .observationHandler(new LlmlogChatObservationHandler(llmLogger))
            .observationHandler(new LlmlogEmbeddingObservationHandler(llmLogger));
      }
    }
    return bean;
  }
}

package io.llmlog.spring.boot;

import io.llmlog.spring.ai.LlmlogChatModels;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Times the streams of every {@link ChatModel} bean, for the time to first token ({@link
 * LlmlogChatModels#timed}).
 */
final class StreamTimingPostProcessor implements BeanPostProcessor {
  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    return bean instanceof ChatModel model ? LlmlogChatModels.timed(model) : bean;
  }
}

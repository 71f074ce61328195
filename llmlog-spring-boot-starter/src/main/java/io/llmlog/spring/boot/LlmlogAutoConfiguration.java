package io.llmlog.spring.boot;

import io.llmlog.client.LlmLogger;
import io.llmlog.client.Redactor;
import io.llmlog.client.Sampler;
import io.llmlog.client.TraceSource;
import io.llmlog.core.sample.SamplingPolicy;
import io.llmlog.langchain4j.LlmlogChatModelListener;
import io.llmlog.langchain4j.LlmlogEmbeddingModelListener;
import io.llmlog.spring.ai.LlmlogStreamTimingAdvisor;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Logs every Spring AI and LangChain4j model call to llmlog: an {@link LlmLogger} from the {@code
 * llmlog.*} properties, Spring AI's chat and embedding observations turned into records,
 * LangChain4j's listeners declared as beans (its Spring Boot starters attach them to the models
 * they build), and the SDK's counters as Micrometer meters. {@code llmlog.enabled=false} turns it
 * all off.
 *
 * <p>Ordered after Boot's observation auto-configuration (Boot 3 and Boot 4 name it differently),
 * so that the registry it makes is the one llmlog's handlers join; without one, llmlog provides a
 * registry of its own, since Spring AI does not observe at all without one.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration",
      "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.tracing.MicrometerTracingAutoConfiguration",
      "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration"
    })
@ConditionalOnProperty(
    prefix = "llmlog",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
@EnableConfigurationProperties(LlmlogProperties.class)
public class LlmlogAutoConfiguration {
  static final String DEFAULT_SERVICE = "application";

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  LlmLogger llmLogger(
      LlmlogProperties properties,
      Environment environment,
      ObjectProvider<TraceSource> traceSources) {
    return LoggerFactory.create(
        properties,
        environment.getProperty("spring.application.name", DEFAULT_SERVICE),
        traceSources.orderedStream().toList());
  }

  /** Spring AI: its observations hold each call's prompt and response. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(
      name = {
        "org.springframework.ai.chat.observation.ChatModelObservationContext",
        "io.micrometer.observation.ObservationRegistry"
      })
  static class SpringAi {
    @Bean
    @ConditionalOnMissingBean(ObservationRegistry.class)
    ObservationRegistry llmlogObservationRegistry() {
      return ObservationRegistry.create();
    }

    @Bean
    static ObservationHandlers llmlogObservationHandlers(ObjectProvider<LlmLogger> logger) {
      return new ObservationHandlers(logger);
    }

    @Bean
    static StreamTimingPostProcessor llmlogStreamTiming() {
      return new StreamTimingPostProcessor();
    }
  }

  /** Streams made through a ChatClient: timed by an advisor on the auto-configured builder. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(
      name = {
        "org.springframework.ai.chat.client.ChatClientCustomizer",
        "org.springframework.ai.chat.observation.ChatModelObservationContext"
      })
  static class SpringAiChatClient {
    @Bean
    org.springframework.ai.chat.client.ChatClientCustomizer llmlogStreamTimingCustomizer() {
      return builder -> builder.defaultAdvisors(new LlmlogStreamTimingAdvisor());
    }
  }

  /**
   * LangChain4j: listener beans, which its Spring Boot starters attach to the models they build.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "dev.langchain4j.model.chat.listener.ChatModelListener")
  static class LangChain4j {
    @Bean
    @ConditionalOnMissingBean
    LlmlogChatModelListener llmlogChatModelListener(LlmLogger logger) {
      return new LlmlogChatModelListener(logger);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnClass(name = "dev.langchain4j.model.embedding.listener.EmbeddingModelListener")
    LlmlogEmbeddingModelListener llmlogEmbeddingModelListener(LlmLogger logger) {
      return new LlmlogEmbeddingModelListener(logger);
    }
  }

  /** The SDK's counters as meters, when the application has a meter registry. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
  static class Metrics {
    @Bean
    MeterBinder llmlogMeters(LlmLogger logger) {
      return new LlmlogMeters(logger);
    }
  }

  /** Micrometer Tracing's current span as the trace of calls made outside an observation. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.micrometer.tracing.Tracer")
  static class Tracing {
    @Bean
    @ConditionalOnBean(type = "io.micrometer.tracing.Tracer")
    TraceSource llmlogMicrometerTraceSource(ObjectProvider<io.micrometer.tracing.Tracer> tracer) {
      return new MicrometerTraceSource(tracer);
    }
  }

  /** Builds the logger from the properties. */
  static final class LoggerFactory {
    private LoggerFactory() {}

    static LlmLogger create(
        LlmlogProperties properties,
        String applicationName,
        java.util.List<TraceSource> traceSources) {
      String service =
          properties.getService() != null && !properties.getService().isBlank()
              ? properties.getService()
              : applicationName;
      LlmLogger.Builder builder =
          LlmLogger.builder(service)
              .environment(properties.getEnvironment())
              .queuedMaxRecords(properties.getQueue().getMaxRecords())
              .queuedMaxBytes(properties.getQueue().getMaxBytes().toBytes())
              .mdcKeys(
                  properties.getContext().getMdcSessionKey(),
                  properties.getContext().getMdcUserKey())
              // Spring closes the logger with the context, on its own shutdown hook.
              .shutdownHook(false);
      if (properties.getEndpoint() != null) {
        builder.endpoint(properties.getEndpoint()).apiKey(properties.getApiKey());
      }
      boolean lines =
          properties.getLines().getEnabled() != null
              ? properties.getLines().getEnabled()
              : properties.getEndpoint() == null;
      if (!lines) {
        builder.noLines();
      }
      if (properties.getRedaction().isClientSide()) {
        builder.redactor(Redactor.pii());
      } else if (!properties.getLines().isRedact()) {
        builder.redactor(Redactor.NONE);
      }
      LlmlogProperties.Sampling sampling = properties.getSampling();
      if (sampling.getRate() < 1
          || !sampling.isKeepErrors()
          || sampling.getLatencyThreshold() != null) {
        Double threshold =
            sampling.getLatencyThreshold() == null
                ? null
                : (double) sampling.getLatencyThreshold().toMillis();
        builder.sampler(
            Sampler.of(new SamplingPolicy(sampling.getRate(), threshold, sampling.isKeepErrors())));
      }
      if (properties.getCloseTimeout() != null) {
        builder.closeTimeout(properties.getCloseTimeout());
      }
      if (properties.getSummaryInterval() != null) {
        builder.summaryEvery(properties.getSummaryInterval());
      }
      traceSources.forEach(builder::traceSource);
      return builder.build();
    }
  }
}

package io.llmlog.bench.integrations;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import io.llmlog.client.DropReason;
import io.llmlog.client.LlmLogger;
import io.llmlog.client.ReporterMetrics;
import io.llmlog.core.testing.FakeOpenAi;
import io.llmlog.langchain4j.LlmlogChatModelListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What llmlog's LangChain4j listener adds to a chat call on the caller's thread.
 *
 * <ul>
 *   <li>{@code chat_plain} and {@code chat_logged}: the same blocking {@code OpenAiChatModel.chat}
 *       against a local OpenAI-compatible server ({@link FakeOpenAi}, over loopback HTTP), without
 *       and with {@link LlmlogChatModelListener}. The logger ships to a local receiver that accepts
 *       every batch, so its reporter thread does its real work (encode, gzip, HTTP) beside the
 *       calls. The difference of the two distributions is the listener's cost plus that background
 *       work competing for the same 2 cores.
 *   <li>{@code listener_only}: the listener's two callbacks for one call ({@code onRequest} and
 *       {@code onResponse}, with the contexts LangChain4j builds for them) on a realistic request
 *       (system prompt, 2 KB user message) and response: the caller's-thread cost alone, without
 *       the network noise of a model call. Between calls the thread waits 200 µs, untimed, as an
 *       application thread waits for its model: unpaced, one thread would hand over records far
 *       faster than any reporter ships them, fill the queue, and measure the garbage collector
 *       copying a full queue instead of the listener.
 * </ul>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ListenerBenchmark {
  /** The fake model server, a receiver standing in for llmlog, the logger and both models. */
  @State(Scope.Benchmark)
  public static class Models {
    FakeOpenAi openAi;
    LlmLogger logger;
    LlmlogChatModelListener listener;
    ChatModel plain;
    ChatModel logged;
    ChatRequest request;
    ChatResponse response;

    @Setup
    public void setUp() {
      openAi = FakeOpenAi.start();
      logger =
          LlmLogger.builder("bench")
              .noLines()
              .shutdownHook(false)
              .endpoint(openAi.llmlogIngest())
              .build();
      listener = new LlmlogChatModelListener(logger);
      plain = model(List.of());
      logged = model(List.of(listener));
      request = ListenerCost.request();
      response = plain.chat(request);
    }

    private ChatModel model(List<dev.langchain4j.model.chat.listener.ChatModelListener> listeners) {
      return OpenAiChatModel.builder()
          .baseUrl(openAi.v1().toString())
          .apiKey("sk-bench")
          .modelName("gpt-4o-mini")
          .maxRetries(0)
          .listeners(listeners)
          .build();
    }

    @TearDown
    public void tearDown() {
      logger.close(Duration.ofSeconds(30));
      ReporterMetrics metrics = logger.shippingMetrics();
      System.out.printf(
          "%n[llmlog] logged=%d delivered=%d dropped=%d (queue_full=%d) integration failures=%d%n",
          metrics.logged(),
          metrics.delivered(),
          metrics.dropped(),
          metrics.dropped(DropReason.QUEUE_FULL),
          logger.integrationFailures());
      openAi.close();
    }
  }

  @Benchmark
  public ChatResponse chat_plain(Models models) {
    return models.plain.chat(models.request);
  }

  @Benchmark
  public ChatResponse chat_logged(Models models) {
    return models.logged.chat(models.request);
  }

  /** 200 µs of waiting before each call, outside the measurement. */
  @State(Scope.Thread)
  public static class Pace {
    @Setup(Level.Invocation)
    public void pace() {
      LockSupport.parkNanos(200_000);
    }
  }

  @Benchmark
  public Map<Object, Object> listener_only(Models models, Pace pace) {
    Map<Object, Object> attributes = new ConcurrentHashMap<>();
    models.listener.onRequest(
        new ChatModelRequestContext(models.request, ModelProvider.OPEN_AI, attributes));
    models.listener.onResponse(
        new ChatModelResponseContext(
            models.response, models.request, ModelProvider.OPEN_AI, attributes));
    return attributes;
  }
}

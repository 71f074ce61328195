package io.llmlog.bench.integrations;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import io.llmlog.bench.e2e.Options;
import io.llmlog.client.LlmLogger;
import io.llmlog.core.testing.FakeOpenAi;
import io.llmlog.langchain4j.LlmlogChatModelListener;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code ./llmlog bench listener-cost [--calls 2000] [--callbacks 50000]}: the LangChain4j
 * listener's cost on the caller's thread, in CPU time of that thread, which a busy shared machine
 * does not inflate the way it inflates wall time (a thread waiting for a core is charged nothing).
 *
 * <p>The same blocking {@code OpenAiChatModel.chat} against a local OpenAI-compatible server,
 * without and with the listener, alternating call by call so both see the same conditions; and the
 * listener's two callbacks alone, 200 µs apart. Each is reported as percentiles of the caller's CPU
 * time and of wall time per call, and the bytes the caller's thread allocated per call (the mean;
 * JMH's {@code -prof gc} counts every thread's, the reporter's included); the listener's added cost
 * is the logged call's percentile minus the plain one's.
 */
public final class ListenerCost {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private ListenerCost() {}

  /** The options of {@code ./llmlog bench listener-cost} and their defaults. */
  public static Map<String, String> defaults() {
    Map<String, String> defaults = new LinkedHashMap<>();
    defaults.put("calls", "2000");
    defaults.put("callbacks", "50000");
    return defaults;
  }

  public static void main(String[] args) throws Exception {
    Options options = new Options(args, defaults());
    int calls = options.integer("calls");
    int callbacks = options.integer("callbacks");
    System.out.println("# llmlog bench listener-cost " + options.describe());
    try (FakeOpenAi openAi = FakeOpenAi.start()) {
      LlmLogger logger =
          LlmLogger.builder("bench")
              .noLines()
              .shutdownHook(false)
              .endpoint(openAi.llmlogIngest())
              .build();
      LlmlogChatModelListener listener = new LlmlogChatModelListener(logger);
      ChatModel plain = model(openAi, List.of());
      ChatModel logged = model(openAi, List.of(listener));
      ChatRequest request = request();
      ChatResponse response = plain.chat(request);

      Runnable callback =
          () -> {
            Map<Object, Object> attributes = new ConcurrentHashMap<>();
            listener.onRequest(
                new ChatModelRequestContext(request, ModelProvider.OPEN_AI, attributes));
            listener.onResponse(
                new ChatModelResponseContext(response, request, ModelProvider.OPEN_AI, attributes));
          };
      // Warm-up: the listener's code is compiled by the time the chats are measured (a few
      // thousand chats alone would leave it interpreted), then the chats themselves.
      for (int i = 0; i < 20_000; i++) {
        LockSupport.parkNanos(50_000);
        callback.run();
      }
      for (int i = 0; i < calls / 2; i++) {
        plain.chat(request);
        logged.chat(request);
      }
      long[][] plainTimes = new long[3][calls];
      long[][] loggedTimes = new long[3][calls];
      for (int i = 0; i < calls; i++) {
        time(() -> plain.chat(request), plainTimes, i);
        time(() -> logged.chat(request), loggedTimes, i);
      }
      long[][] callbackTimes = new long[3][callbacks];
      for (int i = 0; i < callbacks; i++) {
        // Paced as an application thread waiting for its model; unpaced, the queue would fill and
        // the numbers would be the garbage collector's, copying a full queue.
        LockSupport.parkNanos(200_000);
        time(callback, callbackTimes, i);
      }
      long[][] clock = new long[3][callbacks];
      for (int i = 0; i < callbacks; i++) {
        time(() -> {}, clock, i);
      }
      logger.close(Duration.ofSeconds(30));

      System.out.printf(
          "calls: %d each, alternating; callbacks: %d; shipped: %s; integration failures: %d%n",
          calls, callbacks, logger.shippingMetrics(), logger.integrationFailures());
      System.out.println(
          "µs per call             |   cpu p50 |   cpu p90 |   cpu p99 | cpu p99.9 |  wall p50 |  wall p99 | alloc KB");
      row("chat_plain", plainTimes);
      row("chat_logged", loggedTimes);
      rowDifference("logged - plain", loggedTimes, plainTimes);
      row("listener_only", callbackTimes);
      row("(the clocks alone)", clock);
    }
  }

  private static ChatModel model(FakeOpenAi openAi, List<ChatModelListener> listeners) {
    return OpenAiChatModel.builder()
        .baseUrl(openAi.v1().toString())
        .apiKey("sk-bench")
        .modelName("gpt-4o-mini")
        .maxRetries(0)
        .listeners(listeners)
        .build();
  }

  /** A system prompt and a 2 KB user message, as in ListenerBenchmark. */
  static ChatRequest request() {
    StringBuilder question = new StringBuilder("解释机器学习的基本概念。");
    while (question.length() < 2048) {
      question.append(
          "Explain the basic concepts of machine learning, with examples and the maths behind them. ");
    }
    return ChatRequest.builder()
        .messages(
            SystemMessage.from("You are a helpful assistant."),
            UserMessage.from(question.substring(0, 2048)))
        .modelName("gpt-4o-mini")
        .temperature(0.7)
        .build();
  }

  /**
   * CPU time, wall time and bytes allocated of one call on this thread, into {@code into[0..2][i]}.
   */
  private static void time(Runnable call, long[][] into, int i) {
    long allocated = THREADS.getCurrentThreadAllocatedBytes();
    long cpu = THREADS.getCurrentThreadCpuTime();
    long wall = System.nanoTime();
    call.run();
    into[1][i] = System.nanoTime() - wall;
    into[0][i] = THREADS.getCurrentThreadCpuTime() - cpu;
    into[2][i] = THREADS.getCurrentThreadAllocatedBytes() - allocated;
  }

  private static void row(String name, long[][] times) {
    long[] cpu = sorted(times[0]);
    long[] wall = sorted(times[1]);
    System.out.printf(
        "%-23s | %9.2f | %9.2f | %9.2f | %9.2f | %9.2f | %9.2f | %8.1f%n",
        name,
        us(cpu, 0.5),
        us(cpu, 0.9),
        us(cpu, 0.99),
        us(cpu, 0.999),
        us(wall, 0.5),
        us(wall, 0.99),
        kilobytes(times[2]));
  }

  private static void rowDifference(String name, long[][] logged, long[][] plain) {
    long[] cpuLogged = sorted(logged[0]);
    long[] cpuPlain = sorted(plain[0]);
    long[] wallLogged = sorted(logged[1]);
    long[] wallPlain = sorted(plain[1]);
    System.out.printf(
        "%-23s | %9.2f | %9.2f | %9.2f | %9.2f | %9.2f | %9.2f | %8.1f%n",
        name,
        us(cpuLogged, 0.5) - us(cpuPlain, 0.5),
        us(cpuLogged, 0.9) - us(cpuPlain, 0.9),
        us(cpuLogged, 0.99) - us(cpuPlain, 0.99),
        us(cpuLogged, 0.999) - us(cpuPlain, 0.999),
        us(wallLogged, 0.5) - us(wallPlain, 0.5),
        us(wallLogged, 0.99) - us(wallPlain, 0.99),
        kilobytes(logged[2]) - kilobytes(plain[2]));
  }

  /** The mean of the bytes allocated per call, in KB. */
  private static double kilobytes(long[] allocated) {
    return Arrays.stream(allocated).average().orElse(0) / 1024;
  }

  private static long[] sorted(long[] values) {
    long[] copy = values.clone();
    Arrays.sort(copy);
    return copy;
  }

  private static double us(long[] sorted, double quantile) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)]
        / 1000.0;
  }
}

package io.llmlog.bench.e2e;

import io.llmlog.core.testing.FakeUpstream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.io.Content;

/**
 * {@code ./llmlog bench gateway}: the logging gateway against calling the same fake upstream
 * directly, in the same run, alternating call by call so that the machine's noise falls on both
 * alike. Measures the latency the gateway adds to a call that is not streamed (p50, p99), the time
 * to the first byte of a stream, 200 streams at once, and calls per second. Every gateway call is
 * logged through the real pipeline into the embedded engine, as in production.
 */
public final class GatewayBenchmark {
  /** The options and their defaults, in the order the usage lists them. */
  public static Map<String, String> defaults() {
    Map<String, String> defaults = new LinkedHashMap<>();
    defaults.put("calls", "3000");
    defaults.put("warmup", "1000");
    defaults.put("streams", "300");
    defaults.put("concurrent-streams", "200");
    defaults.put("piece-delay-ms", "5");
    defaults.put("concurrency", "16");
    defaults.put("seconds", "10");
    defaults.put("dir", System.getProperty("java.io.tmpdir"));
    return defaults;
  }

  private static final byte[] CHAT =
      ("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\",\"content\":\"You are terse.\"},"
              + "{\"role\":\"user\",\"content\":\"How do I log every LLM call of my app?\"}]}")
          .getBytes(StandardCharsets.UTF_8);
  private static final byte[] STREAM = stream("gpt-4o-mini");

  /**
   * A stream of {@link FakeUpstream#SLOW_PIECES} pieces 20 ms apart: four seconds, so that 200 of
   * them are really at once.
   */
  private static final byte[] LONG_STREAM = stream("slow");

  private GatewayBenchmark() {}

  private static byte[] stream(String model) {
    return ("{\"model\":\""
            + model
            + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":"
            + "\"How do I log every LLM call of my app?\"}]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  public static void main(String[] args) throws Exception {
    Options options = new Options(args, defaults());
    System.out.println("gateway benchmark: " + options.describe());
    System.out.println("machine: " + Machine.describe() + "; load " + Machine.load());
    try (FakeUpstream fast = FakeUpstream.start();
        FakeUpstream paced =
            FakeUpstream.start(Duration.ofMillis(options.integer("piece-delay-ms")))) {
      Map<String, String> settings =
          Map.of("gateway.upstreams", "fast=" + fast.uri() + ",paced=" + paced.uri());
      try (Rig rig = Rig.start(Path.of(options.string("dir")), settings, false)) {
        HttpClient client = new HttpClient();
        client.setMaxConnectionsPerDestination(1024);
        client.setMaxRequestsQueuedPerDestination(4096);
        client.getContentDecoderFactories().clear();
        client.start();
        try {
          URI gateway = rig.apiUri().resolve("/gateway/");
          run(options, client, fast, paced, gateway, rig);
        } finally {
          client.stop();
        }
      }
    }
  }

  private static void run(
      Options options,
      HttpClient client,
      FakeUpstream fast,
      FakeUpstream paced,
      URI gateway,
      Rig rig)
      throws Exception {
    URI directChat = fast.uri().resolve("/v1/chat/completions");
    URI gatewayChat = gateway.resolve("fast/v1/chat/completions");
    URI directStream = paced.uri().resolve("/v1/chat/completions");
    URI gatewayStream = gateway.resolve("paced/v1/chat/completions");

    int warmup = options.integer("warmup");
    for (int i = 0; i < warmup; i++) {
      call(client, directChat, CHAT);
      call(client, gatewayChat, CHAT);
    }
    int calls = options.integer("calls");
    long[] direct = new long[calls];
    long[] proxied = new long[calls];
    for (int i = 0; i < calls; i++) {
      if (i % 2 == 0) {
        direct[i] = call(client, directChat, CHAT).total;
        proxied[i] = call(client, gatewayChat, CHAT).total;
      } else {
        proxied[i] = call(client, gatewayChat, CHAT).total;
        direct[i] = call(client, directChat, CHAT).total;
      }
    }
    fast.forget();
    System.out.println();
    System.out.println(
        "Not streamed, one call at a time ("
            + calls
            + " each, after "
            + warmup
            + " warm-up calls):");
    compare(direct, proxied);

    int streams = options.integer("streams");
    for (int i = 0; i < Math.min(50, streams); i++) {
      call(client, directStream, STREAM);
      call(client, gatewayStream, STREAM);
    }
    long[] directFirst = new long[streams];
    long[] proxiedFirst = new long[streams];
    long[] directTotal = new long[streams];
    long[] proxiedTotal = new long[streams];
    for (int i = 0; i < streams; i++) {
      Timing d = call(client, directStream, STREAM);
      Timing g = call(client, gatewayStream, STREAM);
      directFirst[i] = d.firstByte;
      proxiedFirst[i] = g.firstByte;
      directTotal[i] = d.total;
      proxiedTotal[i] = g.total;
    }
    System.out.println();
    System.out.println(
        "Streamed, time to first byte ("
            + streams
            + " each; the upstream waits "
            + options.integer("piece-delay-ms")
            + " ms before each of its "
            + FakeUpstream.PIECES.size()
            + " pieces):");
    compare(directFirst, proxiedFirst);
    System.out.println("Streamed, whole stream:");
    compare(directTotal, proxiedTotal);

    int concurrent = options.integer("concurrent-streams");
    System.out.println();
    for (URI target : List.of(directChat, gatewayChat)) {
      AtomicInteger errors = new AtomicInteger();
      AtomicInteger complete = new AtomicInteger();
      java.util.concurrent.atomic.AtomicReference<String> firstError =
          new java.util.concurrent.atomic.AtomicReference<>();
      long start = System.nanoTime();
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < concurrent; i++) {
        threads.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      try {
                        Timing timing = call(client, target, LONG_STREAM);
                        if (timing.status == 200
                            && timing.body.contains("data: [DONE]")
                            && timing.body.contains(
                                "\"content\":\"" + FakeUpstream.PIECES.get(12) + "\"")) {
                          complete.incrementAndGet();
                        } else {
                          errors.incrementAndGet();
                          firstError.compareAndSet(
                              null,
                              timing.status
                                  + " "
                                  + timing.body.substring(0, Math.min(300, timing.body.length())));
                        }
                      } catch (Exception e) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, e.toString());
                      }
                    }));
      }
      for (Thread thread : threads) {
        thread.join();
      }
      System.out.printf(
          "%d streams of %d pieces at once, %-8s: %d complete, %d errors, all done in %.0f ms%n",
          concurrent,
          FakeUpstream.SLOW_PIECES,
          target == directChat ? "direct" : "gateway",
          complete.get(),
          errors.get(),
          (System.nanoTime() - start) / 1e6);
      if (firstError.get() != null) {
        System.out.println("  first error: " + firstError.get());
      }
    }
    paced.forget();
    fast.forget();

    int concurrency = options.integer("concurrency");
    int seconds = options.integer("seconds");
    System.out.println();
    for (URI target : List.of(directChat, gatewayChat, directChat, gatewayChat)) {
      AtomicLong done = new AtomicLong();
      AtomicLong failed = new AtomicLong();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < concurrency; i++) {
        threads.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      while (System.nanoTime() < end) {
                        try {
                          if (call(client, target, CHAT).status == 200) {
                            done.incrementAndGet();
                          } else {
                            failed.incrementAndGet();
                          }
                        } catch (Exception e) {
                          failed.incrementAndGet();
                        }
                      }
                    }));
      }
      for (Thread thread : threads) {
        thread.join();
      }
      fast.forget();
      System.out.printf(
          "calls per second, %d clients, %d s, %-8s: %.0f (%d failed)%n",
          concurrency,
          seconds,
          target == directChat ? "direct" : "gateway",
          done.get() / (double) seconds,
          failed.get());
    }
    // Give the recorder a moment, then show what became of the records.
    Thread.sleep(3000);
    System.out.println();
    System.out.println("gateway counters: " + rig.server.gateway().stats());
  }

  private static void compare(long[] direct, long[] gateway) {
    long[] d = direct.clone();
    long[] g = gateway.clone();
    Arrays.sort(d);
    Arrays.sort(g);
    System.out.printf(
        "  %-8s p50 %7.3f ms  p90 %7.3f ms  p99 %7.3f ms  max %7.3f ms%n",
        "direct", pct(d, 50), pct(d, 90), pct(d, 99), d[d.length - 1] / 1e6);
    System.out.printf(
        "  %-8s p50 %7.3f ms  p90 %7.3f ms  p99 %7.3f ms  max %7.3f ms%n",
        "gateway", pct(g, 50), pct(g, 90), pct(g, 99), g[g.length - 1] / 1e6);
    System.out.printf(
        "  %-8s p50 %7.3f ms  p90 %7.3f ms  p99 %7.3f ms%n",
        "added", pct(g, 50) - pct(d, 50), pct(g, 90) - pct(d, 90), pct(g, 99) - pct(d, 99));
  }

  private static double pct(long[] sorted, int percentile) {
    return sorted[
            Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)]
        / 1e6;
  }

  /**
   * One call's status, body, time to the first byte of the body and time to its end, in
   * nanoseconds.
   */
  private record Timing(int status, String body, long firstByte, long total) {}

  private static Timing call(HttpClient client, URI uri, byte[] body) throws Exception {
    long start = System.nanoTime();
    CompletableFuture<Object[]> answered = new CompletableFuture<>();
    client
        .newRequest(uri)
        .method("POST")
        .headers(h -> h.put("Authorization", "Bearer sk-bench-not-a-key"))
        .timeout(60, TimeUnit.SECONDS)
        .body(new BytesRequestContent("application/json", body))
        .onResponseContentSource(
            (response, source) -> answered.complete(new Object[] {response.getStatus(), source}))
        .send(
            result -> {
              if (result.isFailed()) {
                answered.completeExceptionally(result.getFailure());
              }
            });
    Object[] answer;
    try {
      answer = answered.get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("POST " + uri + " failed: " + e.getCause(), e.getCause());
    }
    Content.Source source = (Content.Source) answer[1];
    StringBuilder text = new StringBuilder();
    long first = 0;
    while (true) {
      Content.Chunk chunk = source.read();
      if (chunk == null) {
        CompletableFuture<Void> more = new CompletableFuture<>();
        source.demand(() -> more.complete(null));
        more.get(60, TimeUnit.SECONDS);
        continue;
      }
      if (Content.Chunk.isFailure(chunk)) {
        throw new IllegalStateException(chunk.getFailure());
      }
      if (chunk.hasRemaining()) {
        if (first == 0) {
          first = System.nanoTime() - start;
        }
        text.append(StandardCharsets.UTF_8.decode(chunk.getByteBuffer()));
      }
      chunk.release();
      if (chunk.isLast()) {
        break;
      }
    }
    return new Timing((int) answer[0], text.toString(), first, System.nanoTime() - start);
  }
}

package io.llmlog.server.quality;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.core.ErrorInfo;
import io.llmlog.core.LlmLogEntry;
import io.llmlog.core.LogLevel;
import io.llmlog.core.codec.JsonMaps;
import io.llmlog.core.codec.LlmLogJson;
import io.llmlog.core.cost.PriceTable;
import io.llmlog.core.message.ChatMessage;
import io.llmlog.server.ingest.IngestService;
import io.llmlog.server.ingest.Outcome;
import io.llmlog.server.ingest.RecordKind;
import io.llmlog.server.pipeline.Event;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * LLM-as-a-judge, asynchronous: calls to judge wait in a bounded queue, {@code concurrency} workers
 * send them to the judge endpoint at most {@code requests_per_minute}, within the hourly budget,
 * retrying what can succeed later (429, timeouts, 5xx, a malformed answer) with exponential backoff
 * that honours Retry-After. Every request the judge makes is itself logged as an llmlog call of
 * service {@value Evaluators#EVALUATOR_SERVICE} through the normal ingest path, so its tokens and
 * cost show like any other; a score is a quality record keyed by (call, evaluator), so judging a
 * call twice never stores two scores.
 */
public final class JudgeService implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(JudgeService.class);

  /**
   * A Retry-After longer than this is not waited for in one go; the judgement is tried again later.
   */
  static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(10);

  /** What became of one judgement. */
  public enum Result {
    SCORED,
    FAILED,
    BUDGET
  }

  /** A call to judge; {@code done} is null for the live path, where nobody waits. */
  private record Job(
      Evaluators.Built evaluator, Map<String, Object> call, CompletableFuture<Result> done) {
    void finish(Result result) {
      if (done != null) {
        done.complete(result);
      }
    }
  }

  /**
   * Counters for the API: requests by outcome, judgements by result, live calls not judged by
   * reason.
   */
  public record Status(
      Map<String, Long> requests,
      Map<String, Long> judgements,
      Map<String, Long> dropped,
      int queued,
      double usdLastHour,
      int requestsLastHour,
      String model,
      String endpoint) {}

  /** Waits between attempts; tests may wait less. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final QualitySettings.Judge settings;
  private final Map<String, Evaluators.Built> judges;
  private final IngestService ingest;
  private final Clock clock;
  private final JudgeClient client;
  private final HourlyBudget budget;
  private final Sleeper sleeper;
  private final BlockingQueue<Job> queue;
  private final List<Thread> workers = new ArrayList<>();
  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> judgements = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> dropped = new ConcurrentHashMap<>();
  private final MeterRegistry meters;
  private final PriceTable prices = PriceTable.defaults();
  private final String provider;
  private final Object pace = new Object();
  private long nextStart;
  private volatile boolean closed;
  private boolean keyWarned;

  JudgeService(
      QualitySettings.Judge settings,
      List<Evaluators.Built> judges,
      IngestService ingest,
      ObjectMapper json,
      Clock clock,
      MeterRegistry meters,
      Sleeper sleeper) {
    this.settings = settings;
    this.judges = new LinkedHashMap<>();
    judges.forEach(judge -> this.judges.put(judge.spec().name(), judge));
    this.ingest = ingest;
    this.clock = clock;
    this.client = new JudgeClient(settings, json);
    this.budget = new HourlyBudget(settings.budgetPerHourUsd(), settings.maxCallsPerHour(), clock);
    this.sleeper = sleeper;
    this.queue = new ArrayBlockingQueue<>(settings.queueSize());
    this.meters = meters;
    this.provider = settings.baseUrl().getHost();
  }

  void start() {
    for (int i = 0; i < settings.concurrency(); i++) {
      Thread worker = new Thread(this::work, "llmlog-judge-" + i);
      worker.setDaemon(true);
      worker.start();
      workers.add(worker);
    }
  }

  /**
   * The live path: each stored call that a judge evaluator selects waits to be judged; a full queue
   * drops it (counted).
   */
  void stored(List<Event> calls) {
    for (Event call : calls) {
      for (Evaluators.Built judge : judges.values()) {
        if (judge.selects(call::get)
            && !queue.offer(new Job(judge, new LinkedHashMap<>(call.fields()), null))) {
          count(dropped, "queue_full", "llmlog.quality.judge.dropped", "reason");
        }
      }
    }
  }

  /**
   * The run path: judges one call, waiting for room in the queue; the future completes with the
   * result.
   */
  CompletableFuture<Result> submit(String evaluator, Map<String, Object> call)
      throws InterruptedException {
    Evaluators.Built judge = judges.get(evaluator);
    if (judge == null) {
      throw new IllegalArgumentException("no judge evaluator named " + evaluator);
    }
    CompletableFuture<Result> done = new CompletableFuture<>();
    while (!queue.offer(new Job(judge, call, done), 1, TimeUnit.SECONDS)) {
      if (closed) {
        done.complete(Result.FAILED);
        return done;
      }
    }
    return done;
  }

  /** True while the hourly budget allows another judgement. */
  boolean budgetLeft() {
    return budget.allows();
  }

  private void work() {
    while (!closed) {
      Job job;
      try {
        job = queue.poll(250, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (job == null) {
        continue;
      }
      Result result;
      try {
        result = judge(job);
      } catch (InterruptedException e) {
        job.finish(Result.FAILED);
        return;
      } catch (RuntimeException e) {
        LOG.warn("judging a call with {} failed: {}", job.evaluator().spec().name(), e.toString());
        result = Result.FAILED;
      }
      count(
          judgements,
          result.name().toLowerCase(java.util.Locale.ROOT),
          "llmlog.quality.judge.judgements",
          "result");
      if (result == Result.BUDGET && job.done() == null) {
        count(dropped, "budget", "llmlog.quality.judge.dropped", "reason");
      }
      job.finish(result);
    }
  }

  private Result judge(Job job) throws InterruptedException {
    QualitySettings.Spec spec = job.evaluator().spec();
    Event call = new Event(job.call(), 1);
    String prompt = job.evaluator().prompt().render(call::get);
    if (settings.apiKey() == null && !keyWarned) {
      keyWarned = true;
      LOG.warn(
          "the judge's API key variable ${} is not set; requests go out without a key",
          settings.apiKeyEnv());
    }
    for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
      if (!budget.allows()) {
        return Result.BUDGET;
      }
      pace();
      JudgeClient.Answer answer = client.ask(prompt);
      budget.spend(logRequest(spec, call, prompt, answer, attempt));
      count(
          requests,
          answer.ok() ? "ok" : answer.failure().text(),
          "llmlog.quality.judge.requests",
          "result");
      if (answer.ok()) {
        return store(spec, call, answer) ? Result.SCORED : Result.FAILED;
      }
      if (!answer.failure().retryable || attempt == settings.maxAttempts()) {
        LOG.debug(
            "judge {} gave up on {}: {} ({})",
            spec.name(),
            call.get("request_id"),
            answer.failure().text(),
            answer.detail());
        return Result.FAILED;
      }
      sleeper.sleep(backoff(attempt, answer.retryAfter()));
    }
    return Result.FAILED;
  }

  /**
   * The wait before attempt {@code attempt + 1}: exponential, capped, but never shorter than the
   * endpoint's Retry-After.
   */
  Duration backoff(int attempt, Duration retryAfter) {
    Duration exponential = settings.initialBackoff().multipliedBy(1L << Math.min(20, attempt - 1));
    if (exponential.compareTo(settings.maxBackoff()) > 0) {
      exponential = settings.maxBackoff();
    }
    if (retryAfter != null && retryAfter.compareTo(exponential) > 0) {
      return retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter;
    }
    return exponential;
  }

  /** Spaces request starts by 60 s / requests_per_minute across all workers. */
  private void pace() throws InterruptedException {
    long spacing = 60_000_000_000L / settings.requestsPerMinute();
    long wait;
    synchronized (pace) {
      long now = System.nanoTime();
      long start = Math.max(now, nextStart);
      nextStart = start + spacing;
      wait = start - now;
    }
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }

  /**
   * Logs the judge's request as an llmlog call of the evaluator service, written as any
   * application's call is (the prompt and the answer as structured messages, which also give its
   * prompt and response texts); returns its cost in USD.
   */
  private double logRequest(
      QualitySettings.Spec spec,
      Event judged,
      String prompt,
      JudgeClient.Answer answer,
      int attempt) {
    LlmLogEntry.Builder call =
        LlmLogEntry.builder()
            .requestId("judge-" + UUID.randomUUID())
            .timestamp(clock.instant())
            .service(Evaluators.EVALUATOR_SERVICE)
            .model(client.model())
            .provider(provider)
            .operation("chat")
            .inputMessages(List.of(ChatMessage.user(prompt)))
            .temperature(0.0)
            .inputTokens((int) Math.min(Integer.MAX_VALUE, answer.inputTokens()))
            .outputTokens((int) Math.min(Integer.MAX_VALUE, answer.outputTokens()))
            .latencyMs(answer.latencyMs())
            .level(
                answer.failure() == null || answer.failure() == JudgeClient.Failure.MALFORMED
                    ? LogLevel.INFO
                    : LogLevel.ERROR)
            .putMetadata("evaluator", spec.name())
            .putMetadata("judged_request_id", String.valueOf(judged.get("request_id")))
            .putMetadata("attempt", String.valueOf(attempt));
    if (answer.content() != null) {
      call.outputMessages(List.of(ChatMessage.assistant(answer.content())));
    }
    if (answer.failure() != null) {
      call.error(new ErrorInfo(answer.failure().text(), answer.detail()));
    }
    Map<String, Object> fields;
    try {
      fields = JsonMaps.readObject(LlmLogJson.document(call.build()));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Event event = new Event(fields, 1);
    try {
      ingest.ingest(List.of(IngestService.Item.of(RecordKind.CALL, event)), false, "evaluator");
    } catch (RuntimeException e) {
      count(dropped, "log_failed", "llmlog.quality.judge.dropped", "reason");
    }
    if (event.get("cost_usd") instanceof Number cost) {
      return cost.doubleValue();
    }
    return prices
        .costUsd(client.model(), answer.inputTokens(), 0, answer.outputTokens(), 0)
        .orElse(0);
  }

  private boolean store(QualitySettings.Spec spec, Event call, JudgeClient.Answer answer) {
    Score score =
        new Score(
            spec.name(),
            new Verdict(answer.score(), null, answer.reason()),
            call::get,
            clock.instant());
    try {
      List<Outcome> outcomes =
          ingest.ingest(
              List.of(IngestService.Item.of(RecordKind.QUALITY, new Event(score.fields(), 1))),
              false,
              "evaluator");
      return outcomes.get(0).accepted() && outcomes.get(0).write() != null;
    } catch (RuntimeException e) {
      LOG.debug("could not store a score of {}: {}", spec.name(), e.toString());
      return false;
    }
  }

  private void count(Map<String, LongAdder> counters, String key, String meter, String tag) {
    counters.computeIfAbsent(key, k -> new LongAdder()).increment();
    meters.counter(meter, tag, key).increment();
  }

  Status status() {
    return new Status(
        snapshot(requests),
        snapshot(judgements),
        snapshot(dropped),
        queue.size(),
        budget.usdLastHour(),
        budget.callsLastHour(),
        client.model(),
        client.endpoint());
  }

  private static Map<String, Long> snapshot(Map<String, LongAdder> counters) {
    Map<String, Long> copy = new java.util.TreeMap<>();
    counters.forEach((key, value) -> copy.put(key, value.sum()));
    return copy;
  }

  @Override
  public void close() {
    closed = true;
    for (Thread worker : workers) {
      worker.interrupt();
    }
    for (Thread worker : workers) {
      try {
        worker.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (Job job; (job = queue.poll()) != null; ) {
      job.finish(Result.FAILED);
    }
    client.close();
  }
}

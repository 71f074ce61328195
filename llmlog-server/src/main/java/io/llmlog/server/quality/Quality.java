package io.llmlog.server.quality;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.server.config.Settings;
import io.llmlog.server.ingest.IngestService;
import io.llmlog.server.pipeline.Event;
import io.llmlog.server.pipeline.Filter;
import io.llmlog.server.query.CallQuery;
import io.llmlog.server.store.CallContexts;
import io.llmlog.server.store.LogStore;
import io.llmlog.server.store.QualityRecords;
import io.llmlog.server.store.QualityState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The quality capability of a server: evaluators (deterministic ones in the call pipeline, judges
 * asynchronous), scoring runs over past calls, and review queues. Built in two steps, because the
 * pipeline it adds a filter to is built before the ingest it writes through.
 */
public final class Quality implements AutoCloseable {
  private final QualitySettings settings;
  private final Map<String, Evaluators.Built> evaluators;
  private final JudgeService judge;
  private final QualityRuns runs;
  private final ReviewQueues queues;
  private final QualityRecords records;

  private Quality(
      QualitySettings settings,
      Map<String, Evaluators.Built> evaluators,
      JudgeService judge,
      QualityRuns runs,
      ReviewQueues queues,
      QualityRecords records) {
    this.settings = settings;
    this.evaluators = evaluators;
    this.judge = judge;
    this.runs = runs;
    this.queues = queues;
    this.records = records;
  }

  /**
   * The filters the call pipeline runs last: one that runs the deterministic evaluators, when any
   * is configured.
   */
  public static Function<List<Filter>, List<Filter>> pipelineTail(
      QualitySettings settings, Clock clock) {
    return configured -> {
      List<Evaluators.Built> deterministic = new ArrayList<>();
      for (QualitySettings.Spec spec : settings.evaluators()) {
        if (!spec.judged()) {
          deterministic.add(Evaluators.build(spec, configured));
        }
      }
      return deterministic.isEmpty()
          ? List.of()
          : List.of(new EvaluateFilter(deterministic, clock));
    };
  }

  /**
   * The capability, once ingest exists. Also tells ingest to fill in the call's model, service and
   * the like on quality records that lack them.
   *
   * @throws io.llmlog.server.config.ConfigException for a bad evaluator
   */
  public static Quality create(
      QualitySettings settings,
      Settings config,
      IngestService ingest,
      LogStore store,
      ObjectMapper json,
      Clock clock,
      MeterRegistry meters) {
    Map<String, Evaluators.Built> evaluators = new LinkedHashMap<>();
    List<Evaluators.Built> judges = new ArrayList<>();
    for (QualitySettings.Spec spec : settings.evaluators()) {
      Evaluators.Built built = Evaluators.build(spec, ingest.callPipeline().filters());
      evaluators.put(spec.name(), built);
      if (spec.judged()) {
        judges.add(built);
      }
    }
    JudgeService judge =
        judges.isEmpty()
            ? null
            : new JudgeService(
                settings.judge(),
                judges,
                ingest,
                json,
                clock,
                meters,
                duration -> Thread.sleep(duration));
    QualityRecords records = store.qualityRecords();
    QualityState state = store.qualityState();
    CallQuery calls = new CallQuery(store, json);
    ingest.fillCallContext(contextFiller(store.callContexts(), clock, meters));
    return new Quality(
        settings,
        evaluators,
        judge,
        new QualityRuns(
            settings.runPageSize(), evaluators, judge, ingest, records, state, calls, json, clock),
        new ReviewQueues(settings, ingest, store.calls(), records, state, calls, clock),
        records);
  }

  /**
   * Fills the call's fields in from the stored call; a lookup that fails leaves the records as they
   * came (counted), since feedback must never be lost for want of a model name.
   */
  private static IngestService.CallContext contextFiller(
      CallContexts contexts, Clock clock, MeterRegistry meters) {
    Counter failures =
        Counter.builder("llmlog.quality.context.failures")
            .description("Lookups of calls for their quality records that failed")
            .register(meters);
    return records -> {
      Map<String, Instant> wanted = new HashMap<>();
      for (Event record : records) {
        if (!record.has("model") && record.get("request_id") instanceof String id) {
          wanted.put(
              id,
              record.get("timestamp") instanceof String time
                  ? parse(time, clock)
                  : clock.instant());
        }
      }
      if (wanted.isEmpty()) {
        return;
      }
      Map<String, Map<String, Object>> found;
      try {
        found = contexts.lookup(wanted);
      } catch (RuntimeException e) {
        failures.increment();
        return;
      }
      for (Event record : records) {
        Map<String, Object> context =
            record.get("request_id") instanceof String id ? found.get(id) : null;
        if (context != null) {
          context.forEach(
              (field, value) -> {
                if (!record.has(field)) {
                  record.set(field, value);
                }
              });
        }
      }
    };
  }

  private static Instant parse(String time, Clock clock) {
    try {
      return io.llmlog.core.Timestamps.parse(time);
    } catch (RuntimeException e) {
      return clock.instant();
    }
  }

  /** Starts the judge's workers. */
  public void start() {
    if (judge != null) {
      judge.start();
    }
  }

  /** The live path of the judges: called with every batch of stored calls. */
  public void stored(List<Event> calls) {
    if (judge != null) {
      judge.stored(calls);
    }
  }

  public QualitySettings settings() {
    return settings;
  }

  // --- what the API shows and does; the records are turned into JSON by the api package ---

  /** One evaluator as configured, with the counters of its pipeline step or judge. */
  public record EvaluatorInfo(
      String name, String type, String filter, double sample, boolean judged) {}

  public List<EvaluatorInfo> evaluators() {
    return evaluators.values().stream()
        .map(
            e ->
                new EvaluatorInfo(
                    e.spec().name(),
                    e.spec().type(),
                    e.spec().filter(),
                    e.spec().sample(),
                    e.spec().judged()))
        .toList();
  }

  /** The judge's counters, or empty when no judge evaluator is configured. */
  public Optional<JudgeService.Status> judgeStatus() {
    return judge == null ? Optional.empty() : Optional.of(judge.status());
  }

  public List<String> scoreNames() {
    return records.scoreNames();
  }

  public QualityRuns.RunStatus startRun(String evaluator, String q, String from, String to) {
    return runs.start(evaluator, q, from, to);
  }

  public Optional<QualityRuns.RunStatus> run(String id) {
    return Optional.ofNullable(runs.status(id));
  }

  public Optional<QualityRuns.RunStatus> stopRun(String id) {
    return Optional.ofNullable(runs.stop(id));
  }

  public List<ReviewQueues.Progress> queues() {
    return queues.queues().stream().map(queues::progress).toList();
  }

  public Optional<QualitySettings.Queue> queue(String name) {
    return queues.queue(name);
  }

  public Optional<ReviewQueues.Assignment> next(
      QualitySettings.Queue queue, String reviewer, String session, Set<String> skipped) {
    return queues.next(queue, reviewer, session, skipped);
  }

  public ReviewQueues.Progress progress(QualitySettings.Queue queue) {
    return queues.progress(queue);
  }

  /**
   * Stores a review.
   *
   * @throws IllegalArgumentException for a label the queue does not offer or a bad rating
   * @throws ReviewQueues.ReviewConflict when another reviewer holds the call
   */
  public void review(
      QualitySettings.Queue queue,
      String reviewer,
      String session,
      String requestId,
      Integer rating,
      List<String> labels,
      String comment) {
    if (rating != null && (rating < -1 || rating > 5)) {
      throw new IllegalArgumentException("rating must be from -1 to 5, was " + rating);
    }
    queues.submit(
        queue,
        reviewer,
        session,
        new ReviewQueues.Review(requestId, rating, ReviewQueues.labels(labels, queue), comment));
  }

  public boolean release(QualitySettings.Queue queue, String requestId, String session) {
    return queues.release(queue, requestId, session);
  }

  @Override
  public void close() {
    runs.close();
    if (judge != null) {
      judge.close();
    }
  }
}

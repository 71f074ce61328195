package io.llmlog.server.quality;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.server.ingest.IngestService;
import io.llmlog.server.ingest.RecordKind;
import io.llmlog.server.pipeline.Event;
import io.llmlog.server.query.CallQuery;
import io.llmlog.server.query.InvalidParameterException;
import io.llmlog.server.query.TimeRange;
import io.llmlog.server.store.CallScan;
import io.llmlog.server.store.QualityRecords;
import io.llmlog.server.store.QualityState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Scoring past calls ({@code ./llmlog quality run}): walks the calls of a window in time order a
 * page at a time, scores those the evaluator selects and has not scored yet, and after each page
 * saves a checkpoint in the engine ({@link QualityState}, document {@code run-<id>} of {@code
 * llmlog-quality-state}). The run's id comes from its evaluator, query and window as typed, so the
 * same command after a crash, a stop or Ctrl-C continues after the last finished page, on any
 * server; calls of an unfinished page that were scored already are skipped, so nothing is judged
 * twice.
 */
public final class QualityRuns implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(QualityRuns.class);

  /** A run as the API shows it. */
  public record RunStatus(
      String id,
      String evaluator,
      String query,
      Instant from,
      Instant to,
      String state,
      long total,
      long scanned,
      long scored,
      long skipped,
      long failed,
      String error) {}

  private final Map<String, Evaluators.Built> evaluators;
  private final JudgeService judge;
  private final IngestService ingest;
  private final QualityRecords records;
  private final QualityState state;
  private final CallQuery calls;
  private final ObjectMapper json;
  private final Clock clock;
  private final Map<String, Run> running = new ConcurrentHashMap<>();
  private final int pageSize;

  QualityRuns(
      int pageSize,
      Map<String, Evaluators.Built> evaluators,
      JudgeService judge,
      IngestService ingest,
      QualityRecords records,
      QualityState state,
      CallQuery calls,
      ObjectMapper json,
      Clock clock) {
    this.pageSize = pageSize;
    this.evaluators = evaluators;
    this.judge = judge;
    this.ingest = ingest;
    this.records = records;
    this.state = state;
    this.calls = calls;
    this.json = json;
    this.clock = clock;
  }

  /**
   * Starts a run, resumes it from its checkpoint, or returns it when it is running here.
   *
   * @throws InvalidParameterException naming what is wrong
   */
  RunStatus start(String evaluator, String q, String from, String to) {
    Evaluators.Built built = evaluators.get(evaluator);
    if (built == null) {
      throw new InvalidParameterException(
          "evaluator",
          "no evaluator named '"
              + evaluator
              + "'; configured: "
              + String.join(", ", evaluators.keySet()));
    }
    if (from == null || from.isBlank()) {
      throw new InvalidParameterException("from", "is required, e.g. now-7d");
    }
    String id = id(evaluator, q, from, to);
    Run existing = running.get(id);
    if (existing != null && !existing.stopping) {
      return existing.status();
    }
    if (existing != null) {
      existing.awaitEnd();
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    QualityState.Checkpoint checkpoint =
        state.checkpoint(id).filter(c -> !c.state().equals("done")).orElse(null);
    if (checkpoint == null) {
      TimeRange range = TimeRange.parse(from, to, now);
      checkpoint =
          new QualityState.Checkpoint(
              id,
              evaluator,
              q == null ? "" : q,
              range.from(),
              range.to() == null ? now : range.to(),
              null,
              null,
              "running",
              -1,
              0,
              0,
              0,
              0,
              now,
              now);
    }
    CallQuery.Selection query = calls.select(q, checkpoint.from(), checkpoint.to());
    long total = calls.count(query, 10_000_000);
    Run run = new Run(built, checkpoint, query, total);
    if (running.putIfAbsent(id, run) != null) {
      return running.get(id).status();
    }
    state.save(run.checkpoint("running", null));
    Thread thread = new Thread(run::walk, "llmlog-quality-run-" + id.substring(0, 8));
    thread.setDaemon(true);
    run.thread = thread;
    thread.start();
    return run.status();
  }

  /** A run's status: live when it runs here, else its checkpoint; null when it never ran. */
  RunStatus status(String id) {
    Run run = running.get(id);
    if (run != null) {
      return run.status();
    }
    return state
        .checkpoint(id)
        .map(
            c ->
                new RunStatus(
                    id,
                    c.evaluator(),
                    c.query(),
                    c.from(),
                    c.to(),
                    c.state(),
                    c.total(),
                    c.scanned(),
                    c.scored(),
                    c.skipped(),
                    c.failed(),
                    null))
        .orElse(null);
  }

  /** Asks a run to stop after the page in hand; its checkpoint stays, so it can be resumed. */
  RunStatus stop(String id) {
    Run run = running.get(id);
    if (run == null) {
      return status(id);
    }
    run.stopping = true;
    return run.status();
  }

  static String id(String evaluator, String q, String from, String to) {
    try {
      String key =
          evaluator
              + "\u0000"
              + (q == null ? "" : q.trim())
              + "\u0000"
              + from.trim()
              + "\u0000"
              + (to == null ? "" : to.trim());
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)),
              0,
              12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One run in progress on this server. */
  private final class Run {
    final Evaluators.Built evaluator;
    final QualityState.Checkpoint start;
    final CallQuery.Selection query;
    final long total;
    volatile boolean stopping;
    volatile String phase = "running";
    volatile String error;
    volatile long scanned;
    volatile long scored;
    volatile long skipped;
    volatile long failed;
    volatile CallScan.Position cursor;
    Thread thread;

    Run(
        Evaluators.Built evaluator,
        QualityState.Checkpoint start,
        CallQuery.Selection query,
        long total) {
      this.evaluator = evaluator;
      this.start = start;
      this.query = query;
      this.total = total;
      this.scanned = start.scanned();
      this.scored = start.scored();
      this.skipped = start.skipped();
      this.failed = start.failed();
      this.cursor =
          start.cursorTime() == null
              ? null
              : new CallScan.Position(start.cursorTime(), start.cursorId());
    }

    /** Waits (bounded) for a stopping run to save its checkpoint and leave. */
    void awaitEnd() {
      Thread running = thread;
      if (running != null) {
        try {
          running.join(60_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    RunStatus status() {
      return new RunStatus(
          start.id(),
          start.evaluator(),
          start.query(),
          start.from(),
          start.to(),
          phase,
          total,
          scanned,
          scored,
          skipped,
          failed,
          error);
    }

    QualityState.Checkpoint checkpoint(String runState, CallScan.Position position) {
      return new QualityState.Checkpoint(
          start.id(),
          start.evaluator(),
          start.query(),
          start.from(),
          start.to(),
          position == null ? null : position.time(),
          position == null ? null : position.requestId(),
          runState,
          total,
          scanned,
          scored,
          skipped,
          failed,
          start.started(),
          clock.instant());
    }

    void walk() {
      try {
        while (!stopping && !closed) {
          CallScan.Page page = calls.page(query, cursor, pageSize, false, List.of());
          if (page.calls().isEmpty()) {
            break;
          }
          score(page.calls());
          cursor = page.last();
          state.save(checkpoint("running", cursor));
        }
        phase = stopping || closed ? "stopped" : "done";
      } catch (InterruptedException e) {
        phase = "stopped";
      } catch (RuntimeException e) {
        phase = "failed";
        error = e.getMessage();
        LOG.warn(
            "quality run {} of {} failed (run it again to continue): {}",
            start.id(),
            start.evaluator(),
            e.toString());
      } finally {
        try {
          state.save(checkpoint(phase, cursor));
        } catch (RuntimeException e) {
          LOG.warn("could not save the checkpoint of quality run {}: {}", start.id(), e.toString());
        }
        running.remove(start.id(), this);
      }
    }

    private void score(List<ObjectNode> page) throws InterruptedException {
      List<String> ids = page.stream().map(doc -> doc.path("request_id").asText()).toList();
      Set<String> done = records.having("evaluator", evaluator.spec().name(), ids);
      List<IngestService.Item> scores = new ArrayList<>();
      List<CompletableFuture<JudgeService.Result>> judged = new ArrayList<>();
      for (ObjectNode doc : page) {
        scanned++;
        Event call = new Event(Event.cast(json.convertValue(doc, Map.class)), 1);
        if (done.contains(doc.path("request_id").asText()) || !evaluator.selects(call::get)) {
          skipped++;
          continue;
        }
        if (evaluator.check() != null) {
          Verdict verdict = evaluator.check().evaluate(call);
          if (verdict == null) {
            skipped++;
          } else {
            scores.add(
                IngestService.Item.of(
                    RecordKind.QUALITY,
                    new Event(
                        new Score(evaluator.spec().name(), verdict, call::get, clock.instant())
                            .fields(),
                        1)));
          }
          continue;
        }
        while (!judge.budgetLeft() && !stopping && !closed) {
          Thread.sleep(2_000);
        }
        judged.add(judge.submit(evaluator.spec().name(), call.fields()));
      }
      if (!scores.isEmpty()) {
        ingest
            .ingest(scores, false, "evaluator")
            .forEach(
                outcome -> {
                  if (outcome.write() != null && outcome.accepted()) {
                    scored++;
                  } else {
                    failed++;
                  }
                });
      }
      for (CompletableFuture<JudgeService.Result> result : judged) {
        JudgeService.Result outcome = result.join();
        if (outcome == JudgeService.Result.SCORED) {
          scored++;
        } else {
          failed++;
        }
      }
    }
  }

  private volatile boolean closed;

  @Override
  public void close() {
    closed = true;
    for (Run run : running.values()) {
      run.stopping = true;
      if (run.thread != null) {
        run.thread.interrupt();
        try {
          run.thread.join(5_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}

package io.llmlog.server.quality;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.core.QualityField;
import io.llmlog.core.Timestamps;
import io.llmlog.core.sample.SamplingPolicy;
import io.llmlog.server.ingest.IngestService;
import io.llmlog.server.ingest.Outcome;
import io.llmlog.server.ingest.RecordKind;
import io.llmlog.server.pipeline.Event;
import io.llmlog.server.query.CallQuery;
import io.llmlog.server.store.CallReader;
import io.llmlog.server.store.CallScan;
import io.llmlog.server.store.QualityRecords;
import io.llmlog.server.store.QualityState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Review queues: a queue is the calls of a KQL filter (over call and quality fields) in a recent
 * window, a sample of them, and the labels a reviewer may give. A reviewer asks for the next call
 * and gets one that nobody reviewed in this queue and no other reviewer holds: the call is leased
 * to the reviewer's session in the engine ({@link QualityState}) until it is reviewed, skipped or
 * the lease expires, so two reviewers (on one server or two) never get the same call at once. A
 * review is a quality record with the queue, the reviewer, the rating, labels and comment, kept
 * once per call and queue.
 */
public final class ReviewQueues {
  /** How many candidate pages one "next" looks at before saying the queue is done for now. */
  static final int MAX_PAGES = 10;

  static final int PAGE = 25;
  static final int COUNT_LIMIT = 100_000;

  /** A queue with how far it got. */
  public record Progress(QualitySettings.Queue queue, long calls, long reviewed, int leased) {}

  /** The call a reviewer got, with its quality records, and until when it is theirs. */
  public record Assignment(ObjectNode call, List<ObjectNode> quality, Instant leaseExpires) {}

  /** A review as the reviewer gave it. */
  record Review(String requestId, Integer rating, List<String> labels, String comment) {}

  /** The call is held by another reviewer, or the review cannot be taken. */
  public static final class ReviewConflict extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ReviewConflict(String message) {
      super(message);
    }
  }

  private final Map<String, QualitySettings.Queue> queues = new LinkedHashMap<>();
  private final Duration leaseTtl;
  private final IngestService ingest;
  private final CallReader reader;
  private final QualityRecords records;
  private final QualityState state;
  private final CallQuery calls;
  private final Clock clock;

  ReviewQueues(
      QualitySettings settings,
      IngestService ingest,
      CallReader reader,
      QualityRecords records,
      QualityState state,
      CallQuery calls,
      Clock clock) {
    settings.queues().forEach(queue -> queues.put(queue.name(), queue));
    this.leaseTtl = settings.leaseTtl();
    this.ingest = ingest;
    this.reader = reader;
    this.records = records;
    this.state = state;
    this.calls = calls;
    this.clock = clock;
  }

  List<QualitySettings.Queue> queues() {
    return List.copyOf(queues.values());
  }

  Optional<QualitySettings.Queue> queue(String name) {
    return Optional.ofNullable(queues.get(name));
  }

  Progress progress(QualitySettings.Queue queue) {
    Instant now = clock.instant();
    Instant since = now.minus(queue.window());
    long matching = calls.count(calls.select(queue.filter(), since, now), COUNT_LIMIT);
    long total = queue.sample() >= 1 ? matching : Math.round(matching * queue.sample());
    return new Progress(
        queue,
        total,
        records.count(reviewedQuery(queue, since)),
        state.leased(queue.name(), now, null).size());
  }

  /**
   * The next call for this reviewer's session, leased to it; empty when every call is reviewed,
   * held by another reviewer, or one this session skipped.
   */
  Optional<Assignment> next(
      QualitySettings.Queue queue, String reviewer, String session, Set<String> skipped) {
    Instant now = clock.instant();
    Instant since = now.minus(queue.window());
    Set<String> exclude =
        new HashSet<>(
            records.requestIds(reviewedQuery(queue, since), null, CallQuery.MAX_JOINED).ids());
    exclude.addAll(state.leased(queue.name(), now, session));
    exclude.addAll(skipped);
    CallQuery.Selection query = calls.select(queue.filter(), since, now);
    CallScan.Position after = null;
    for (int page = 0; page < MAX_PAGES; page++) {
      CallScan.Page candidates = calls.page(query, after, PAGE, true, exclude);
      for (ObjectNode call : candidates.calls()) {
        String id = call.path("request_id").asText();
        if (queue.sample() < 1
            && SamplingPolicy.position(id + "\u0000" + queue.name()) >= queue.sample()) {
          continue;
        }
        QualityState.Acquired acquired =
            state.acquire(queue.name(), id, reviewer, session, now, leaseTtl);
        if (acquired.taken()) {
          return Optional.of(
              new Assignment(call, reader.quality(id), acquired.current().expires()));
        }
      }
      if (candidates.calls().size() < PAGE) {
        break;
      }
      after = candidates.last();
    }
    return Optional.empty();
  }

  /**
   * Stores a review and gives the call back.
   *
   * @throws ReviewConflict when another reviewer holds the call now
   */
  void submit(QualitySettings.Queue queue, String reviewer, String session, Review review) {
    Instant now = clock.instant();
    // Only the session that holds the call may review it (its lease may have run out as long as
    // nobody took the call since): a review is kept once per call and queue, and must not
    // overwrite another reviewer's.
    QualityState.Lease lease =
        state
            .lease(queue.name(), review.requestId())
            .orElseThrow(
                () ->
                    new ReviewConflict(
                        "this call is not yours to review: take it with next first (or it was reviewed already)"));
    if (!lease.session().equals(session)) {
      throw new ReviewConflict(
          lease.expires().isAfter(now)
              ? "another reviewer ("
                  + lease.holder()
                  + ") has this call until "
                  + Timestamps.format(lease.expires())
              : "this call is not yours to review: take it with next first");
    }
    CallReader.Call call =
        reader
            .find(review.requestId())
            .orElseThrow(
                () -> new ReviewConflict("no call with request_id '" + review.requestId() + "'"));
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("request_id", review.requestId());
    record.put("timestamp", call.document().path("timestamp").asText(Timestamps.format(now)));
    for (QualityField field : QualityField.CALL_CONTEXT) {
      if (call.document().path(field.jsonName()).isTextual()) {
        record.put(field.jsonName(), call.document().path(field.jsonName()).asText());
      }
    }
    record.put("queue", queue.name());
    record.put("reviewer_id", reviewer);
    if (review.rating() != null) {
      record.put("rating", review.rating());
    }
    record.put("annotations", review.labels());
    if (review.comment() != null && !review.comment().isBlank()) {
      record.put("feedback", review.comment());
    }
    record.put("evaluated_at", Timestamps.format(now));
    Outcome outcome =
        ingest
            .ingest(
                List.of(IngestService.Item.of(RecordKind.QUALITY, new Event(record, 1))),
                true,
                "review")
            .get(0);
    if (outcome.write() == null || !outcome.accepted()) {
      throw new ReviewConflict("the review was not stored: " + outcome.reason());
    }
    state.release(queue.name(), review.requestId(), session);
  }

  /** Gives a call back without reviewing it (skip); true when this session held it. */
  boolean release(QualitySettings.Queue queue, String requestId, String session) {
    return state.release(queue.name(), requestId, session);
  }

  private static ObjectNode reviewedQuery(QualitySettings.Queue queue, Instant since) {
    ObjectNode query = JsonNodeFactory.instance.objectNode();
    var filter = query.putObject("bool").putArray("filter");
    filter.addObject().putObject("term").put("queue", queue.name());
    filter
        .addObject()
        .putObject("range")
        .putObject("timestamp")
        .put("gte", Timestamps.format(since));
    return query;
  }

  static List<String> labels(List<String> given, QualitySettings.Queue queue) {
    List<String> labels = new ArrayList<>();
    for (String label : given) {
      if (!queue.labels().contains(label)) {
        throw new IllegalArgumentException(
            "label '"
                + label
                + "' is not one of this queue's: "
                + String.join(", ", queue.labels()));
      }
      labels.add(label);
    }
    return labels;
  }
}

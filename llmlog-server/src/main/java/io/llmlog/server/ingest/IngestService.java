package io.llmlog.server.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.core.InvalidFieldException;
import io.llmlog.core.Timestamps;
import io.llmlog.server.config.LlmlogConfig;
import io.llmlog.server.pipeline.Event;
import io.llmlog.server.pipeline.Pipeline;
import io.llmlog.server.pipeline.Pipelines;
import io.llmlog.server.pipeline.TraceSampling;
import io.llmlog.server.store.IndexFamily;
import io.llmlog.server.store.LogStore;
import io.llmlog.server.store.WriteOp;
import io.llmlog.server.store.WriteResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Takes records in, runs call records through the pipeline, checks them against the schema and
 * writes them durably. Every record gets an {@link Outcome}: a bad record is rejected with its
 * field and reason, a record a filter cannot process goes to the dead-letter index, and neither
 * costs the good records beside it.
 *
 * <p>Counters ({@code llmlog.ingest.*}): received = accepted + rejected + retryable, where accepted
 * counts stored, dropped-by-filter and dead-lettered records.
 */
public final class IngestService {
  private final Pipeline calls;
  private final Pipeline quality;
  private final Pipeline steps;
  private final LogStore store;
  private final ObjectMapper json;
  private final Clock clock;
  private final RecordDecoder decoder;
  private final DocumentSchema schema;
  private final MeterRegistry meters;
  private final Counter deadLettered;
  private final Counter listenerFailures;
  private final Counter derivedStored;
  private final Counter derivedFailed;
  private volatile StoredCallsListener storedCallsListener = calls -> {};
  private volatile java.util.function.Supplier<String> pause = () -> null;

  public IngestService(
      Pipelines.Built pipelines,
      LogStore store,
      ObjectMapper json,
      LlmlogConfig.Limits limits,
      Clock clock,
      MeterRegistry meters) {
    this.calls = pipelines.calls();
    this.quality = pipelines.quality();
    this.steps = pipelines.steps();
    this.store = store;
    this.json = json;
    this.clock = clock;
    this.decoder = new RecordDecoder(json, limits.maxRecordsPerRequest());
    this.schema = new DocumentSchema(limits, clock);
    this.meters = meters;
    this.deadLettered =
        Counter.builder("llmlog.ingest.deadletter")
            .description("Records a filter could not process, stored in the dead-letter index")
            .register(meters);
    this.listenerFailures =
        Counter.builder("llmlog.ingest.listener.failures")
            .description("Batches a stored-calls listener threw on")
            .register(meters);
    this.derivedStored =
        Counter.builder("llmlog.ingest.derived")
            .tag("result", "indexed")
            .description(
                "Quality records the pipeline's evaluators derived from calls, by what became of them")
            .register(meters);
    this.derivedFailed =
        Counter.builder("llmlog.ingest.derived")
            .tag("result", "failed")
            .description(
                "Quality records the pipeline's evaluators derived from calls, by what became of them")
            .register(meters);
  }

  /**
   * Told which call records the engine stored, right after the write; the live aggregates listen.
   */
  @FunctionalInterface
  public interface StoredCallsListener {
    /**
     * Called on the ingesting thread with the call records (after the pipeline) that the engine
     * created or changed; retried records it reported as {@code noop} are left out. Must be quick.
     */
    void stored(List<Event> calls);
  }

  /** Sets the one listener of stored calls. */
  public void onStoredCalls(StoredCallsListener listener) {
    this.storedCallsListener = java.util.Objects.requireNonNull(listener, "listener");
  }

  /** The call pipeline, for its statistics. */
  public Pipeline callPipeline() {
    return calls;
  }

  /** The quality pipeline, for its statistics. */
  public Pipeline qualityPipeline() {
    return quality;
  }

  /** The step pipeline, for its statistics. */
  public Pipeline stepPipeline() {
    return steps;
  }

  /**
   * Asked before each batch: a reason (not null) refuses the whole batch with 503 and that reason,
   * before anything is written. The lifecycle's disk guard pauses ingest so.
   */
  public void pauseWhen(java.util.function.Supplier<String> reason) {
    this.pause = java.util.Objects.requireNonNull(reason, "reason");
  }

  /** A record to ingest, or why it could not even be decoded. */
  public record Item(RecordKind kind, Event event, int line, String error) {
    public static Item of(RecordKind kind, Event event) {
      return new Item(kind, event, event.line(), null);
    }

    public static Item undecodable(RecordKind kind, int line, String error) {
      return new Item(kind, null, line, error);
    }
  }

  /** Decodes a body of one kind of record into items. */
  public List<Item> decode(RecordKind kind, Body body) throws IOException {
    List<Item> items = new ArrayList<>();
    for (RecordDecoder.Decoded decoded : decoder.decode(body)) {
      items.add(
          decoded.event() != null
              ? Item.of(kind, decoded.event())
              : Item.undecodable(kind, decoded.line(), decoded.reason()));
    }
    return items;
  }

  /**
   * Ingests items; the outcomes are in the items' order.
   *
   * @param api which API received them, for the counters ({@code native}, {@code bulk})
   */
  public List<Outcome> ingest(List<Item> items, boolean waitForRefresh, String api) {
    String paused = pause.get();
    if (paused != null) {
      throw new IngestPausedException(paused);
    }
    Outcome[] outcomes = new Outcome[items.size()];
    List<Write> writes = new ArrayList<>(items.size());
    List<Integer> keptQuality = new ArrayList<>();
    prepareTraces(items);
    for (int i = 0; i < items.size(); i++) {
      Item item = items.get(i);
      if (item.event() == null) {
        outcomes[i] = Outcome.rejected(null, item.error());
        continue;
      }
      Pipeline pipeline =
          switch (item.kind()) {
            case CALL -> calls;
            case QUALITY -> quality;
            case SPAN -> steps;
          };
      Pipeline.Outcome processed = pipeline.process(item.event());
      switch (processed.kind()) {
        case DROPPED -> {
          outcomes[i] = Outcome.dropped(processed.filter());
          if (item.event().retract()) {
            retraction(item.event(), writes);
          }
        }
        case REJECTED -> outcomes[i] = Outcome.rejected(processed.field(), processed.reason());
        case FAILED ->
            writes.add(
                new Write(
                    deadLetter(item.event(), processed.filter(), processed.reason()),
                    i,
                    null,
                    false));
        case KEPT -> {
          if (item.kind() == RecordKind.QUALITY) {
            keptQuality.add(i);
            continue;
          }
          try {
            if (item.kind() == RecordKind.SPAN) {
              writes.add(new Write(spanOp(item.event()), i, null, false));
            } else {
              writes.add(new Write(callOp(item.event()), i, item.event(), false));
              derived(item.event(), writes);
            }
          } catch (InvalidFieldException e) {
            outcomes[i] = Outcome.rejected(e.field(), e.reason());
          }
        }
      }
    }
    callContext.fill(keptQuality.stream().map(i -> items.get(i).event()).toList());
    for (int i : keptQuality) {
      try {
        writes.add(new Write(qualityOp(items.get(i).event()), i, null, false));
      } catch (InvalidFieldException e) {
        outcomes[i] = Outcome.rejected(e.field(), e.reason());
      }
    }
    List<WriteResult> written =
        store.write(writes.stream().map(Write::op).toList(), waitForRefresh);
    List<Event> storedCalls = new ArrayList<>(written.size());
    for (int j = 0; j < written.size(); j++) {
      Write write = writes.get(j);
      WriteResult result = written.get(j);
      if (write.derived()) {
        (result.stored() ? derivedStored : derivedFailed).increment();
        continue;
      }
      if (write.position() < 0) {
        continue; // A retraction: whatever was stored for the dropped call is gone, or never was.
      }
      WriteOp op = write.op();
      outcomes[write.position()] =
          result.stored()
              ? Outcome.stored(op.index(), op.id(), result)
              : Outcome.engineRejected(op.index(), op.id(), result);
      if (result.stored()
          && op.index().startsWith(store.indexPrefix() + IndexFamily.DEAD_LETTERS.stem())) {
        deadLettered.increment();
      }
      if (result.stored() && write.call() != null && !"noop".equals(result.result())) {
        storedCalls.add(write.call());
      }
    }
    tellListener(storedCalls);
    List<Outcome> all = List.of(outcomes);
    count(api, all);
    return all;
  }

  /**
   * A write on its way to the engine: the item it answers ({@code position}, -1 for a retraction
   * that answers none) and the call event to pass on once stored (null for other records).
   */
  private record Write(WriteOp op, int position, Event call, boolean derived) {}

  /**
   * Fills in the call's model, service and the like on quality records that lack them, so that
   * feedback and scores group and filter by the call's fields. Given the kept quality records of a
   * batch; quick when they already carry them.
   */
  @FunctionalInterface
  public interface CallContext {
    void fill(List<Event> quality);
  }

  private volatile CallContext callContext = quality -> {};

  /** Sets what fills in the call's fields on quality records. */
  public void fillCallContext(CallContext context) {
    this.callContext = java.util.Objects.requireNonNull(context, "context");
  }

  /**
   * The quality records the pipeline's evaluators derived from a kept call, written in the same
   * bulk request. A derived record that breaks the schema is counted as failed, never costing the
   * call.
   */
  private void derived(Event call, List<Write> writes) {
    for (Event.Derived record : call.derived()) {
      try {
        writes.add(new Write(qualityOp(new Event(record.fields(), call.line())), -1, null, true));
      } catch (InvalidFieldException e) {
        derivedFailed.increment();
      }
    }
  }

  /**
   * Steps are sampled by their trace, and every record of a trace that has a failure in this batch
   * is marked before any of them is judged, so that sampling keeps such a trace whole.
   */
  private static void prepareTraces(List<Item> items) {
    List<Event> traced = new ArrayList<>();
    for (Item item : items) {
      if (item.event() == null) {
        continue;
      }
      if (item.kind() == RecordKind.SPAN
          && item.event().sampleTrace() == null
          && item.event().get("trace_id") instanceof String trace) {
        item.event().sampleByTrace(trace.toLowerCase(java.util.Locale.ROOT));
      }
      if (item.event().sampleTrace() != null) {
        traced.add(item.event());
      }
    }
    TraceSampling.markFailedTraces(traced);
  }

  /** Removes the parts of a call stored before a filter decided against the call. */
  private void retraction(Event event, List<Write> writes) {
    if (event.get("request_id") instanceof String id
        && event.get("timestamp") instanceof String time) {
      try {
        writes.add(
            new Write(
                WriteOp.delete(store.index(IndexFamily.LOGS, Timestamps.parse(time)), id),
                -1,
                null,
                false));
      } catch (InvalidFieldException unreadableTime) {
        // Nothing was stored under an unreadable time either.
      }
    }
  }

  private void tellListener(List<Event> storedCalls) {
    if (storedCalls.isEmpty()) {
      return;
    }
    try {
      storedCallsListener.stored(storedCalls);
    } catch (RuntimeException e) {
      // The records are stored and acknowledged; a listener's fault must not turn that into an
      // error.
      listenerFailures.increment();
    }
  }

  private WriteOp callOp(Event event) {
    schema.checkCall(event);
    String id = (String) event.get("request_id");
    Instant timestamp = Timestamps.parse((String) event.get("timestamp"));
    byte[] mergeSource = null;
    if (event.outcomeUnknown()) {
      // The content of a call sent apart from its span only knows when it was logged, not when the
      // call started: its time names the day of a call it creates, never overwrites the span's.
      Map<String, Object> merged = new LinkedHashMap<>(event.fields());
      merged.remove("timestamp");
      mergeSource = bytes(merged);
    }
    return new WriteOp(
        store.index(IndexFamily.LOGS, timestamp), id, bytes(event.fields()), true, mergeSource);
  }

  /** Steps are keyed by trace and span id, so that a step sent twice is stored once. */
  private WriteOp spanOp(Event event) {
    schema.checkSpan(event);
    String id = event.get("trace_id") + "-" + event.get("span_id");
    Instant timestamp = Timestamps.parse((String) event.get("timestamp"));
    return new WriteOp(store.index(IndexFamily.SPANS, timestamp), id, bytes(event.fields()), true);
  }

  /**
   * Quality records get an id derived from their content, so that a retried send stores nothing
   * twice; a record that names an {@code evaluator} (or a review {@code queue}) is kept once per
   * call and evaluator (or queue): scoring a call again replaces its score.
   */
  private WriteOp qualityOp(Event event) {
    schema.checkQuality(event);
    if (!event.has("timestamp")) {
      event.set("timestamp", Timestamps.format(clock.instant()));
    }
    byte[] source = bytes(event.fields());
    Instant timestamp = Timestamps.parse((String) event.get("timestamp"));
    String keyed = keyedId(event);
    return new WriteOp(
        store.index(IndexFamily.QUALITY, timestamp),
        keyed != null ? keyed : contentId(source),
        source,
        false);
  }

  /** The id of a record kept once per call and evaluator or queue, or null for the others. */
  static String keyedId(Event event) {
    String requestId = event.getString("request_id");
    String evaluator = event.getString("evaluator");
    if (evaluator != null) {
      return "score-" + contentId(bytesOf(requestId + "\u0000" + evaluator));
    }
    String queue = event.getString("queue");
    if (queue != null) {
      return "review-" + contentId(bytesOf(requestId + "\u0000" + queue));
    }
    return null;
  }

  private static byte[] bytesOf(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private WriteOp deadLetter(Event event, String filter, String reason) {
    Map<String, Object> letter = new LinkedHashMap<>();
    Instant now = clock.instant();
    letter.put("timestamp", Timestamps.format(now));
    letter.put("filter", filter);
    letter.put("reason", reason);
    Object requestId = event.get("request_id");
    if (requestId instanceof String id) {
      letter.put("request_id", id);
    }
    letter.put("record", new String(bytes(event.fields()), StandardCharsets.UTF_8));
    byte[] source = bytes(letter);
    return new WriteOp(
        store.index(IndexFamily.DEAD_LETTERS, now), contentId(source), source, false);
  }

  private byte[] bytes(Object value) {
    try {
      return json.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise a record", e);
    }
  }

  private static String contentId(byte[] source) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(source);
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Counts one request's records: {@code llmlog.ingest.received}, then each record once under
   * {@code llmlog.ingest.records{result, reason}} with result {@code indexed}, {@code dropped} (a
   * filter dropped it on purpose), {@code rejected} (bad record or engine refusal, by reason) or
   * {@code retryable} (engine busy or down). Tallied per request first, so a 10,000-record batch
   * touches a handful of counters.
   */
  private void count(String api, List<Outcome> outcomes) {
    meters.counter("llmlog.ingest.received", "api", api).increment(outcomes.size());
    Map<List<String>, Integer> tally = new java.util.HashMap<>();
    for (Outcome outcome : outcomes) {
      String result;
      String reason;
      if (outcome.accepted()) {
        result = outcome.write() == null ? "dropped" : "indexed";
        reason = outcome.write() == null ? "filter" : outcome.result();
      } else {
        result = outcome.retryable() ? "retryable" : "rejected";
        reason = outcome.errorType();
      }
      tally.merge(List.of(result, reason == null ? "unknown" : reason), 1, Integer::sum);
    }
    tally.forEach(
        (key, count) ->
            meters
                .counter(
                    "llmlog.ingest.records", "api", api, "result", key.get(0), "reason", key.get(1))
                .increment(count));
  }
}

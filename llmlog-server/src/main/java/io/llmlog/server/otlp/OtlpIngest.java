package io.llmlog.server.otlp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.llmlog.server.config.LlmlogConfig;
import io.llmlog.server.ingest.IngestService;
import io.llmlog.server.ingest.Outcome;
import io.llmlog.server.ingest.PayloadTooLargeException;
import io.llmlog.server.ingest.RecordKind;
import io.llmlog.server.pipeline.Event;
import io.llmlog.server.pipeline.RecentKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OTLP exports into llmlog's records: every model call becomes one call record, the steps around it
 * step records ({@link OtlpSettings.Keep} says which), and the content that arrives as log records
 * a part of its call that merges with the span in either order. Everything then goes through {@link
 * IngestService}, the pipeline and the schema as the native API's records do.
 *
 * <p>A span that cannot be read (ids of the wrong length, an end before its start) is rejected by
 * name and never costs the good spans beside it; spans this configuration does not keep are
 * accepted and dropped, as a collector's filter would.
 */
public final class OtlpIngest {
  /** How many span names a partial-success message lists before it only counts. */
  static final int NAMED = 5;

  /** How many trace and parent ids are remembered across exports. */
  static final int REMEMBERED = 100_000;

  private final IngestService ingest;
  private final OtlpSettings settings;
  private final int maxRecords;
  private final ContentMapper content;
  private final CallMapper calls;
  private final StepMapper steps;
  private final ObjectMapper json;

  /**
   * Traces with GenAI spans, for {@code genai_traces}; parents of GenAI spans, which end (and are
   * exported) after their children.
   */
  private final RecentKeys genAiTraces = new RecentKeys(REMEMBERED);

  private final RecentKeys wantedParents = new RecentKeys(REMEMBERED);
  private final Counter droppedSpans;
  private final Counter droppedLogs;

  public OtlpIngest(
      IngestService ingest,
      OtlpSettings settings,
      ObjectMapper json,
      LlmlogConfig.Limits limits,
      MeterRegistry meters) {
    this.ingest = ingest;
    this.settings = settings;
    this.json = json;
    this.maxRecords = limits.maxRecordsPerRequest();
    Mapping mapping = new Mapping(json, limits.maxMetadataKeys());
    this.content = new ContentMapper(json);
    this.calls = new CallMapper(mapping, content, json);
    this.steps = new StepMapper(mapping);
    this.droppedSpans =
        Counter.builder("llmlog.otlp.dropped")
            .tag("signal", "traces")
            .description(
                "Spans accepted but not stored: neither a model call nor a step otlp.keep keeps")
            .register(meters);
    this.droppedLogs =
        Counter.builder("llmlog.otlp.dropped")
            .tag("signal", "logs")
            .description("Log records accepted but not stored: no GenAI content")
            .register(meters);
  }

  /**
   * What became of an export: how many spans or log records were rejected and why (for {@code
   * partial_success}), and whether the rest must be sent again (engine busy or down).
   *
   * @param retryStatus 429 or 503 when some records could not be stored for now, else 0
   */
  public record Result(long rejected, String message, int retryStatus) {}

  /** Ingests a trace export. */
  public Result traces(ExportTraceServiceRequest request, boolean waitForRefresh) {
    int count = 0;
    for (ResourceSpans resource : request.getResourceSpansList()) {
      for (ScopeSpans scope : resource.getScopeSpansList()) {
        count += scope.getSpansCount();
      }
    }
    checkCount(count, "spans");
    Problems problems = new Problems("span");
    // A model call or step is mapped as it is read, so that its attributes (the messages' JSON
    // text above all) are garbage before the batch goes to the engine; only a span that is
    // neither waits for the whole export, since a model span later in it can make it a kept parent.
    List<Read> reads = new ArrayList<>(count);
    for (int r = 0; r < request.getResourceSpansCount(); r++) {
      ResourceSpans resource = request.getResourceSpans(r);
      OtlpSpan.Origin origin = origin(resource.getResource());
      for (int s = 0; s < resource.getScopeSpansCount(); s++) {
        ScopeSpans scope = resource.getScopeSpans(s);
        for (int i = 0; i < scope.getSpansCount(); i++) {
          Span span = scope.getSpans(i);
          String problem = problem(span);
          if (problem != null) {
            problems.add(
                "'"
                    + span.getName()
                    + "' at resource_spans["
                    + r
                    + "].scope_spans["
                    + s
                    + "].spans["
                    + i
                    + "]: "
                    + problem);
            continue;
          }
          OtlpSpan view = view(span, origin);
          String operation = SpanKinds.modelOperation(view.attributes(), view.name());
          String stepKind = operation == null ? SpanKinds.stepKind(view.attributes()) : null;
          if (operation == null && stepKind == null) {
            reads.add(new Undecided(view));
            continue;
          }
          genAiTraces.add(view.traceId());
          if (view.parentId() != null) {
            wantedParents.add(view.traceId() + "-" + view.parentId());
          }
          reads.add(map(view, operation, stepKind));
        }
      }
    }
    List<IngestService.Item> items = new ArrayList<>(reads.size());
    List<Label> labels = new ArrayList<>(reads.size());
    for (Read read : reads) {
      Mapped mapped =
          switch (read) {
            case Mapped done -> done;
            case Undecided undecided -> keep(undecided.span());
          };
      if (mapped == null) {
        droppedSpans.increment();
      } else if (mapped.failure() != null) {
        problems.add(mapped.label() + ": cannot be mapped: " + mapped.failure());
      } else {
        Event event = new Event(mapped.record(), items.size() + 1);
        event.sampleByTrace(mapped.label().traceId());
        items.add(IngestService.Item.of(mapped.kind(), event));
        labels.add(mapped.label());
      }
    }
    return finish(items, i -> labels.get(i).toString(), problems, waitForRefresh);
  }

  /**
   * A span that is neither a model call nor a GenAI step as a step of {@code otlp.keep}'s choice,
   * or null when it is dropped.
   */
  private Mapped keep(OtlpSpan span) {
    String stepKind =
        wantedParents.contains(span.id())
            ? "step"
            : settings.keep() == OtlpSettings.Keep.ALL
                    || (settings.keep() == OtlpSettings.Keep.GENAI_TRACES
                        && genAiTraces.contains(span.traceId()))
                ? "other"
                : null;
    return stepKind == null ? null : map(span, null, stepKind);
  }

  /** A span's record: a call when it has a model operation, else a step of this kind. */
  private Mapped map(OtlpSpan span, String operation, String stepKind) {
    Label label = new Label(span.name(), span.traceId(), span.spanId());
    try {
      return operation != null
          ? new Mapped(label, RecordKind.CALL, calls.span(span, operation), null)
          : new Mapped(label, RecordKind.SPAN, steps.span(span, stepKind), null);
    } catch (RuntimeException e) {
      return new Mapped(label, null, null, e.getMessage());
    }
  }

  /**
   * Ingests a log export: the records of GenAI content events, grouped by the span they belong to,
   * each group one part of its call. Other log records are accepted and dropped.
   */
  public Result logs(ExportLogsServiceRequest request, boolean waitForRefresh) {
    int count = 0;
    for (ResourceLogs resource : request.getResourceLogsList()) {
      for (ScopeLogs scope : resource.getScopeLogsList()) {
        count += scope.getLogRecordsCount();
      }
    }
    checkCount(count, "log records");
    Problems problems = new Problems("log record");
    Map<String, List<OtlpSpan.Event>> groups = new LinkedHashMap<>();
    Map<String, OtlpSpan.Origin> origins = new LinkedHashMap<>();
    List<OtlpSpan.Event> standalone = new ArrayList<>();
    List<OtlpSpan.Origin> standaloneOrigins = new ArrayList<>();
    for (int r = 0; r < request.getResourceLogsCount(); r++) {
      ResourceLogs resource = request.getResourceLogs(r);
      OtlpSpan.Origin origin = origin(resource.getResource());
      for (int s = 0; s < resource.getScopeLogsCount(); s++) {
        ScopeLogs scope = resource.getScopeLogs(s);
        for (int i = 0; i < scope.getLogRecordsCount(); i++) {
          LogRecord record = scope.getLogRecords(i);
          Map<String, Object> attributes = AnyValues.map(record.getAttributesList());
          String name =
              !record.getEventName().isEmpty()
                  ? record.getEventName()
                  : attributes.get("event.name") instanceof String legacy ? legacy : "";
          if (!ContentMapper.isContentEvent(name)) {
            droppedLogs.increment();
            continue;
          }
          String where =
              "'"
                  + name
                  + "' at resource_logs["
                  + r
                  + "].scope_logs["
                  + s
                  + "].log_records["
                  + i
                  + "]";
          long time =
              record.getTimeUnixNano() != 0
                  ? record.getTimeUnixNano()
                  : record.getObservedTimeUnixNano();
          OtlpSpan.Event event =
              new OtlpSpan.Event(name, time, attributes, AnyValues.value(record.getBody()));
          if (record.getTraceId().isEmpty() && record.getSpanId().isEmpty()) {
            if (name.equals(ContentMapper.DETAILS_EVENT)) {
              standalone.add(event);
              standaloneOrigins.add(origin);
            } else {
              problems.add(
                  where + ": has no trace and span id, so it cannot be joined to its call");
            }
            continue;
          }
          if (record.getTraceId().size() != 16
              || record.getSpanId().size() != 8
              || allZero(record.getTraceId())
              || allZero(record.getSpanId())) {
            problems.add(
                where
                    + ": trace_id must be 16 bytes and span_id 8 (32 and 16 hex digits in JSON), was "
                    + record.getTraceId().size()
                    + " and "
                    + record.getSpanId().size());
            continue;
          }
          if (time == 0) {
            problems.add(where + ": has no time");
            continue;
          }
          String key = hex(record.getTraceId()) + "-" + hex(record.getSpanId());
          groups.computeIfAbsent(key, k -> new ArrayList<>()).add(event);
          origins.putIfAbsent(key, origin);
        }
      }
    }
    List<IngestService.Item> items = new ArrayList<>();
    List<String> names = new ArrayList<>();
    groups.forEach(
        (key, records) -> {
          String[] ids = key.split("-");
          Event event =
              new Event(calls.logPart(ids[0], ids[1], origins.get(key), records), items.size() + 1);
          event.sampleByTrace(ids[0]);
          event.markOutcomeUnknown();
          items.add(IngestService.Item.of(RecordKind.CALL, event));
          names.add("the content of span " + ids[1] + " (trace " + ids[0] + ")");
        });
    for (int i = 0; i < standalone.size(); i++) {
      OtlpSpan.Event details = standalone.get(i);
      Map<String, Object> record =
          calls.logPart("", "", standaloneOrigins.get(i), List.of(details));
      record.remove("trace_id");
      record.remove("span_id");
      record.put("request_id", standaloneId(details, record));
      items.add(IngestService.Item.of(RecordKind.CALL, new Event(record, items.size() + 1)));
      names.add("a " + ContentMapper.DETAILS_EVENT + " record without a span");
    }
    return finish(items, names::get, problems, waitForRefresh);
  }

  /**
   * A call logged without a span: the provider's response id when there is one, else the record's
   * content.
   */
  private String standaloneId(OtlpSpan.Event details, Map<String, Object> record) {
    if (details.attributes().get("gen_ai.response.id") instanceof String responseId
        && !responseId.isBlank()) {
      return "otlp-" + responseId;
    }
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance("SHA-256").digest(json.writeValueAsBytes(record));
      return "otlp-" + HexFormat.of().formatHex(digest, 0, 16);
    } catch (java.security.NoSuchAlgorithmException
        | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * @param names the name of item i, for messages: only asked for the rejected ones
   */
  private Result finish(
      List<IngestService.Item> items,
      java.util.function.IntFunction<String> names,
      Problems problems,
      boolean waitForRefresh) {
    List<Outcome> outcomes =
        items.isEmpty() ? List.of() : ingest.ingest(items, waitForRefresh, "otlp");
    boolean throttled = false;
    boolean down = false;
    for (int i = 0; i < outcomes.size(); i++) {
      Outcome outcome = outcomes.get(i);
      if (outcome.retryable()) {
        throttled |= outcome.status() == 429;
        down |= outcome.status() != 429;
      } else if (!outcome.accepted()) {
        problems.add(
            names.apply(i)
                + ": "
                + (outcome.field() != null ? outcome.field() + " " : "")
                + outcome.reason());
      }
    }
    return new Result(problems.count, problems.message(), throttled ? 429 : down ? 503 : 0);
  }

  private void checkCount(int count, String what) {
    if (count > maxRecords) {
      throw new PayloadTooLargeException(
          "more than "
              + maxRecords
              + " "
              + what
              + " in one export (the limit limits.max_records_per_request); "
              + "lower the exporter's batch size");
    }
  }

  /** What is wrong with a span that makes it unreadable, or null. */
  private static String problem(Span span) {
    if (span.getTraceId().size() != 16 || allZero(span.getTraceId())) {
      return "trace_id must be 16 bytes, not all zero (32 hex digits in JSON), was "
          + span.getTraceId().size()
          + " bytes";
    }
    if (span.getSpanId().size() != 8 || allZero(span.getSpanId())) {
      return "span_id must be 8 bytes, not all zero (16 hex digits in JSON), was "
          + span.getSpanId().size()
          + " bytes";
    }
    if (!span.getParentSpanId().isEmpty() && span.getParentSpanId().size() != 8) {
      return "parent_span_id must be empty or 8 bytes, was "
          + span.getParentSpanId().size()
          + " bytes";
    }
    if (span.getStartTimeUnixNano() == 0) {
      return "start_time_unix_nano is not set";
    }
    if (span.getEndTimeUnixNano() < span.getStartTimeUnixNano()) {
      return "end_time_unix_nano is before start_time_unix_nano";
    }
    return null;
  }

  private OtlpSpan view(Span span, OtlpSpan.Origin origin) {
    List<OtlpSpan.Event> events = new ArrayList<>(span.getEventsCount());
    for (Span.Event event : span.getEventsList()) {
      events.add(
          new OtlpSpan.Event(
              event.getName(),
              event.getTimeUnixNano(),
              AnyValues.map(event.getAttributesList()),
              null));
    }
    String parent =
        span.getParentSpanId().isEmpty() || allZero(span.getParentSpanId())
            ? null
            : hex(span.getParentSpanId());
    return new OtlpSpan(
        hex(span.getTraceId()),
        hex(span.getSpanId()),
        parent,
        span.getName(),
        span.getStartTimeUnixNano(),
        span.getEndTimeUnixNano(),
        span.getStatus().getCodeValue(),
        span.getStatus().getMessage(),
        new Attributes(AnyValues.map(span.getAttributesList()), json),
        events,
        origin);
  }

  /**
   * A span of a trace export after the first reading: mapped, or waiting for the rest of the
   * export.
   */
  private sealed interface Read permits Mapped, Undecided {}

  /**
   * A span's record and what it is, or why it could not be mapped ({@code failure}, then no
   * record).
   */
  private record Mapped(Label label, RecordKind kind, Map<String, Object> record, String failure)
      implements Read {}

  /**
   * A span that is neither a model call nor a GenAI step: kept or not once the whole export is
   * read.
   */
  private record Undecided(OtlpSpan span) implements Read {}

  /** What names a span in a partial-success message: all that outlives its mapping. */
  private record Label(String name, String traceId, String spanId) {
    @Override
    public String toString() {
      return "'" + name + "' (trace " + traceId + ", span " + spanId + ")";
    }
  }

  private static OtlpSpan.Origin origin(Resource resource) {
    String service = null;
    String environment = null;
    for (KeyValue attribute : resource.getAttributesList()) {
      switch (attribute.getKey()) {
        case "service.name" -> service = attribute.getValue().getStringValue();
        case "deployment.environment.name" -> environment = attribute.getValue().getStringValue();
        case "deployment.environment" ->
            environment = environment != null ? environment : attribute.getValue().getStringValue();
        default -> {
          // Other resource attributes (host, process, SDK) describe the process, not the call.
        }
      }
    }
    return new OtlpSpan.Origin(
        service == null || service.isEmpty() ? null : service,
        environment == null || environment.isEmpty() ? null : environment);
  }

  private static boolean allZero(ByteString bytes) {
    for (int i = 0; i < bytes.size(); i++) {
      if (bytes.byteAt(i) != 0) {
        return false;
      }
    }
    return true;
  }

  private static String hex(ByteString bytes) {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }

  /** Rejected records: a count, and a message naming the first few. */
  private static final class Problems {
    private final String what;
    private final List<String> named = new ArrayList<>();
    private long count;

    Problems(String what) {
      this.what = what;
    }

    void add(String problem) {
      count++;
      if (named.size() < NAMED) {
        named.add(problem);
      }
    }

    String message() {
      if (count == 0) {
        return "";
      }
      String text =
          count + " " + what + (count == 1 ? "" : "s") + " rejected: " + String.join("; ", named);
      return count > named.size() ? text + "; and " + (count - named.size()) + " more" : text;
    }
  }
}

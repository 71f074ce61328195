package io.llmlog.client;

import io.llmlog.core.LlmLogEntry;
import io.llmlog.core.QualityLogEntry;
import io.llmlog.core.SpanField;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * Logs LLM calls: the brief's {@code StructuredLogger}, in Java.
 *
 * <p>{@code LlmLogger.create("llm-inference")} writes each record as one JSON line in the brief's
 * format, through SLF4J (at INFO, on a logger named after the service) when the application has an
 * SLF4J binding, else to standard output, so that existing Filebeat/Logstash setups keep working.
 * Built with an {@linkplain Builder#endpoint endpoint}, the same logger also ships every record to
 * the llmlog server.
 *
 * <pre>{@code
 * LlmLogger logger = LlmLogger.builder("llm-inference")
 *     .endpoint(URI.create("http://localhost:8080"))
 *     .apiKey(System.getenv("LLMLOG_API_KEY"))
 *     .build();
 * logger.log(entry);
 * }</pre>
 *
 * <p>{@link #log} and {@link #logQuality} never block and never throw: the caller's thread only
 * samples the record, estimates its size and queues it. Everything else (redaction, JSON encoding,
 * writing lines, HTTP) happens on a reporter thread per destination. A record that cannot be queued
 * is dropped and counted by {@link DropReason}; see {@link #shippingMetrics()} and {@link
 * #lineMetrics()}.
 *
 * <p>Thread-safe. Create one per service and {@linkplain #close close} it on shutdown, which sends
 * what is queued, within {@linkplain Builder#closeTimeout a deadline}. A logger left open is
 * flushed by a JVM shutdown hook within the same deadline ({@linkplain Builder#shutdownHook
 * opt-out}).
 */
public final class LlmLogger implements AutoCloseable {
  private static final ReporterMetrics NO_METRICS = new ReporterMetrics();

  private final String service;
  private final String environment;
  private final AsyncReporter lines;
  private final AsyncReporter shipping;
  private final Sampler sampler;
  private final Clock clock;
  private final LongSupplier nanoTime;
  private final Duration closeTimeout;
  private final LongAdder callsEndedTwice = new LongAdder();
  private final LongAdder callsNeverEnded = new LongAdder();
  private final CallContext context;
  private final Thread shutdownHook;
  private final Thread summary;
  private final AtomicBoolean warnedSampler = new AtomicBoolean();
  private final AtomicBoolean warnedInvalid = new AtomicBoolean();
  private final LongAdder integrationFailures = new LongAdder();
  private final AtomicBoolean warnedIntegration = new AtomicBoolean();

  private LlmLogger(Builder builder) {
    this.service = builder.service;
    this.environment = builder.environment;
    this.sampler = builder.sampler;
    this.clock = builder.clock;
    this.nanoTime = builder.nanoTime;
    this.closeTimeout = builder.closeTimeout();
    this.context =
        new CallContext(
            builder.environment,
            builder.mdcSessionKey,
            builder.mdcUserKey,
            builder.traceSources,
            builder.mdc);
    LineSink sink =
        !builder.linesOn
            ? null
            : builder.lines != null ? builder.lines : LineSink.forService(service);
    // Log lines land in the application's own log files, which are rarely kept as carefully as a
    // log store: they are redacted unless told otherwise. The server redacts in its pipeline.
    this.lines =
        sink == null
            ? null
            : new AsyncReporter(
                new LineSender(sink),
                builder.config(builder.lineBatchTimeout, "llmlog-reporter-lines"),
                builder.redactor != null ? builder.redactor : Redactor.pii(),
                service,
                builder.time,
                new SplittableRandom());
    Sender sender =
        builder.sender != null
            ? builder.sender
            : builder.endpoint == null
                ? null
                : new HttpSender(
                    builder.endpoint,
                    builder.apiKey,
                    builder.connectTimeout,
                    builder.requestTimeout,
                    builder.batchMaxBytes,
                    clock);
    this.shipping =
        sender == null
            ? null
            : new AsyncReporter(
                sender,
                builder.config(builder.batchTimeout, "llmlog-reporter-http"),
                builder.redactor != null ? builder.redactor : Redactor.NONE,
                service,
                builder.time,
                new SplittableRandom());
    this.shutdownHook = builder.shutdownHook ? registerShutdownHook() : null;
    this.summary =
        builder.summaryEvery == null ? null : SummaryLog.start(this, builder.summaryEvery);
  }

  /**
   * Flushes on JVM exit, within the close timeout, so that an application that forgets {@link
   * #close()} does not lose its last records. The hook holds the logger; {@link #close()} removes
   * it.
   */
  private Thread registerShutdownHook() {
    Thread hook = new Thread(() -> close(closeTimeout), "llmlog-shutdown-" + service);
    try {
      Runtime.getRuntime().addShutdownHook(hook);
      return hook;
    } catch (IllegalStateException | SecurityException shuttingDown) {
      return null;
    }
  }

  /** A logger that writes the brief's JSON lines for {@code service}, with the default limits. */
  public static LlmLogger create(String service) {
    return builder(service).build();
  }

  /**
   * A builder for a logger of {@code service}, the name written as {@code service} in every record
   * that names none.
   *
   * @throws IllegalArgumentException when {@code service} is null or blank
   */
  public static Builder builder(String service) {
    return new Builder(service);
  }

  /** The service name records are logged under. */
  public String service() {
    return service;
  }

  /**
   * Logs one call record. Never blocks, never throws: a null entry, one the sampler drops, or one
   * that finds the queue full is counted as dropped.
   */
  public void log(LlmLogEntry entry) {
    if (entry == null) {
      dropped(DropReason.INVALID);
      return;
    }
    try {
      entry = context.apply(entry);
    } catch (RuntimeException e) {
      invalid(e);
      return;
    }
    report(entry);
  }

  /** Samples and queues an entry whose context is already filled in. */
  void report(LlmLogEntry entry) {
    double weight = weight(entry);
    if (weight == 0) {
      dropped(DropReason.SAMPLED_OUT);
      return;
    }
    report(Pending.call(entry, weight));
  }

  /** Logs one quality record (a rating, feedback, scores); quality records are never sampled. */
  public void logQuality(QualityLogEntry quality) {
    if (quality == null) {
      dropped(DropReason.INVALID);
      return;
    }
    report(Pending.quality(quality));
  }

  /**
   * Starts timing a call to {@code model} with {@code prompt}. End it with {@link LlmCall#end} or
   * {@link LlmCall#fail}, which fill in latency, time to first token, generation time, tokens per
   * second, the error and the level, and log the record.
   */
  public LlmCall startCall(String model, String prompt) {
    return new LlmCall(
        this,
        model,
        prompt,
        clock.instant(),
        nanoTime,
        context.fill(LlmLogEntry.builder(), context.current()));
  }

  /**
   * Opens a step of an agent run: a tool execution, a retrieval, an agent or workflow invocation.
   * Until it is closed, calls logged on this thread (and in tasks handed to an executor wrapped by
   * {@link LlmLogContext#wrap(java.util.concurrent.Executor)}) belong to its trace with the step as
   * their parent, and steps opened inside it are its children. Closing it ships the step to the
   * server's {@code llm-spans-*} family.
   *
   * <pre>{@code
   * try (var step = logger.step("search-docs", StepKind.RETRIEVAL).retrievalQuery(question)) {
   *   ...
   * }
   * }</pre>
   *
   * <p>The step joins the trace a call made here would join: the enclosing step's, an {@link
   * LlmLogContext#trace} scope's, or the current OpenTelemetry span's (or another {@link
   * TraceSource}'s), whose span becomes its parent; with none, it starts a new trace. Ids are W3C's
   * (32 and 16 lowercase hex digits); a scope's trace id of another form is not joined. Never
   * throws: a null name is replaced by the kind's name.
   */
  public LlmStep step(String name, StepKind kind) {
    StepKind stepKind = kind == null ? StepKind.OTHER : kind;
    LlmLogContext.Values around = context.current();
    String traceId = W3cIds.valid(around.traceId(), 32);
    String parentId = traceId == null ? null : W3cIds.valid(around.parentId(), 16);
    if (traceId == null) {
      traceId = W3cIds.newTraceId();
    }
    String spanId = W3cIds.newSpanId();
    java.util.EnumMap<SpanField, Object> fields = new java.util.EnumMap<>(SpanField.class);
    fields.put(SpanField.TRACE_ID, traceId);
    fields.put(SpanField.SPAN_ID, spanId);
    if (parentId != null) {
      fields.put(SpanField.PARENT_ID, parentId);
    }
    fields.put(SpanField.NAME, name == null || name.isBlank() ? stepKind.value() : name);
    fields.put(SpanField.KIND, stepKind.value());
    fields.put(SpanField.SERVICE, service);
    putIfPresent(fields, SpanField.ENVIRONMENT, environment);
    putIfPresent(fields, SpanField.SESSION_ID, around.sessionId());
    putIfPresent(fields, SpanField.USER_ID, around.userId());
    fields.put(SpanField.SOURCE, "sdk");
    LlmLogContext.Scope scope =
        LlmLogContext.step(LlmLogContext.current().withTrace(traceId, spanId), context.traced());
    return new LlmStep(this, fields, clock.instant(), nanoTime, scope);
  }

  private static void putIfPresent(
      java.util.Map<SpanField, Object> fields, SpanField field, String value) {
    if (value != null) {
      fields.put(field, value);
    }
  }

  /** Queues a finished step for the server; the log lines carry calls and quality records only. */
  void reportStep(StepRecord step) {
    if (shipping != null) {
      shipping.report(Pending.step(step));
    }
  }

  /**
   * The session, user, trace and parent a call made now on this thread belongs to: the open {@link
   * LlmLogContext} scopes, then the MDC keys and trace sources this logger was built with.
   * Integrations read it on the caller's thread when a call starts.
   */
  public LlmLogContext.Values currentContext() {
    return context.current();
  }

  /**
   * The counters of shipping to the server. Without an endpoint nothing is shipped and every
   * counter stays 0.
   */
  public ReporterMetrics shippingMetrics() {
    return shipping == null ? NO_METRICS : shipping.metrics();
  }

  /** The counters of the JSON log lines; all 0 when lines are turned off. */
  public ReporterMetrics lineMetrics() {
    return lines == null ? NO_METRICS : lines.metrics();
  }

  /**
   * How many times {@link LlmCall#end} or {@link LlmCall#fail} was called on a call already ended.
   */
  public long callsEndedTwice() {
    return callsEndedTwice.sum();
  }

  /**
   * Calls started with {@link #startCall} that were garbage-collected without {@link LlmCall#end},
   * {@link LlmCall#fail} or {@link LlmCall#close()}: their records were never logged. Counted when
   * the garbage collector finds them, so it may lag.
   */
  public long callsNeverEnded() {
    return callsNeverEnded.sum();
  }

  /**
   * Waits until every record logged before this call is delivered or dropped, on every destination.
   *
   * @return false when {@code timeout} passed first
   */
  public boolean flush(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean done = true;
    if (lines != null) {
      done = lines.flush(timeout);
    }
    if (shipping != null) {
      done &= shipping.flush(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
    return done;
  }

  /** {@link #flush(Duration)} with the close timeout. */
  public boolean flush() {
    return flush(closeTimeout);
  }

  /**
   * Stops taking records, sends what is queued within the close timeout, and counts what it could
   * not send as {@link DropReason#SHUTDOWN} (logged at WARN when there is any). Records logged
   * after this are dropped as {@code shutdown}. Idempotent.
   */
  @Override
  public void close() {
    close(closeTimeout);
  }

  /**
   * {@link #close()} with its own deadline.
   *
   * @return the records that could not be delivered in time, over every destination
   */
  public long close(Duration timeout) {
    if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // The JVM is exiting and runs the hook anyway; closing twice is harmless.
      }
    }
    if (summary != null) {
      summary.interrupt();
    }
    // Both destinations drain side by side against one deadline.
    if (lines != null) {
      lines.startClosing(timeout);
    }
    if (shipping != null) {
      shipping.startClosing(timeout);
    }
    long undelivered = 0;
    if (lines != null) {
      undelivered += lines.close(timeout);
    }
    if (shipping != null) {
      undelivered += shipping.close(timeout);
    }
    return undelivered;
  }

  @Override
  public String toString() {
    return "LlmLogger{service="
        + service
        + (lines != null ? ", lines: " + lines.metrics() : "")
        + (shipping != null ? ", shipping: " + shipping.metrics() : "")
        + "}";
  }

  /**
   * For integrations (Spring AI, LangChain4j): their hook into a framework failed on a call. The
   * failure is counted ({@link #integrationFailures()}) and logged once, by a reporter thread; the
   * integration then lets the application's call go on untouched. Never throws.
   */
  public void integrationFailed(String integration, Throwable error) {
    integrationFailures.increment();
    if (!warnedIntegration.get()) {
      warnLater(
          warnedIntegration,
          "the " + integration + " integration failed on a call, which went on unlogged",
          error);
    }
  }

  /** How many times an integration's hook failed on a call; see {@link #integrationFailed}. */
  public long integrationFailures() {
    return integrationFailures.sum();
  }

  void callEndedTwice() {
    callsEndedTwice.increment();
  }

  void callNeverEnded() {
    callsNeverEnded.increment();
  }

  /** The one-line state of both destinations, as the periodic summary logs it. */
  String summaryLine() {
    return "llmlog "
        + service
        + ": "
        + (shipping != null ? shipping.sender() + " " + shipping.metrics() : "no server")
        + (lines != null ? "; " + lines.sender() + " " + lines.metrics() : "")
        + (callsNeverEnded.sum() > 0 ? "; calls never ended=" + callsNeverEnded.sum() : "")
        + (integrationFailures.sum() > 0
            ? "; integration failures=" + integrationFailures.sum()
            : "");
  }

  /** A record that could not be built (an {@link LlmCall} with a bad value): dropped as invalid. */
  void invalid(RuntimeException error) {
    dropped(DropReason.INVALID);
    if (!warnedInvalid.get()) {
      warnLater(warnedInvalid, "could not build a call record; dropping it (invalid)", error);
    }
  }

  private double weight(LlmLogEntry entry) {
    double weight;
    try {
      weight = sampler.weight(entry);
    } catch (RuntimeException e) {
      badSampler("threw", e);
      return 1;
    }
    if (weight >= 0 && weight < Double.POSITIVE_INFINITY) {
      return weight;
    }
    badSampler("returned " + weight, null);
    return 1;
  }

  private void badSampler(String what, RuntimeException error) {
    if (!warnedSampler.get()) {
      warnLater(
          warnedSampler, "the sampler " + what + "; keeping such records with weight 1", error);
    }
  }

  /** A WARN written by a reporter thread, not the caller's. */
  private void warnLater(AtomicBoolean once, String message, Throwable error) {
    AsyncReporter reporter = shipping != null ? shipping : lines;
    if (reporter != null) {
      reporter.warnLater(once, message, error);
    } else if (once.compareAndSet(false, true)) {
      InternalLog.warn("llmlog: " + message + " (logged once)", error); // nowhere else to run it
    }
  }

  private void report(Pending record) {
    if (lines != null) {
      lines.report(record);
    }
    if (shipping != null) {
      shipping.report(record);
    }
  }

  private void dropped(DropReason reason) {
    if (lines != null) {
      lines.reportDropped(reason);
    }
    if (shipping != null) {
      shipping.reportDropped(reason);
    }
  }

  /**
   * Configures an {@link LlmLogger}. Setters validate and throw {@link IllegalArgumentException};
   * the defaults suit a service making up to a few hundred LLM calls a second.
   */
  public static final class Builder {
    private final String service;
    private URI endpoint;
    private String apiKey;
    private boolean linesOn = true;
    private LineSink lines; // null: the default, chosen at build time
    private Redactor redactor; // null: PII-redacted lines, records shipped as they are
    private Sampler sampler = Sampler.ALWAYS;
    private int queuedMaxRecords = 10_000;
    private long queuedMaxBytes = 16L << 20;
    private int batchMaxRecords = 500;
    private int batchMaxBytes = 4 << 20;
    private Duration batchTimeout = Duration.ofSeconds(1);
    private int maxAttempts = RetryPolicy.DEFAULT.maxAttempts();
    private Duration initialBackoff = RetryPolicy.DEFAULT.initialBackoff();
    private Duration maxBackoff = RetryPolicy.DEFAULT.maxBackoff();
    private Duration retryMaxDuration = RetryPolicy.DEFAULT.maxDuration();
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Duration closeTimeout; // null: sized from queuedMaxRecords
    private boolean shutdownHook = true;
    private String environment;
    private Duration summaryEvery;
    private String mdcSessionKey;
    private String mdcUserKey;
    private final java.util.List<TraceSource> traceSources =
        new java.util.ArrayList<>(java.util.List.of(TraceSource.openTelemetry()));
    private Clock clock = Clock.systemUTC();
    private LongSupplier nanoTime = System::nanoTime;
    // For tests in this package.
    Sender sender;
    Time time = Time.SYSTEM;
    Duration lineBatchTimeout = Duration.ofMillis(100);
    UnaryOperator<String> mdc; // null: SLF4J's MDC

    Builder(String service) {
      if (service == null || service.isBlank()) {
        throw new IllegalArgumentException("service must not be blank");
      }
      this.service = service;
    }

    /**
     * The llmlog server to ship records to, such as {@code http://localhost:8080}; records are
     * posted to {@code /api/v1/logs} and {@code /api/v1/quality} under it. Without one, nothing is
     * shipped.
     */
    public Builder endpoint(URI endpoint) {
      Objects.requireNonNull(endpoint, "endpoint");
      String scheme = endpoint.getScheme();
      if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
        throw new IllegalArgumentException(
            "endpoint must be an http or https URI, was " + endpoint);
      }
      this.endpoint = endpoint;
      return this;
    }

    /** Sent as {@code Authorization: ApiKey <key>}; null sends no Authorization header. */
    public Builder apiKey(String apiKey) {
      if (apiKey != null
          && (apiKey.isBlank() || apiKey.chars().anyMatch(c -> c < 0x21 || c > 0x7e))) {
        throw new IllegalArgumentException("apiKey must be printable ASCII without spaces");
      }
      this.apiKey = apiKey;
      return this;
    }

    /** Where the JSON log lines go; by default SLF4J when bound, else stdout. */
    public Builder lines(LineSink sink) {
      this.lines = Objects.requireNonNull(sink, "sink");
      this.linesOn = true;
      return this;
    }

    /** Writes no log lines: only ships to the endpoint. */
    public Builder noLines() {
      this.linesOn = false;
      this.lines = null;
      return this;
    }

    /**
     * Rewrites records before they leave the process, for the log lines and the server alike; runs
     * on the reporter threads. By default the log lines are redacted with {@link Redactor#pii()}
     * and records go to the server as they are (its pipeline redacts with the same redactor);
     * {@code redactor(Redactor.pii())} redacts before anything leaves the application, {@code
     * redactor(Redactor.NONE)} turns the lines' redaction off.
     */
    public Builder redactor(Redactor redactor) {
      this.redactor = Objects.requireNonNull(redactor, "redactor");
      return this;
    }

    /**
     * Decides which call records are kept, on the caller's thread; by default all are. The built-in
     * error-aware policy is {@code Sampler.of(SamplingPolicy.of(0.1))}.
     */
    public Builder sampler(Sampler sampler) {
      this.sampler = Objects.requireNonNull(sampler, "sampler");
      return this;
    }

    /**
     * Records each destination holds (queued or being sent) before it drops new ones; default
     * 10,000.
     */
    public Builder queuedMaxRecords(int queuedMaxRecords) {
      this.queuedMaxRecords = positive(queuedMaxRecords, "queuedMaxRecords");
      return this;
    }

    /** Estimated bytes each destination holds before it drops new records; default 16 MiB. */
    public Builder queuedMaxBytes(long queuedMaxBytes) {
      if (queuedMaxBytes <= 0) {
        throw new IllegalArgumentException(
            "queuedMaxBytes must be positive, was " + queuedMaxBytes);
      }
      this.queuedMaxBytes = queuedMaxBytes;
      return this;
    }

    /** Records per request; default 500. */
    public Builder batchMaxRecords(int batchMaxRecords) {
      this.batchMaxRecords = positive(batchMaxRecords, "batchMaxRecords");
      return this;
    }

    /**
     * Uncompressed bytes per request; a record bigger than this is dropped as oversize; default 4
     * MiB.
     */
    public Builder batchMaxBytes(int batchMaxBytes) {
      this.batchMaxBytes = positive(batchMaxBytes, "batchMaxBytes");
      return this;
    }

    /** How long a part-filled batch waits for more records before it is sent; default 1 s. */
    public Builder batchTimeout(Duration batchTimeout) {
      this.batchTimeout = positive(batchTimeout, "batchTimeout");
      return this;
    }

    /** Sends of one batch, the first included, before it is dropped as send_failed; default 5. */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = positive(maxAttempts, "maxAttempts");
      return this;
    }

    /** The wait before the first retry, doubled on each retry, jittered; default 200 ms. */
    public Builder initialBackoff(Duration initialBackoff) {
      this.initialBackoff = positive(initialBackoff, "initialBackoff");
      return this;
    }

    /** The longest wait between two attempts, a longer Retry-After aside; default 10 s. */
    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = positive(maxBackoff, "maxBackoff");
      return this;
    }

    /**
     * How long one batch may be retried, from its first attempt; a wait (Retry-After included) that
     * would end later is not started; default 60 s.
     */
    public Builder retryMaxDuration(Duration retryMaxDuration) {
      this.retryMaxDuration = positive(retryMaxDuration, "retryMaxDuration");
      return this;
    }

    /** Default 5 s. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive(connectTimeout, "connectTimeout");
      return this;
    }

    /** How long one request may take; default 30 s. */
    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = positive(requestTimeout, "requestTimeout");
      return this;
    }

    /**
     * How long {@link LlmLogger#close()}, {@link LlmLogger#flush()} and the shutdown hook wait; by
     * default 5 s plus 2 ms per record the queue may hold (25 s for 10,000), time to send a full
     * queue to a server on a busy machine.
     */
    public Builder closeTimeout(Duration closeTimeout) {
      this.closeTimeout = positive(closeTimeout, "closeTimeout");
      return this;
    }

    /**
     * The environment ({@code prod}, {@code staging}, ...) written on every record that names none.
     */
    public Builder environment(String environment) {
      this.environment = environment;
      return this;
    }

    /**
     * Whether to flush on JVM exit, within the close timeout, when the application did not {@link
     * LlmLogger#close()} the logger; default true. Turn it off when the application closes the
     * logger in its own shutdown sequence.
     */
    public Builder shutdownHook(boolean shutdownHook) {
      this.shutdownHook = shutdownHook;
      return this;
    }

    /**
     * Logs a one-line summary of the counters of both destinations (logged, delivered, dropped by
     * reason, queued) at INFO every {@code interval}, for applications without a metrics system.
     * Off by default.
     */
    public Builder summaryEvery(Duration interval) {
      this.summaryEvery = positive(interval, "summaryEvery");
      return this;
    }

    /**
     * SLF4J MDC keys that hold the session and the user of the current request; read when a call
     * starts, for calls that no {@link LlmLogContext} scope and no record sets them for. Null
     * leaves one out.
     */
    public Builder mdcKeys(String sessionKey, String userKey) {
      this.mdcSessionKey = sessionKey;
      this.mdcUserKey = userKey;
      return this;
    }

    /**
     * Adds a source of the current trace, asked after the OpenTelemetry span (used by default when
     * the OpenTelemetry API is on the class path).
     */
    public Builder traceSource(TraceSource source) {
      traceSources.add(Objects.requireNonNull(source, "source"));
      return this;
    }

    /**
     * The wall clock for timestamps of timed calls and for Retry-After dates; default UTC system
     * clock.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The monotonic clock, in nanoseconds, that times calls; default {@link System#nanoTime()}. */
    public Builder nanoTime(LongSupplier nanoTime) {
      this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
      return this;
    }

    /**
     * Builds the logger. No thread starts until the first record is logged.
     *
     * @throws IllegalArgumentException when the retry settings contradict each other
     */
    public LlmLogger build() {
      new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, retryMaxDuration); // validates
      return new LlmLogger(this);
    }

    Duration closeTimeout() {
      return closeTimeout != null
          ? closeTimeout
          : Duration.ofSeconds(5).plusMillis(2L * queuedMaxRecords);
    }

    ReporterConfig config(Duration batchTimeout, String threadName) {
      return new ReporterConfig(
          queuedMaxRecords,
          queuedMaxBytes,
          Math.min(batchMaxRecords, queuedMaxRecords),
          batchMaxBytes,
          batchTimeout,
          new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, retryMaxDuration),
          threadName);
    }

    private static int positive(int value, String name) {
      if (value <= 0) {
        throw new IllegalArgumentException(name + " must be positive, was " + value);
      }
      return value;
    }

    private static Duration positive(Duration value, String name) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + value);
      }
      return value;
    }
  }
}

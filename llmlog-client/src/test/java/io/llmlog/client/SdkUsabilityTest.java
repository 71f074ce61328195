package io.llmlog.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmlog.core.ErrorInfo;
import io.llmlog.core.LlmLogEntry;
import io.llmlog.core.LogLevel;
import io.llmlog.core.sample.SamplingPolicy;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a new user of the SDK meets: defaults, redaction of the lines, levels, diagnostics. */
class SdkUsabilityTest {
  static final Duration WAIT = Duration.ofSeconds(10);

  final FakeSender shipped = new FakeSender();
  final List<String> lines = new CopyOnWriteArrayList<>();
  final List<LogLevel> levels = new CopyOnWriteArrayList<>();
  final List<LlmLogger> loggers = new ArrayList<>();
  final List<LogRecord> diagnostics = new CopyOnWriteArrayList<>();
  final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          diagnostics.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  // Held here: java.util.logging keeps loggers weakly, and a collected one would lose the handler.
  final Logger diagnosticsLogger = Logger.getLogger("io.llmlog.client");

  SdkUsabilityTest() {
    diagnosticsLogger.addHandler(capture);
  }

  @AfterEach
  void close() {
    loggers.forEach(LlmLogger::close);
    diagnosticsLogger.removeHandler(capture);
  }

  /** The reporter thread writes diagnostics after it counted the records: wait for them. */
  List<LogRecord> diagnosticsContaining(String text) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      List<LogRecord> found =
          diagnostics.stream().filter(record -> record.getMessage().contains(text)).toList();
      if (!found.isEmpty()) {
        return found;
      }
      Thread.sleep(10);
    }
    return List.of();
  }

  LlmLogger logger(LlmLogger.Builder builder) {
    builder.sender = shipped;
    LlmLogger logger =
        builder
            .lines(
                new LineSink() {
                  @Override
                  public void write(String line) {
                    write(line, LogLevel.INFO);
                  }

                  @Override
                  public void write(String line, LogLevel level) {
                    lines.add(line);
                    levels.add(level);
                  }
                })
            .shutdownHook(false)
            .build();
    loggers.add(logger);
    return logger;
  }

  static LlmLogEntry withPii() {
    return LlmLogEntry.builder()
        .model("gpt-4o")
        .prompt("mail me at zhang.wei@example.com or call 13812345678")
        .response("ok")
        .build();
  }

  @Test
  void log_defaults_redactLinesButShipAsIsForTheServerToRedact() {
    LlmLogger logger = logger(LlmLogger.builder("svc"));

    logger.log(withPii());
    assertThat(logger.flush(WAIT)).isTrue();

    Map<String, Object> line = JsonTree.object(lines.get(0));
    assertThat((String) line.get("prompt")).isEqualTo("mail me at [EMAIL] or call [PHONE]");
    assertThat(line).containsEntry("redacted", List.of("email", "phone"));
    Map<String, Object> document = JsonTree.object(shipped.records().get(0));
    assertThat((String) document.get("prompt")).contains("zhang.wei@example.com");
    assertThat(document).doesNotContainKey("redacted");
  }

  @Test
  void log_piiRedactor_redactsAndMarksWhatLeavesTheApplication() {
    LlmLogger logger = logger(LlmLogger.builder("svc").redactor(Redactor.pii()));

    logger.log(withPii());
    assertThat(logger.flush(WAIT)).isTrue();

    Map<String, Object> document = JsonTree.object(shipped.records().get(0));
    assertThat((String) document.get("prompt")).isEqualTo("mail me at [EMAIL] or call [PHONE]");
    assertThat(document).containsEntry("redacted", List.of("email", "phone"));
  }

  @Test
  void log_customRedactorThatChangedTheRecord_marksItCustom() {
    LlmLogger logger =
        logger(
            LlmLogger.builder("svc")
                .redactor(entry -> entry.toBuilder().prompt("[hidden]").build()));

    logger.log(withPii());
    assertThat(logger.flush(WAIT)).isTrue();

    assertThat(JsonTree.object(shipped.records().get(0)))
        .containsEntry("prompt", "[hidden]")
        .containsEntry("redacted", List.of("custom"));
  }

  @Test
  void log_builtInSamplingPolicy_keepsErrorsAndWeighsKeptSuccesses() {
    LlmLogger logger = logger(LlmLogger.builder("svc").sampler(Sampler.of(SamplingPolicy.of(0.1))));

    for (int i = 0; i < 1000; i++) {
      logger.log(LlmLogEntry.builder().requestId("r-" + i).model("m").build());
    }
    logger.log(
        LlmLogEntry.builder()
            .requestId("failed")
            .model("m")
            .error(new ErrorInfo("timeout", "read timed out"))
            .build());
    assertThat(logger.flush(WAIT)).isTrue();

    long kept = shipped.records().size();
    assertThat(kept).isBetween(60L, 140L); // ~10% of 1000 by the request-id hash, plus the error
    assertThat(shipped.records())
        .anySatisfy(
            record ->
                assertThat(record)
                    .contains("\"request_id\":\"failed\"")
                    .doesNotContain("sample_weight"));
    assertThat(shipped.records())
        .filteredOn(record -> !record.contains("\"failed\""))
        .allSatisfy(record -> assertThat(record).contains("\"sample_weight\":10.0"));
    assertThat(logger.shippingMetrics().dropped(DropReason.SAMPLED_OUT)).isEqualTo(1001 - kept);
  }

  @Test
  void log_failedCall_lineIsAnErrorWithItsError() {
    LlmLogger logger = logger(LlmLogger.builder("svc"));

    logger.startCall("gpt-4o", "hi").fail(new IllegalStateException("model overloaded"));
    logger.log(LlmLogEntry.builder().model("gpt-4o").level(LogLevel.WARNING).build());
    assertThat(logger.flush(WAIT)).isTrue();

    assertThat(levels).containsExactly(LogLevel.ERROR, LogLevel.WARNING);
    assertThat(JsonTree.object(lines.get(0)))
        .containsEntry("level", "error")
        .containsEntry(
            "error",
            Map.of("type", "java.lang.IllegalStateException", "message", "model overloaded"));
  }

  @Test
  void slf4jLineSink_levels_mapToSlf4jLevels() {
    // Without a binding SLF4J falls back to NOP; this checks the dispatch compiles against the API
    // and does not throw for every level.
    LineSink sink = LineSink.slf4j("svc");
    for (LogLevel level : LogLevel.values()) {
      sink.write("{}", level);
    }
    assertThat(sink.toString()).startsWith("slf4j:");
  }

  @Test
  void closeTimeout_default_isSizedFromTheQueue() {
    assertThat(LlmLogger.builder("svc").closeTimeout()).isEqualTo(Duration.ofSeconds(25));
    assertThat(LlmLogger.builder("svc").queuedMaxRecords(100_000).closeTimeout())
        .isEqualTo(Duration.ofSeconds(205));
    assertThat(LlmLogger.builder("svc").closeTimeout(Duration.ofSeconds(2)).closeTimeout())
        .isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void startCall_closedWithoutEnd_isLoggedAsFailed() {
    LlmLogger logger = logger(LlmLogger.builder("svc"));

    try (LlmCall call = logger.startCall("gpt-4o", "hi")) {
      call.userId("u-1");
      // an exception would leave the block here, before end()
    }
    try (LlmCall call = logger.startCall("gpt-4o", "hi again")) {
      call.end("hello", 2, 1, "stop");
    }
    assertThat(logger.flush(WAIT)).isTrue();

    List<Map<String, Object>> records = shipped.records().stream().map(JsonTree::object).toList();
    assertThat(records.get(0)).containsEntry("level", "error").containsEntry("user_id", "u-1");
    assertThat(records.get(0).get("error"))
        .isEqualTo(
            Map.of(
                "type",
                "not_ended",
                "message",
                "the call was closed without end() or fail(), as when an exception left its block"));
    assertThat(records.get(1)).containsEntry("level", "info").containsEntry("response", "hello");
    assertThat(logger.callsEndedTwice()).isZero();
  }

  @Test
  void startCall_neverEnded_isCountedOnceCollected() throws InterruptedException {
    LlmLogger logger = logger(LlmLogger.builder("svc"));

    for (int i = 0; i < 3; i++) {
      logger.startCall("gpt-4o", "forgotten " + i);
    }
    logger.startCall("gpt-4o", "ended").end("ok", 1, 1, "stop");
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (logger.callsNeverEnded() < 3 && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(20);
    }

    assertThat(logger.callsNeverEnded()).isEqualTo(3);
    assertThat(logger.summaryLine()).contains("calls never ended=3");
  }

  @Test
  void send_serverDown_warnsInOneLineWithoutAStackTrace() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    LlmLogger logger =
        LlmLogger.builder("svc")
            .noLines()
            .shutdownHook(false)
            .endpoint(URI.create("http://127.0.0.1:" + port))
            .maxAttempts(1)
            .build();
    loggers.add(logger);

    logger.log(withPii());
    assertThat(logger.flush(WAIT)).isTrue();

    assertThat(logger.shippingMetrics().dropped(DropReason.SEND_FAILED)).isEqualTo(1);
    LogRecord warning = diagnosticsContaining("could not send").get(0);
    assertThat(warning.getThrown()).isNull();
    assertThat(warning.getMessage())
        .contains("java.net.ConnectException")
        .contains("is the server running?")
        .doesNotContain("\n");
  }

  @Test
  void summaryEvery_interval_logsTheCountersInOneLine() throws InterruptedException {
    LlmLogger logger = logger(LlmLogger.builder("svc").summaryEvery(Duration.ofMillis(50)));

    logger.log(LlmLogEntry.builder().model("m").build());
    logger.flush(WAIT);

    LogRecord summary = diagnosticsContaining("llmlog svc: fake logged=1 delivered=1").get(0);
    assertThat(summary.getLevel()).isEqualTo(java.util.logging.Level.INFO);
    assertThat(summary.getMessage()).doesNotContain("\n").contains("lines(");
  }

  @Test
  void log_queueFull_warningNamesTheDestination() throws InterruptedException {
    java.util.concurrent.CountDownLatch sending = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    shipped.blockNextSend(
        sending, release); // the record being sent keeps the one-record queue full
    LlmLogger logger = logger(LlmLogger.builder("svc").queuedMaxRecords(1));

    logger.log(LlmLogEntry.builder().model("m").build());
    assertThat(sending.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    for (int i = 0; i < 4; i++) {
      logger.log(LlmLogEntry.builder().model("m").build());
    }

    assertThat(logger.shippingMetrics().dropped(DropReason.QUEUE_FULL)).isEqualTo(4);
    release.countDown(); // the reporter thread writes the warning once its send returns

    assertThat(diagnosticsContaining("the queue to fake is full")).isNotEmpty();
  }
}

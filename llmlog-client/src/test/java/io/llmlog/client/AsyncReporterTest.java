package io.llmlog.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmlog.client.Sender.SendOutcome;
import io.llmlog.core.QualityLogEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AsyncReporterTest {
  static final Duration LONG = Duration.ofHours(1);
  static final Duration WAIT = Duration.ofSeconds(10);

  final FakeSender sender = new FakeSender();
  final FakeTime time = new FakeTime();
  final List<AsyncReporter> reporters = new ArrayList<>();

  @AfterEach
  void closeReporters() {
    reporters.forEach(reporter -> reporter.close(Duration.ofSeconds(1)));
  }

  AsyncReporter reporter(
      int queuedMaxRecords, long queuedMaxBytes, int batchMaxRecords, Redactor redactor) {
    return reporter(
        new ReporterConfig(
            queuedMaxRecords,
            queuedMaxBytes,
            batchMaxRecords,
            Integer.MAX_VALUE,
            LONG,
            new RetryPolicy(
                3, Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofSeconds(60)),
            "llmlog-reporter-test"),
        redactor);
  }

  AsyncReporter reporter(ReporterConfig config, Redactor redactor) {
    AsyncReporter reporter =
        new AsyncReporter(sender, config, redactor, "svc", time, new SplittableRandom(42));
    reporters.add(reporter);
    return reporter;
  }

  AsyncReporter reporter() {
    return reporter(1000, 1 << 20, 100, Redactor.NONE);
  }

  static Pending call(int n) {
    return Pending.call(Entries.numbered(n, 10), 1);
  }

  static void assertCountsAddUp(ReporterMetrics metrics) {
    assertThat(metrics.logged())
        .isEqualTo(metrics.delivered() + metrics.dropped() + metrics.queuedRecords());
  }

  @Test
  void report_queuedMaxRecords_dropsWhenOverqueuing() {
    AsyncReporter reporter = reporter(2, 1 << 20, 100, Redactor.NONE);

    for (int i = 0; i < 3; i++) {
      reporter.report(call(i));
    }

    ReporterMetrics metrics = reporter.metrics();
    assertThat(metrics.logged()).isEqualTo(3);
    assertThat(metrics.queuedRecords()).isEqualTo(2);
    assertThat(metrics.dropped(DropReason.QUEUE_FULL)).isEqualTo(1);
    assertThat(reporter.flush(WAIT)).isTrue();
    assertThat(metrics.delivered()).isEqualTo(2);
    assertThat(sender.records()).hasSize(2);
    assertCountsAddUp(metrics);
  }

  @Test
  void report_queuedMaxBytes_dropsWhenOverqueuing() {
    Pending record = call(0);
    AsyncReporter reporter = reporter(100, 2L * record.estimatedBytes + 1, 100, Redactor.NONE);

    for (int i = 0; i < 3; i++) {
      reporter.report(call(i));
    }

    ReporterMetrics metrics = reporter.metrics();
    assertThat(metrics.queuedRecords()).isEqualTo(2);
    assertThat(metrics.queuedBytes()).isEqualTo(2L * record.estimatedBytes);
    assertThat(metrics.dropped(DropReason.QUEUE_FULL)).isEqualTo(1);
    assertCountsAddUp(metrics);
  }

  @Test
  void report_recordBiggerThanQueuedMaxBytes_dropsOversize() {
    AsyncReporter reporter = reporter(100, 1000, 100, Redactor.NONE);

    reporter.report(Pending.call(Entries.numbered(0, 2000), 1));

    assertThat(reporter.metrics().dropped(DropReason.OVERSIZE)).isEqualTo(1);
    assertThat(reporter.metrics().queuedRecords()).isZero();
    assertCountsAddUp(reporter.metrics());
  }

  @Test
  void report_noRecordYet_startsNoThread_thenANamedDaemon() {
    AsyncReporter reporter = reporter();
    assertThat(reporter.thread()).isNull();

    reporter.report(call(0));

    assertThat(reporter.thread()).isNotNull();
    assertThat(reporter.thread().getName()).isEqualTo("llmlog-reporter-test");
    assertThat(reporter.thread().isDaemon()).isTrue();
  }

  @Test
  void flush_moreThanABatch_sendsBatchesOfAtMostBatchMaxRecordsInOrder() {
    AsyncReporter reporter = reporter(1000, 1 << 20, 10, Redactor.NONE);

    for (int i = 0; i < 25; i++) {
      reporter.report(call(i));
    }
    assertThat(reporter.flush(WAIT)).isTrue();

    assertThat(sender.batches())
        .allSatisfy(batch -> assertThat(batch.records()).hasSizeLessThanOrEqualTo(10));
    List<String> ids =
        sender.records().stream()
            .map(record -> (String) JsonTree.object(record).get("request_id"))
            .toList();
    assertThat(ids).hasSize(25).first().isEqualTo("req-0");
    assertThat(ids).last().isEqualTo("req-24");
    assertThat(reporter.metrics().delivered()).isEqualTo(25);
    assertCountsAddUp(reporter.metrics());
  }

  @Test
  void send_batchOverMessageMaxBytes_cutsRequestsByEncodedSize() {
    sender.messageMaxBytes(1000);
    AsyncReporter reporter = reporter();

    for (int i = 0; i < 20; i++) {
      reporter.report(call(i));
    }
    assertThat(reporter.flush(WAIT)).isTrue();

    assertThat(sender.batches())
        .hasSizeGreaterThan(1)
        .allSatisfy(
            batch ->
                assertThat(
                        batch.records().stream()
                            .mapToInt(
                                record ->
                                    record.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                                        + 1)
                            .sum())
                    .isLessThanOrEqualTo(1000));
    assertThat(sender.records()).hasSize(20);
    assertThat(reporter.metrics().delivered()).isEqualTo(20);
  }

  @Test
  void send_recordBiggerThanARequest_dropsOversize() {
    sender.messageMaxBytes(500);
    AsyncReporter reporter = reporter();

    reporter.report(Pending.call(Entries.numbered(0, 600), 1));
    reporter.report(call(1));
    assertThat(reporter.flush(WAIT)).isTrue();

    assertThat(reporter.metrics().dropped(DropReason.OVERSIZE)).isEqualTo(1);
    assertThat(reporter.metrics().delivered()).isEqualTo(1);
    assertCountsAddUp(reporter.metrics());
  }

  @Test
  void send_retryThenDelivered_waitsAJitteredExponentialBackoff() {
    sender.thenAnswer(
        new SendOutcome.Retry("HTTP 503", null, null),
        new SendOutcome.Retry("HTTP 503", null, null));
    AsyncReporter reporter = reporter();

    reporter.report(call(0));
    assertThat(reporter.flush(WAIT)).isTrue();

    assertThat(sender.batches()).hasSize(3);
    assertThat(time.sleeps()).hasSize(2);
    assertThat(time.sleeps().get(0)).isBetween(ms(100), ms(200));
    assertThat(time.sleeps().get(1)).isBetween(ms(200), ms(400));
    assertThat(reporter.metrics().delivered()).isEqualTo(1);
    assertThat(reporter.metrics().retries()).isEqualTo(2);
    assertThat(reporter.metrics().dropped()).isZero();
  }

  @Test
  void send_retryAfterLongerThanBackoff_waitsRetryAfter() {
    sender.thenAnswer(new SendOutcome.Retry("HTTP 429", Duration.ofSeconds(30), null));
    AsyncReporter reporter = reporter();

    reporter.report(call(0));
    assertThat(reporter.flush(WAIT)).isTrue();

    assertThat(time.sleeps()).containsExactly(TimeUnit.SECONDS.toNanos(30));
    assertThat(reporter.metrics().delivered()).isEqualTo(1);
  }

  @Test
  void send_retryAfterBeyondRetryBudget_dropsSendFailedWithoutWaiting() {
    sender.thenAnswer(new SendOutcome.Retry("HTTP 503", Duration.ofSeconds(120), null));
    AsyncReporter reporter = reporter();

    reporter.report(call(0));
    assertThat(reporter.flush(WAIT)).isTrue();

    assertThat(time.sleeps()).isEmpty();
    assertThat(sender.batches()).hasSize(1);
    assertThat(reporter.metrics().retries()).isZero();
    assertThat(reporter.metrics().dropped(DropReason.SEND_FAILED)).isEqualTo(1);
    assertCountsAddUp(reporter.metrics());
  }

  @Test
  void send_retryEveryTime_givesUpAfterMaxAttempts() {
    sender.answerWith(batch -> new SendOutcome.Retry("connection refused", null, null));
    AsyncReporter reporter = reporter();

    reporter.report(call(0));
    reporter.report(call(1));
    assertThat(reporter.flush(WAIT)).isTrue();

    assertThat(sender.batches()).hasSize(3); // maxAttempts
    assertThat(time.sleeps()).hasSize(2);
    assertThat(reporter.metrics().retries()).isEqualTo(2);
    assertThat(reporter.metrics().dropped(DropReason.SEND_FAILED)).isEqualTo(2);
    assertCountsAddUp(reporter.metrics());
  }

  @Test
  void send_fail_isNotRetried() {
    sender.thenAnswer(new SendOutcome.Fail("HTTP 400: bad", null));
    AsyncReporter reporter = reporter();

    reporter.report(call(0));
    assertThat(reporter.flush(WAIT)).isTrue();

    assertThat(sender.batches()).hasSize(1);
    assertThat(time.sleeps()).isEmpty();
    assertThat(reporter.metrics().dropped(DropReason.SEND_FAILED)).isEqualTo(1);
  }

  @Test
  void send_tooLarge_retriesHalvesUntilTheyFit() {
    sender.answerWith(
        batch ->
            batch.records().size() > 2
                ? new SendOutcome.TooLarge("HTTP 413")
                : SendOutcome.Delivered.ALL);
    AsyncReporter reporter = reporter();

    for (int i = 0; i < 5; i++) {
      reporter.report(call(i));
    }
    assertThat(reporter.flush(WAIT)).isTrue();

    assertThat(sender.batches())
        .extracting(batch -> batch.records().size())
        .containsExactly(5, 2, 3, 1, 2);
    assertThat(reporter.metrics().delivered()).isEqualTo(5);
    assertThat(reporter.metrics().dropped()).isZero();
  }

  @Test
  void send_tooLargeForASingleRecord_dropsOversize() {
    sender.answerWith(batch -> new SendOutcome.TooLarge("HTTP 413"));
    AsyncReporter reporter = reporter();

    reporter.report(call(0));
    reporter.report(call(1));
    assertThat(reporter.flush(WAIT)).isTrue();

    assertThat(sender.batches())
        .extracting(batch -> batch.records().size())
        .containsExactly(2, 1, 1);
    assertThat(reporter.metrics().dropped(DropReason.OVERSIZE)).isEqualTo(2);
    assertCountsAddUp(reporter.metrics());
  }

  @Test
  void send_deliveredWithRejections_countsThemRejected() {
    sender.thenAnswer(
        new SendOutcome.Delivered(2, 0, "line 3, field temperature: must be between 0 and 2"));
    AsyncReporter reporter = reporter();

    for (int i = 0; i < 5; i++) {
      reporter.report(call(i));
    }
    assertThat(reporter.flush(WAIT)).isTrue();

    assertThat(reporter.metrics().delivered()).isEqualTo(3);
    assertThat(reporter.metrics().dropped(DropReason.REJECTED)).isEqualTo(2);
    assertCountsAddUp(reporter.metrics());
  }

  @Test
  void send_qualityRecord_goesInItsOwnBatch() {
    AsyncReporter reporter = reporter();

    reporter.report(call(0));
    reporter.report(Pending.quality(QualityLogEntry.rating(Entries.NOW, "req-0", 5)));
    assertThat(reporter.flush(WAIT)).isTrue();

    assertThat(sender.batches())
        .extracting(FakeSender.Batch::kind)
        .containsExactly(RecordKind.CALL, RecordKind.QUALITY);
    assertThat(JsonTree.object(sender.batches().get(1).records().get(0)))
        .containsEntry("rating", 5L);
  }

  @Test
  void encode_redactor_rewritesTheRecordBeforeItIsSent() {
    Redactor masking = entry -> entry.toBuilder().prompt("[redacted]").build();
    AsyncReporter reporter = reporter(1000, 1 << 20, 100, masking);

    reporter.report(Pending.call(Entries.brief(), 1));
    assertThat(reporter.flush(WAIT)).isTrue();

    assertThat(JsonTree.object(sender.records().get(0))).containsEntry("prompt", "[redacted]");
  }

  @Test
  void encode_redactorThrowsOrReturnsNull_dropsRedactFailed() {
    Redactor broken =
        entry -> {
          if (entry.requestId().equals("req-0")) {
            throw new IllegalStateException("boom");
          }
          return entry.requestId().equals("req-1") ? null : entry;
        };
    AsyncReporter reporter = reporter(1000, 1 << 20, 100, broken);

    for (int i = 0; i < 3; i++) {
      reporter.report(call(i));
    }
    assertThat(reporter.flush(WAIT)).isTrue();

    assertThat(reporter.metrics().dropped(DropReason.REDACT_FAILED)).isEqualTo(2);
    assertThat(sender.records()).hasSize(1).first().asString().contains("req-2");
    assertCountsAddUp(reporter.metrics());
  }

  @Test
  void close_idle_deliversEverythingQueued() {
    AsyncReporter reporter = reporter();

    for (int i = 0; i < 250; i++) {
      reporter.report(call(i));
    }
    long undelivered = reporter.close(WAIT);

    assertThat(undelivered).isZero();
    assertThat(reporter.metrics().delivered()).isEqualTo(250);
    assertThat(reporter.metrics().queuedRecords()).isZero();
    assertThat(sender.closed).isTrue();
  }

  @Test
  void close_sendStuck_countsTheCutOffBatchAsUnknownAndTheRestAsShutdown()
      throws InterruptedException {
    CountDownLatch entered = new CountDownLatch(1);
    sender.blockNextSend(
        entered, new CountDownLatch(1)); // never released: only an interrupt ends it
    AsyncReporter reporter = reporter(1000, 1 << 20, 10, Redactor.NONE);

    for (int i = 0; i < 10; i++) {
      reporter.report(call(i));
    }
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    for (int i = 10; i < 25; i++) {
      reporter.report(call(i));
    }
    long undelivered = reporter.close(Duration.ofMillis(200));

    ReporterMetrics metrics = reporter.metrics();
    assertThat(undelivered).isEqualTo(25);
    // The batch in flight may have reached the receiver: neither delivered nor dropped.
    assertThat(metrics.unknown()).isEqualTo(10);
    assertThat(metrics.dropped(DropReason.SHUTDOWN)).isEqualTo(15);
    assertThat(metrics.queuedRecords()).isZero();
    assertThat(metrics.queuedBytes()).isZero();
    assertThat(metrics.logged())
        .isEqualTo(metrics.delivered() + metrics.dropped() + metrics.unknown());
  }

  @Test
  void report_afterClose_dropsShutdown() {
    AsyncReporter reporter = reporter();
    reporter.close(WAIT);

    reporter.report(call(0));

    assertThat(reporter.metrics().dropped(DropReason.SHUTDOWN)).isEqualTo(1);
    assertThat(reporter.thread()).isNull();
  }

  @Test
  void report_manyThreadsAgainstASmallQueue_countsAddUpExactlyAfterClose()
      throws InterruptedException {
    AsyncReporter reporter =
        reporter(
            new ReporterConfig(
                500,
                64 << 10,
                50,
                Integer.MAX_VALUE,
                Duration.ofMillis(1),
                RetryPolicy.DEFAULT,
                "llmlog-reporter-test"),
            Redactor.NONE);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int offset = t * 10_000;
      threads.add(
          new Thread(
              () -> {
                for (int i = 0; i < 10_000; i++) {
                  reporter.report(call(offset + i));
                }
              }));
    }
    threads.forEach(Thread::start);
    for (Thread thread : threads) {
      thread.join();
    }
    reporter.close(WAIT);

    ReporterMetrics metrics = reporter.metrics();
    assertThat(metrics.logged()).isEqualTo(40_000);
    assertThat(metrics.queuedRecords()).isZero();
    assertThat(metrics.delivered()).isEqualTo(sender.records().size());
    assertThat(metrics.logged()).isEqualTo(metrics.delivered() + metrics.dropped());
    assertThat(metrics.dropped())
        .isEqualTo(metrics.dropped(DropReason.QUEUE_FULL) + metrics.dropped(DropReason.SHUTDOWN));
  }

  static long ms(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }
}

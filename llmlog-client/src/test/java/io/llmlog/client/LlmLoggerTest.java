package io.llmlog.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmlog.core.QualityLogEntry;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LlmLoggerTest {
  static final Duration WAIT = Duration.ofSeconds(10);

  final FakeSender shipped = new FakeSender();
  final List<String> lines = new CopyOnWriteArrayList<>();
  LlmLogger logger;

  @AfterEach
  void close() {
    if (logger != null) {
      logger.close();
    }
  }

  LlmLogger logger(Sampler sampler) {
    LlmLogger.Builder builder = LlmLogger.builder("svc").lines(lines::add).sampler(sampler);
    builder.sender = shipped;
    logger = builder.build();
    return logger;
  }

  @Test
  void log_record_goesToLinesAndToTheServer() {
    logger(Sampler.ALWAYS).log(Entries.numbered(1, 10));

    assertThat(logger.flush(WAIT)).isTrue();
    assertThat(lines).hasSize(1);
    assertThat(JsonTree.object(lines.get(0)))
        .containsKey("metrics")
        .containsEntry("service", "svc");
    assertThat(shipped.records()).hasSize(1);
    assertThat(JsonTree.object(shipped.records().get(0)))
        .containsEntry("request_id", "req-1")
        .containsEntry("service", "svc")
        .doesNotContainKey("metrics")
        .doesNotContainKey("sample_weight");
    assertThat(logger.lineMetrics().delivered()).isEqualTo(1);
    assertThat(logger.shippingMetrics().delivered()).isEqualTo(1);
  }

  @Test
  void log_null_countsAnInvalidDropAndDoesNotThrow() {
    logger(Sampler.ALWAYS).log(null);
    logger.logQuality(null);

    for (ReporterMetrics metrics : List.of(logger.lineMetrics(), logger.shippingMetrics())) {
      assertThat(metrics.logged()).isEqualTo(2);
      assertThat(metrics.dropped(DropReason.INVALID)).isEqualTo(2);
    }
  }

  @Test
  void log_samplerWeightZero_countsSampledOut() {
    logger(entry -> 0).log(Entries.numbered(1, 10));

    assertThat(logger.flush(WAIT)).isTrue();
    assertThat(logger.shippingMetrics().dropped(DropReason.SAMPLED_OUT)).isEqualTo(1);
    assertThat(logger.shippingMetrics().logged()).isEqualTo(1);
    assertThat(logger.lineMetrics().dropped(DropReason.SAMPLED_OUT)).isEqualTo(1);
    assertThat(shipped.records()).isEmpty();
    assertThat(lines).isEmpty();
  }

  @Test
  void log_samplerWeightTen_shipsSampleWeightAsTheLastField() {
    logger(entry -> 10).log(Entries.numbered(1, 10));

    assertThat(logger.flush(WAIT)).isTrue();
    var document = JsonTree.object(shipped.records().get(0));
    assertThat(document).containsEntry("sample_weight", 10.0);
    assertThat(List.copyOf(document.keySet())).last().isEqualTo("sample_weight");
    assertThat(JsonTree.object(lines.get(0))).containsEntry("sample_weight", 10.0);
  }

  @Test
  void log_samplerThrowsOrReturnsNaN_keepsTheRecordWithWeightOne() {
    logger(
        entry -> {
          if (entry.requestId().equals("req-1")) {
            throw new IllegalStateException("boom");
          }
          return Double.NaN;
        });

    logger.log(Entries.numbered(1, 10));
    logger.log(Entries.numbered(2, 10));

    assertThat(logger.flush(WAIT)).isTrue();
    assertThat(shipped.records())
        .hasSize(2)
        .allSatisfy(record -> assertThat(record).doesNotContain("sample_weight"));
  }

  @Test
  void logQuality_isShippedToTheQualityEndpointAndNeverSampled() {
    logger(entry -> 0).logQuality(QualityLogEntry.rating(Entries.NOW, "req-1", 4));

    assertThat(logger.flush(WAIT)).isTrue();
    assertThat(shipped.batches())
        .singleElement()
        .extracting(FakeSender.Batch::kind)
        .isEqualTo(RecordKind.QUALITY);
    assertThat(JsonTree.object(lines.get(0)))
        .containsEntry("request_id", "req-1")
        .containsEntry("rating", 4L);
  }

  @Test
  void log_afterClose_countsShutdown() {
    logger(Sampler.ALWAYS).close();

    logger.log(Entries.numbered(1, 10));

    assertThat(logger.shippingMetrics().dropped(DropReason.SHUTDOWN)).isEqualTo(1);
    assertThat(logger.lineMetrics().dropped(DropReason.SHUTDOWN)).isEqualTo(1);
  }

  @Test
  void close_withRecordsQueued_deliversThemToEveryDestination() {
    logger(Sampler.ALWAYS);
    for (int i = 0; i < 100; i++) {
      logger.log(Entries.numbered(i, 10));
    }

    assertThat(logger.close(WAIT)).isZero();

    assertThat(lines).hasSize(100);
    assertThat(shipped.records()).hasSize(100);
  }

  @Test
  void noLines_shipsOnly() {
    LlmLogger.Builder builder = LlmLogger.builder("svc").noLines();
    builder.sender = shipped;
    logger = builder.build();

    logger.log(Entries.numbered(1, 10));

    assertThat(logger.flush(WAIT)).isTrue();
    assertThat(shipped.records()).hasSize(1);
    assertThat(logger.lineMetrics().logged()).isZero();
  }

  @Test
  void builder_badSettings_throw() {
    assertThatThrownBy(() -> LlmLogger.builder(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LlmLogger.builder("svc").endpoint(URI.create("ftp://host/")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LlmLogger.builder("svc").apiKey("has space"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LlmLogger.builder("svc").queuedMaxRecords(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LlmLogger.builder("svc").queuedMaxBytes(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LlmLogger.builder("svc").batchTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> LlmLogger.builder("svc").initialBackoff(Duration.ofSeconds(20)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxBackoff");
  }
}

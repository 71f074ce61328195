package io.llmlog.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmlog.core.InvalidFieldException;
import io.llmlog.core.LlmLogEntry;
import io.llmlog.core.QualityLogEntry;
import io.llmlog.core.Texts;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LlmLogJsonTest {
  private static final long SEED = 0x11_6d_10_65L;

  @Test
  void document_randomEntries_roundTripExactly() {
    RandomEntries random = new RandomEntries(SEED);
    for (int i = 0; i < 2_000; i++) {
      LlmLogEntry entry = random.entry();
      String json = LlmLogJson.document(entry);
      assertThat(LlmLogJson.read(json))
          .as("seed %s, entry %s: %s", SEED, i, json.length() > 300 ? json.substring(0, 300) : json)
          .isEqualTo(entry);
    }
  }

  @Test
  void qualityDocument_randomRecords_roundTripExactly() {
    RandomEntries random = new RandomEntries(SEED + 1);
    for (int i = 0; i < 2_000; i++) {
      QualityLogEntry quality = random.quality();
      assertThat(LlmLogJson.readQuality(LlmLogJson.qualityDocument(quality))).isEqualTo(quality);
    }
  }

  @Test
  void briefLine_randomEntries_readBackKeepsTheBriefsFields() {
    RandomEntries random = new RandomEntries(SEED + 2);
    for (int i = 0; i < 1_000; i++) {
      LlmLogEntry entry = random.entry();
      LlmLogEntry back = LlmLogJson.read(LlmLogJson.briefLine(entry, "svc"));
      assertThat(back.timestamp()).isEqualTo(entry.timestamp());
      assertThat(back.requestId()).isEqualTo(entry.requestId());
      assertThat(back.model()).isEqualTo(entry.model());
      assertThat(back.level()).isEqualTo(entry.level());
      assertThat(back.service()).isEqualTo(entry.service() == null ? "svc" : entry.service());
      assertThat(back.usage().inputTokens()).isEqualTo(entry.usage().inputTokens());
      assertThat(back.usage().outputTokens()).isEqualTo(entry.usage().outputTokens());
      assertThat(back.performance().latencyMs()).isEqualTo(entry.performance().latencyMs());
      assertThat(back.performance().ttftMs()).isEqualTo(entry.performance().ttftMs());
      assertThat(back.parameters().temperature()).isEqualTo(entry.parameters().temperature());
      assertThat(back.parameters().maxTokens()).isEqualTo(entry.parameters().maxTokens());
      assertThat(back.prompt())
          .isEqualTo(Texts.firstCodePoints(entry.prompt(), LlmLogJson.BRIEF_PROMPT_LIMIT));
      assertThat(back.stopReason()).isEqualTo(entry.stopReason());
    }
  }

  @Test
  void briefLine_longPromptWithEmoji_cutAtThousandCodePointsWithoutSplittingAPair() {
    String prompt = "😀".repeat(1500);
    LlmLogEntry entry = BriefLoggerLineTest.briefEntry().toBuilder().prompt(prompt).build();

    LlmLogEntry back = LlmLogJson.read(LlmLogJson.briefLine(entry, "svc"));

    assertThat(back.prompt()).isEqualTo("😀".repeat(1000));
  }

  @Test
  void document_loneSurrogate_isWrittenAsReplacementCharacter() {
    LlmLogEntry entry =
        BriefLoggerLineTest.briefEntry().toBuilder().prompt("cut emoji \ud83d here").build();

    assertThat(LlmLogJson.read(LlmLogJson.document(entry)).prompt())
        .isEqualTo("cut emoji \ufffd here");
  }

  @Test
  void read_briefNestedRecordWithAliases_flattensMetricsAndConfig() {
    LlmLogEntry entry =
        LlmLogJson.read(
            """
        {"timestamp": "2026-11-28T08:30:15.123456", "service": "llm-inference", "level": "INFO",
         "request_id": "r-1", "model_name": "gpt-4",
         "metrics": {"input_tokens": "15", "output_tokens": 256, "latency_ms": 2340.5, "first_token_latency_ms": 180.2},
         "config": {"temperature": 0.7, "max_tokens": 2048}, "prompt": "解释机器学习的基本概念",
         "stop_reason": "stop", "error": "boom", "unknown": {"deep": [1, 2, {"x": 3}]}}
        """);

    assertThat(entry.timestamp()).isEqualTo(Instant.parse("2026-11-28T08:30:15.123456Z"));
    assertThat(entry.model()).isEqualTo("gpt-4");
    assertThat(entry.usage().inputTokens()).isEqualTo(15);
    assertThat(entry.performance().ttftMs()).isEqualTo(180.2);
    assertThat(entry.parameters().maxTokens()).isEqualTo(2048);
    assertThat(entry.error().message()).isEqualTo("boom");
  }

  @Test
  void read_negativeTokens_namesTheField() {
    assertThatThrownBy(
            () ->
                LlmLogJson.read(
                    "{\"timestamp\":\"2026-01-01T00:00:00Z\",\"request_id\":\"r\",\"model\":\"m\",\"metrics\":{\"output_tokens\":-3}}"))
        .isInstanceOfSatisfying(
            InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("output_tokens"))
        .hasMessageContaining("must be >= 0, was -3");
  }

  @Test
  void read_textWhereNumberBelongs_namesTheField() {
    assertThatThrownBy(
            () ->
                LlmLogJson.read(
                    "{\"timestamp\":\"2026-01-01T00:00:00Z\",\"request_id\":\"r\",\"model\":\"m\",\"latency_ms\":\"slow\"}"))
        .isInstanceOfSatisfying(
            InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("latency_ms"));
  }

  @Test
  void read_notJson_saysSo() {
    assertThatThrownBy(() -> LlmLogJson.read("{\"timestamp\": "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not valid JSON");
    assertThatThrownBy(() -> LlmLogJson.read("[1]")).hasMessage("expected a JSON object");
  }
}

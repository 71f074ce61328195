package io.llmlog.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmlog.core.codec.LlmLogJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordEncoderTest {
  @Test
  void encode_documentWeightOne_isTheCoreDocument() {
    RecordEncoder encoder = new RecordEncoder(RecordEncoder.Format.DOCUMENT, "svc");

    String document = new String(encoder.encode(Entries.brief(), 1), StandardCharsets.UTF_8);

    assertThat(document).isEqualTo(LlmLogJson.document(Entries.brief(), "svc"));
  }

  @Test
  void encode_documentWeighted_addsSampleWeightLast() {
    RecordEncoder encoder = new RecordEncoder(RecordEncoder.Format.DOCUMENT, "svc");

    Map<String, Object> document =
        JsonTree.object(new String(encoder.encode(Entries.brief(), 4), StandardCharsets.UTF_8));

    assertThat(List.copyOf(document.keySet())).last().isEqualTo("sample_weight");
    assertThat(document).containsEntry("sample_weight", 4.0);
    document.remove("sample_weight");
    assertThat(document).isEqualTo(JsonTree.object(LlmLogJson.document(Entries.brief(), "svc")));
  }

  @Test
  void encode_lineWeighted_addsSampleWeightWithPythonSeparators() {
    RecordEncoder encoder = new RecordEncoder(RecordEncoder.Format.LINE, "llm-inference");

    String line = new String(encoder.encode(Entries.brief(), 2.5), StandardCharsets.UTF_8);

    assertThat(line)
        .isEqualTo(
            LlmLogJson.briefLine(Entries.brief(), "llm-inference")
                .replaceAll("}$", ", \"sample_weight\": 2.5}"));
    assertThat(JsonTree.object(line)).containsEntry("sample_weight", 2.5);
  }

  @Test
  void encode_reusedBuffer_startsEachRecordAfresh() {
    RecordEncoder encoder = new RecordEncoder(RecordEncoder.Format.DOCUMENT, "svc");
    encoder.encode(Entries.numbered(1, 5000), 1);

    String second = new String(encoder.encode(Entries.numbered(2, 10), 1), StandardCharsets.UTF_8);

    assertThat(JsonTree.object(second)).containsEntry("request_id", "req-2");
  }

  @Test
  void encode_redactedKinds_areNamedBeforeTheWeightInBothForms() {
    RecordEncoder lines = new RecordEncoder(RecordEncoder.Format.LINE, "llm-inference");
    RecordEncoder documents = new RecordEncoder(RecordEncoder.Format.DOCUMENT, "svc");

    String line =
        new String(
            lines.encode(Entries.brief(), 2, List.of("email", "phone")), StandardCharsets.UTF_8);
    Map<String, Object> document =
        JsonTree.object(
            new String(
                documents.encode(Entries.brief(), 1, List.of("email")), StandardCharsets.UTF_8));

    assertThat(line).endsWith(", \"redacted\": [\"email\", \"phone\"], \"sample_weight\": 2.0}");
    assertThat(document)
        .containsEntry("redacted", List.of("email"))
        .doesNotContainKey("sample_weight");
  }

  @Test
  void encode_lineOfAFailedCall_carriesTheError() {
    RecordEncoder encoder = new RecordEncoder(RecordEncoder.Format.LINE, "llm-inference");
    var failed =
        Entries.brief().toBuilder()
            .level(null)
            .error(new io.llmlog.core.ErrorInfo("rate_limit", "429 from upstream"))
            .build();

    Map<String, Object> line =
        JsonTree.object(new String(encoder.encode(failed, 1), StandardCharsets.UTF_8));

    assertThat(line)
        .containsEntry("level", "error")
        .containsEntry("error", Map.of("type", "rate_limit", "message", "429 from upstream"));
  }
}

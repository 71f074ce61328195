package io.llmlog.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    Map<String, Object> document = JsonTree.object(new String(encoder.encode(Entries.brief(), 4), StandardCharsets.UTF_8));

    assertThat(List.copyOf(document.keySet())).last().isEqualTo("sample_weight");
    assertThat(document).containsEntry("sample_weight", 4.0);
    document.remove("sample_weight");
    assertThat(document).isEqualTo(JsonTree.object(LlmLogJson.document(Entries.brief(), "svc")));
  }

  @Test
  void encode_lineWeighted_addsSampleWeightWithPythonSeparators() {
    RecordEncoder encoder = new RecordEncoder(RecordEncoder.Format.LINE, "llm-inference");

    String line = new String(encoder.encode(Entries.brief(), 2.5), StandardCharsets.UTF_8);

    assertThat(line).isEqualTo(LlmLogJson.briefLine(Entries.brief(), "llm-inference").replaceAll("}$", ", \"sample_weight\": 2.5}"));
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
  void withLastField_notAnObject_throws() {
    assertThatThrownBy(() -> RecordEncoder.withLastField("[1]", ", \"x\": 1")).isInstanceOf(IllegalStateException.class);
  }
}

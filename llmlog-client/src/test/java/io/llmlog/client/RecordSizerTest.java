package io.llmlog.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmlog.core.ErrorInfo;
import io.llmlog.core.codec.LlmLogJson;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecordSizerTest {
  @Test
  void estimate_asciiRecord_isCloseToTheEncodedDocument() {
    var entry =
        Entries.numbered(1, 4096).toBuilder()
            .response("r".repeat(1000))
            .putMetadata("k", "v")
            .error(new ErrorInfo("timeout", "read timed out"))
            .build();

    int encoded = LlmLogJson.document(entry, "svc").getBytes(StandardCharsets.UTF_8).length;

    assertThat(RecordSizer.estimate(entry)).isBetween(encoded, encoded + RecordSizer.CALL_OVERHEAD);
  }

  @Test
  void estimate_growsWithEveryText() {
    var small = Entries.numbered(1, 10);
    assertThat(RecordSizer.estimate(small.toBuilder().systemPrompt("s".repeat(100)).build()))
        .isEqualTo(RecordSizer.estimate(small) + 100);
    assertThat(RecordSizer.estimate(small.toBuilder().addTag("abc").build()))
        .isEqualTo(RecordSizer.estimate(small) + 6);
  }
}

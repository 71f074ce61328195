package io.llmlog.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class UpstreamTest {
  static final Upstream QWEN =
      new Upstream(
          "qwen",
          Upstream.Family.OPENAI,
          URI.create("https://dashscope.aliyuncs.com/compatible-mode"));

  @Test
  void resolve_pathAndQuery_areAppendedBelowTheBase() {
    assertThat(QWEN.resolve("/v1/chat/completions", "api-version=2024-10-21"))
        .isEqualTo(
            URI.create(
                "https://dashscope.aliyuncs.com/compatible-mode/v1/chat/completions?api-version=2024-10-21"));
  }

  @Test
  void resolve_pathsThatWouldLeaveTheUpstream_areRefused() {
    assertThatThrownBy(() -> QWEN.resolve("/../../other", null)).hasMessageContaining("'..'");
    assertThatThrownBy(() -> QWEN.resolve("/v1/%2E%2E/x", null)).hasMessageContaining("'..'");
    // Whatever follows the base, the host stays the configured one.
    assertThat(QWEN.resolve("/@evil.example/v1", null).getHost())
        .isEqualTo("dashscope.aliyuncs.com");
    assertThat(QWEN.resolve("//evil.example/v1", null).getHost())
        .isEqualTo("dashscope.aliyuncs.com");
  }

  @Test
  void operation_byFamilyMethodAndPathEnd_isRecognisedOrNull() {
    assertThat(Operation.of(Upstream.Family.OPENAI, "POST", "/v1/chat/completions"))
        .isEqualTo(Operation.CHAT);
    assertThat(
            Operation.of(
                Upstream.Family.OPENAI, "POST", "/openai/deployments/gpt4/chat/completions"))
        .isEqualTo(Operation.CHAT);
    assertThat(Operation.of(Upstream.Family.OPENAI, "POST", "/v1/completions"))
        .isEqualTo(Operation.TEXT_COMPLETION);
    assertThat(Operation.of(Upstream.Family.OPENAI, "POST", "/v1/embeddings"))
        .isEqualTo(Operation.EMBEDDINGS);
    assertThat(Operation.of(Upstream.Family.OPENAI, "POST", "/v1/responses"))
        .isEqualTo(Operation.RESPONSES);
    assertThat(Operation.of(Upstream.Family.ANTHROPIC, "POST", "/v1/messages"))
        .isEqualTo(Operation.MESSAGES);
    assertThat(Operation.of(Upstream.Family.ANTHROPIC, "POST", "/v1/messages/count_tokens"))
        .isNull();
    assertThat(Operation.of(Upstream.Family.OPENAI, "GET", "/v1/models")).isNull();
    assertThat(Operation.of(Upstream.Family.OPENAI, "POST", "/v1/files")).isNull();
  }
}

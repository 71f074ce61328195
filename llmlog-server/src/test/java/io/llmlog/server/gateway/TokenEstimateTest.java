package io.llmlog.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenEstimateTest {
  @Test
  void of_latinText_isAboutFourCharactersPerToken() {
    // 44 characters; OpenAI's o200k tokenizer cuts this sentence into 10 tokens.
    assertThat(TokenEstimate.of("The quick brown fox jumps over the lazy dog.")).isEqualTo(11);
  }

  @Test
  void of_chineseText_isOneTokenPerCharacter() {
    assertThat(TokenEstimate.of("机器学习是人工智能的一个子领域")).isEqualTo(15);
    assertThat(TokenEstimate.of("日志：ok")).isEqualTo(3 + 1);
  }

  @Test
  void of_nothing_isZero() {
    assertThat(TokenEstimate.of(null)).isZero();
    assertThat(TokenEstimate.of("")).isZero();
  }
}

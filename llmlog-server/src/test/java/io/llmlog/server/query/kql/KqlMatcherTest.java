package io.llmlog.server.query.kql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class KqlMatcherTest {
  final KqlParser parser = new KqlParser();

  static final Map<String, Object> CALL =
      Map.of(
          "model",
          "gpt-4o",
          "level",
          "error",
          "latency_ms",
          5200.5,
          "input_tokens",
          15L,
          "tags",
          List.of("beta", "eu"),
          "prompt",
          "Please explain the refund policy.",
          "response",
          "机器学习是人工智能的一个子领域",
          "error",
          Map.of("type", "timeout"),
          "metadata",
          Map.of("team", "search"));

  static Function<String, Object> fields(Map<String, Object> record) {
    return path -> {
      Object node = record;
      for (String part : path.split("\\.")) {
        if (!(node instanceof Map<?, ?> map)) {
          return null;
        }
        node = map.get(part);
      }
      return node;
    };
  }

  boolean matches(String kql) {
    return parser.toMatcher(kql).matches(fields(CALL));
  }

  @Test
  void toMatcher_keywordsAndNumbers_matchAsTheEngineWould() {
    assertThat(matches("model:gpt-4o")).isTrue();
    assertThat(matches("model:GPT-4o")).isFalse();
    assertThat(matches("model:gpt-4*")).isTrue();
    assertThat(matches("model:gpt")).isFalse();
    assertThat(matches("level:error and latency_ms > 5000")).isTrue();
    assertThat(matches("latency_ms >= 5200.5 and latency_ms < 5201")).isTrue();
    assertThat(matches("input_tokens:15")).isTrue();
    assertThat(matches("input_tokens:16")).isFalse();
    assertThat(matches("tags:eu")).isTrue();
    assertThat(matches("error.type:timeout")).isTrue();
    assertThat(matches("error.type:*")).isTrue();
    assertThat(matches("stop_reason:*")).isFalse();
    assertThat(matches("metadata.team:search")).isTrue();
    assertThat(matches("not level:info and (model:claude* or model:gpt*)")).isTrue();
    assertThat(matches("")).isTrue();
  }

  @Test
  void toMatcher_text_matchesWordsPhrasesAndChineseAsPhrases() {
    assertThat(matches("prompt:refund")).isTrue();
    assertThat(matches("prompt:REFUND policy")).isTrue();
    assertThat(matches("prompt:refund money")).isFalse();
    assertThat(matches("prompt:\"refund policy\"")).isTrue();
    assertThat(matches("prompt:\"policy refund\"")).isFalse();
    assertThat(matches("prompt:ref*")).isTrue();
    assertThat(matches("机器学习")).isTrue();
    assertThat(matches("学机器")).isFalse();
    assertThat(matches("explain")).isTrue();
  }

  @Test
  void toMatcher_unknownField_isRefused() {
    assertThatThrownBy(() -> parser.toMatcher("modle:gpt-4"))
        .isInstanceOf(KqlSyntaxException.class)
        .hasMessageContaining("unknown field 'modle'");
  }

  @Test
  void toMatcher_dateField_isRefused() {
    assertThatThrownBy(() -> parser.toMatcher("timestamp > now-1h"))
        .isInstanceOf(KqlSyntaxException.class)
        .hasMessageContaining("date fields");
  }

  @Test
  void toMatcher_whatASearchRefuses_isRefusedToo() {
    assertThatThrownBy(() -> parser.toMatcher("model > 5"))
        .isInstanceOf(KqlSyntaxException.class)
        .hasMessageContaining("range needs a numeric or date field");
  }
}

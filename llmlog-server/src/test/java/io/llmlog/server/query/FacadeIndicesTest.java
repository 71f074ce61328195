package io.llmlog.server.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FacadeIndicesTest {
  private final FacadeIndices indices = new FacadeIndices("p1-");

  @ParameterizedTest(name = "[{0}] -> [{1}]")
  @CsvSource(
      delimiter = '|',
      value = {
        "llm-logs-*                          | p1-llm-logs-*",
        "llm-logs-2026.11.28                 | p1-llm-logs-2026.11.28",
        "llm-quality-*                       | p1-llm-quality-*",
        "llm-logs*                           | p1-llm-logs*",
        "llm-logs-*,llm-quality-2026.11.28   | p1-llm-logs-*,p1-llm-quality-2026.11.28",
        "llm-logs-*, -llm-logs-2026.11.28    | p1-llm-logs-*,-p1-llm-logs-2026.11.28",
        "*                                   | p1-llm-logs-*,p1-llm-quality-*",
        "_all                                | p1-llm-logs-*,p1-llm-quality-*",
      })
  void toEngine_llmlogIndices_getThePrefix(String user, String engine) {
    assertThat(indices.toEngine(user)).isEqualTo(engine);
  }

  @org.junit.jupiter.api.Test
  void toEngine_noIndex_isEverySearchableFamily() {
    assertThat(indices.toEngine(null)).isEqualTo("p1-llm-logs-*,p1-llm-quality-*");
    assertThat(indices.toEngine(" ")).isEqualTo("p1-llm-logs-*,p1-llm-quality-*");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        ".kibana",
        "other-*",
        "llm-*",
        "llm*",
        "llm-l*",
        "llm-deadletter-*",
        "llm-alerts-2026.11.28",
        "-llm-logs-*",
        "cluster:llm-logs-*",
        "<llm-logs-{now/d}>",
        "llm-logs-*,.security",
        "llm-logs-*/../x",
        "*,other"
      })
  void toEngine_otherIndices_areForbidden(String user) {
    assertThatThrownBy(() -> indices.toEngine(user))
        .isInstanceOf(ForbiddenIndexException.class)
        .hasMessageContaining("llm-logs-*, llm-quality-*")
        .hasMessageNotContaining("p1-");
  }

  @org.junit.jupiter.api.Test
  void toUser_engineText_losesThePrefix() {
    assertThat(indices.toUser("no such index [p1-llm-logs-2026.11.28]"))
        .isEqualTo("no such index [llm-logs-2026.11.28]");
    assertThat(new FacadeIndices("").toUser("llm-logs-x")).isEqualTo("llm-logs-x");
  }
}

package io.llmlog.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.server.config.LlmlogConfig;
import io.llmlog.server.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IndexTemplatesTest {
  private final IndexTemplates templates =
      new IndexTemplates(new ObjectMapper(), LlmlogConfig.from(Settings.empty(Map.of())).engine());

  @ParameterizedTest(name = "{0} {1}: {2}")
  @CsvSource({
    "opensearch,    3.9.0,          true",
    "opensearch,    2.12.0,         true",
    "opensearch,    2.11.1,         false",
    "opensearch,    1.3.20,         false",
    "opensearch,    '',             false",
    "elasticsearch, 8.17.0,         false",
    "elasticsearch, 7.17.29,        false",
  })
  void takesMatchOnlyText_engineAndVersion_isWhetherItMapsOneWithAnAnalyzer(
      String distribution, String version, boolean expected) {
    assertThat(IndexTemplates.takesMatchOnlyText(distribution, version)).isEqualTo(expected);
  }

  @Test
  void logs_onAnEngineThatTakesIt_longTextsHaveNoPositionsAndEveryTextThePairs() {
    JsonNode properties = templates.logs(true).at("/template/mappings/properties");

    assertThat(properties.at("/prompt/type").asText()).isEqualTo("match_only_text");
    assertThat(properties.at("/response/analyzer").asText()).isEqualTo("llmlog_text");
    assertThat(properties.at("/error/properties/message/type").asText()).isEqualTo("text");
    assertThat(properties.at("/error/properties/message/analyzer").asText())
        .isEqualTo("llmlog_text");
    assertThat(
            templates
                .logs(true)
                .at("/template/settings/index/analysis/filter/llmlog_cjk_bigram/type")
                .asText())
        .isEqualTo("cjk_bigram");
  }

  @Test
  void logs_onAnEngineThatDoesNot_longTextsKeepPositionsWithThePairs() {
    JsonNode properties = templates.spans(false).at("/template/mappings/properties");

    assertThat(properties.at("/input/type").asText()).isEqualTo("text");
    assertThat(properties.at("/input/analyzer").asText()).isEqualTo("llmlog_text");
    assertThat(templates.logs(false).at("/template/mappings/properties/prompt/type").asText())
        .isEqualTo("text");
  }
}

package io.llmlog.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TemplateConflictsTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest(name = "{0} and {1}: {2}")
  @CsvSource({
    "llm-logs-*,         llm-logs-*,            true",
    "llm-*,              llm-logs-*,            true",
    "*,                  llmlog-alerting,       true",
    "llm-logs-2026*,     llm-logs-*,            true",
    "*-logs-*,           llm-*-2026.01.01,      true",
    "llm-logs-*,         llm-logs-2026.01.01,   true",
    "logs-*-*,           llm-logs-*,            false",
    "t1-llm-logs-*,      t12-llm-logs-*,        false",
    "a*b,                *c,                    false",
    "llm-*,              llmlog-alerting,       false",
    "llm-logs-2026.01.01, llm-logs-2026.01.02,  false",
  })
  void overlap_twoPatterns_isWhetherSomeNameMatchesBoth(String a, String b, boolean expected) {
    assertThat(TemplateConflicts.overlap(a, b)).isEqualTo(expected);
    assertThat(TemplateConflicts.overlap(b, a)).isEqualTo(expected);
  }

  @Test
  void find_otherOwnersAtOrAboveOurPriority_areConflictsAndTheRestAreNot() throws IOException {
    JsonNode existing =
        JSON.readTree(
            """
        {"index_templates": [
          {"name": "llmlog-logs", "index_template": {"index_patterns": ["llm-logs-*"], "priority": 200}},
          {"name": "brief", "index_template": {"index_patterns": ["llm-logs-*"], "priority": 200}},
          {"name": "older-tool", "index_template": {"index_patterns": ["metrics-*", "llm-*"], "priority": 500}},
          {"name": "defaults", "index_template": {"index_patterns": ["*"]}},
          {"name": "below", "index_template": {"index_patterns": ["llm-logs-*"], "priority": 199}},
          {"name": "elsewhere", "index_template": {"index_patterns": ["logs-*-*"], "priority": 900}}
        ]}""");

    var conflicts =
        TemplateConflicts.find(
            existing, ours("llmlog-logs", "llm-logs-*", "llmlog-quality", "llm-quality-*"), 200);

    assertThat(conflicts)
        .containsExactly(
            new TemplateConflicts.Conflict("brief", 200, "llmlog-logs", "llm-logs-*"),
            new TemplateConflicts.Conflict("older-tool", 500, "llmlog-logs", "llm-logs-*"));
  }

  @Test
  void conflict_higherPriority_namesEveryTemplateAndBothFixesAboveTheHighest() {
    var conflicts =
        List.of(
            new TemplateConflicts.Conflict("brief", 200, "llmlog-logs", "llm-logs-*"),
            new TemplateConflicts.Conflict("older-tool", 500, "llmlog-logs", "llm-logs-*"));

    String message =
        EngineRefusals.conflict(conflicts, 200, List.of(URI.create("http://es1:9200")))
            .getMessage();

    assertThat(message)
        .contains(
            "already has index template [brief, older-tool] for the indices of llmlog's template llmlog-logs (llm-logs-*)")
        .contains("at a higher priority 500 than llmlog's 200")
        .contains(
            "curl -X DELETE 'http://es1:9200/_index_template/brief' and curl -X DELETE 'http://es1:9200/_index_template/older-tool'")
        .contains("engine.template_priority: 501");
  }

  private static Map<String, ObjectNode> ours(String... namesAndPatterns) {
    Map<String, ObjectNode> ours = new LinkedHashMap<>();
    for (int i = 0; i < namesAndPatterns.length; i += 2) {
      ObjectNode template = JSON.createObjectNode();
      template.putArray("index_patterns").add(namesAndPatterns[i + 1]);
      ours.put(namesAndPatterns[i], template);
    }
    return ours;
  }
}

package io.llmlog.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.server.config.Settings;
import io.llmlog.server.store.IndexFamily;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ISM and ILM bodies llmlog installs in engine mode. Checked here as JSON only: no ISM-capable
 * OpenSearch or ILM-capable Elasticsearch is available to the test suite.
 */
class EnginePoliciesTest {
  static final ObjectMapper JSON = new ObjectMapper();

  private static EnginePolicies policies(Map<String, Object> lifecycle) {
    LifecycleSettings settings =
        LifecycleSettings.from(
            Settings.of(Map.of("lifecycle", lifecycle), name -> null), Path.of("/d"), false);
    return new EnginePolicies(settings, JSON, "acme-");
  }

  @Test
  void ism_briefDefaults_hotThenWarmReadOnlyMergedAndNoDelete() throws Exception {
    EnginePolicies policies = policies(Map.of("mode", "engine"));

    String ism =
        JSON.writeValueAsString(policies.ism(IndexFamily.LOGS, LifecycleSettings.Policy.BRIEF));

    assertThat(policies.id(IndexFamily.DEAD_LETTERS)).isEqualTo("acme-llmlog-dead-letters");
    assertThat(JSON.readTree(ism))
        .isEqualTo(
            JSON.readTree(
                """
        {"policy":{
          "description":"llmlog lifecycle of acme-llm-logs-* (installed by llmlog; edit llmlog.yaml, not here)",
          "default_state":"hot",
          "states":[
            {"name":"hot","actions":[],"transitions":[{"state_name":"warm","conditions":{"min_index_age":"30d"}}]},
            {"name":"warm","actions":[{"read_only":{}},{"force_merge":{"max_num_segments":1}}],"transitions":[]}
          ],
          "ism_template":[{"index_patterns":["acme-llm-logs-*"],"priority":100}]}}"""));
  }

  @Test
  void ism_withRetentionAndWarmNodes_movesLowersReplicasAndDeletes() throws Exception {
    EnginePolicies policies =
        policies(
            Map.of(
                "mode",
                "engine",
                "warm",
                Map.of("require", Map.of("box_type", "warm"), "replicas", 0)));

    String ism =
        JSON.writeValueAsString(
            policies.ism(
                IndexFamily.QUALITY,
                new LifecycleSettings.Policy(
                    java.time.Duration.ofDays(7),
                    java.time.Duration.ofDays(90),
                    java.time.Duration.ofDays(365))));

    assertThat(JSON.readTree(ism).path("policy").path("states"))
        .isEqualTo(
            JSON.readTree(
                """
        [{"name":"hot","actions":[],"transitions":[{"state_name":"warm","conditions":{"min_index_age":"7d"}}]},
         {"name":"warm","actions":[{"read_only":{}},{"replica_count":{"number_of_replicas":0}},
            {"allocation":{"require":{"box_type":"warm"},"wait_for":true}},{"force_merge":{"max_num_segments":1}}],
          "transitions":[{"state_name":"delete","conditions":{"min_index_age":"365d"}}]},
         {"name":"delete","actions":[{"delete":{}}],"transitions":[]}]"""));
  }

  @Test
  void ilm_withRetention_warmAndDeletePhases() throws Exception {
    EnginePolicies policies = policies(Map.of("mode", "engine", "warm", Map.of("replicas", 0)));

    String ilm =
        JSON.writeValueAsString(
            policies.ilm(
                new LifecycleSettings.Policy(
                    java.time.Duration.ofDays(30),
                    java.time.Duration.ofDays(90),
                    java.time.Duration.ofDays(400))));

    assertThat(JSON.readTree(ilm))
        .isEqualTo(
            JSON.readTree(
                """
        {"policy":{"phases":{
          "hot":{"min_age":"0ms","actions":{}},
          "warm":{"min_age":"30d","actions":{"readonly":{},"forcemerge":{"max_num_segments":1},"allocate":{"number_of_replicas":0}}},
          "delete":{"min_age":"400d","actions":{"delete":{}}}},
          "_meta":{"managed_by":"llmlog"}}}"""));
  }
}

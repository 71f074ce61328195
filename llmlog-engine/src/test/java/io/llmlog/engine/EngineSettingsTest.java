package io.llmlog.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.opensearch.common.settings.Settings;

class EngineSettingsTest {
  private static final Path DATA = Path.of("/srv/llmlog/data");

  @Test
  void of_defaults_singleLoopbackNodeUnderDataDir() {
    Settings settings =
        EngineSettings.of(EngineOptions.builder(DATA).build(), EnginePaths.under(DATA));

    assertThat(settings.get("path.home")).isEqualTo("/srv/llmlog/data/engine");
    assertThat(settings.get("path.data")).isEqualTo("/srv/llmlog/data/engine/data");
    assertThat(settings.get("path.logs")).isEqualTo("/srv/llmlog/data/engine/logs");
    assertThat(settings.get("network.host")).isEqualTo("127.0.0.1");
    assertThat(settings.get("http.port")).isEqualTo("0");
    assertThat(settings.get("transport.port")).isEqualTo("0");
    assertThat(settings.get("discovery.type")).isEqualTo("single-node");
    assertThat(settings.get("cluster.default_number_of_replicas")).isEqualTo("0");
    assertThat(settings.get("cluster.routing.allocation.disk.threshold_enabled")).isEqualTo("true");
  }

  @Test
  void of_defaultHeapShares_setsEveryShareExplicitly() {
    Settings settings =
        EngineSettings.of(EngineOptions.builder(DATA).build(), EnginePaths.under(DATA));

    assertThat(settings.get("indices.memory.index_buffer_size")).isEqualTo("10%");
    assertThat(settings.get("indices.queries.cache.size")).isEqualTo("5%");
    assertThat(settings.get("indices.fielddata.cache.size")).isEqualTo("10%");
    assertThat(settings.get("indices.breaker.total.limit")).isEqualTo("95%");
    assertThat(settings.get("indices.breaker.total.use_real_memory")).isEqualTo("true");
  }

  @Test
  void of_customOptions_areApplied() {
    EngineOptions options =
        EngineOptions.builder(DATA)
            .host("::1")
            .httpPort(19200)
            .transportPort(19300)
            .diskThresholdEnabled(false)
            .heap(new EngineOptions.HeapShares(20, 0, 1, 80))
            .build();

    Settings settings = EngineSettings.of(options, EnginePaths.under(DATA));

    assertThat(settings.get("network.host")).isEqualTo("::1");
    assertThat(settings.get("http.port")).isEqualTo("19200");
    assertThat(settings.get("transport.port")).isEqualTo("19300");
    assertThat(settings.get("cluster.routing.allocation.disk.threshold_enabled"))
        .isEqualTo("false");
    assertThat(settings.get("indices.memory.index_buffer_size")).isEqualTo("20%");
    assertThat(settings.get("indices.queries.cache.size")).isEqualTo("0%");
    assertThat(settings.get("indices.breaker.total.limit")).isEqualTo("80%");
  }

  @Test
  void of_extraSettings_overrideLlmlogChoices() {
    EngineOptions options =
        EngineOptions.builder(DATA)
            .extraSetting("indices.queries.cache.size", "2%")
            .extraSetting("node.processors", "1")
            .build();

    Settings settings = EngineSettings.of(options, EnginePaths.under(DATA));

    assertThat(settings.get("indices.queries.cache.size")).isEqualTo("2%");
    assertThat(settings.get("node.processors")).isEqualTo("1");
  }
}

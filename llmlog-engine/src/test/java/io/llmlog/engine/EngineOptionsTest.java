package io.llmlog.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineOptionsTest {

  @Test
  void builder_onlyDataDir_usesSafeDefaults() {
    EngineOptions options = EngineOptions.builder(Path.of("data")).build();

    assertThat(options.dataDir().isAbsolute()).isTrue();
    assertThat(options.dataDir().getFileName()).isEqualTo(Path.of("data"));
    assertThat(options.host()).isEqualTo("127.0.0.1");
    assertThat(options.httpPort()).isZero();
    assertThat(options.transportPort()).isZero();
    assertThat(options.heap()).isEqualTo(EngineOptions.HeapShares.DEFAULTS);
    assertThat(options.diskThresholdEnabled()).isTrue();
    assertThat(options.engineLogLevel()).isEqualTo("WARN");
    assertThat(options.closeTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(options.extraSettings()).isEmpty();
  }

  @Test
  void builder_portOutOfRange_throwsNamingTheOption() {
    assertThatThrownBy(() -> EngineOptions.builder(Path.of("d")).httpPort(70_000).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("httpPort");
    assertThatThrownBy(() -> EngineOptions.builder(Path.of("d")).transportPort(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("transportPort");
  }

  @Test
  void builder_unknownLogLevel_throws() {
    assertThatThrownBy(() -> EngineOptions.builder(Path.of("d")).engineLogLevel("LOUD").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("engineLogLevel");
  }

  @Test
  void builder_lowerCaseLogLevel_isNormalised() {
    assertThat(EngineOptions.builder(Path.of("d")).engineLogLevel("info").build().engineLogLevel())
        .isEqualTo("INFO");
  }

  @Test
  void builder_zeroCloseTimeout_throws() {
    assertThatThrownBy(
            () -> EngineOptions.builder(Path.of("d")).closeTimeout(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void heapShares_percentAbove100_throwsNamingTheShare() {
    assertThatThrownBy(() -> new EngineOptions.HeapShares(10, 5, 101, 95))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fielddataCachePercent");
  }

  @Test
  void heapShares_zeroBreaker_throws() {
    assertThatThrownBy(() -> new EngineOptions.HeapShares(10, 5, 10, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("totalBreakerPercent");
  }

  @Test
  void extraSettings_mutatedAfterBuild_doNotChangeOptions() {
    Map<String, String> extra = new HashMap<>(Map.of("node.processors", "2"));
    EngineOptions options = EngineOptions.builder(Path.of("d")).extraSettings(extra).build();
    extra.put("node.processors", "1");

    assertThat(options.extraSettings()).containsExactly(Map.entry("node.processors", "2"));
  }

  @Test
  void toBuilder_unchanged_buildsEqualOptions() {
    EngineOptions options =
        EngineOptions.builder(Path.of("d"))
            .httpPort(9201)
            .diskThresholdEnabled(false)
            .extraSetting("a", "b")
            .build();

    assertThat(options.toBuilder().build()).isEqualTo(options);
  }
}

package io.llmlog.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StandaloneEngineTest {

  @Test
  void parse_allFlags_buildOptions() {
    EngineOptions options =
        StandaloneEngine.parse(
            new String[] {
              "--data-dir",
              "/tmp/x",
              "--http-port",
              "9201",
              "--transport-port",
              "9301",
              "--host",
              "127.0.0.2",
              "--no-disk-threshold"
            });

    assertThat(options.dataDir()).isEqualTo(Path.of("/tmp/x"));
    assertThat(options.httpPort()).isEqualTo(9201);
    assertThat(options.transportPort()).isEqualTo(9301);
    assertThat(options.host()).isEqualTo("127.0.0.2");
    assertThat(options.diskThresholdEnabled()).isFalse();
  }

  @Test
  void parse_onlyDataDir_freePortsOnLoopback() {
    EngineOptions options = StandaloneEngine.parse(new String[] {"--data-dir", "/tmp/x"});

    assertThat(options.httpPort()).isZero();
    assertThat(options.host()).isEqualTo("127.0.0.1");
    assertThat(options.diskThresholdEnabled()).isTrue();
  }

  @Test
  void parse_noDataDir_throws() {
    assertThatThrownBy(() -> StandaloneEngine.parse(new String[] {"--http-port", "1"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--data-dir is required");
  }

  @Test
  void parse_portNotANumber_throwsNamingTheFlag() {
    assertThatThrownBy(
            () -> StandaloneEngine.parse(new String[] {"--data-dir", "d", "--http-port", "x"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--http-port");
  }

  @Test
  void parse_flagWithoutValue_throws() {
    assertThatThrownBy(() -> StandaloneEngine.parse(new String[] {"--data-dir"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--data-dir needs a value");
  }

  @Test
  void parse_unknownFlag_throws() {
    assertThatThrownBy(() -> StandaloneEngine.parse(new String[] {"--data-dir", "d", "--verbose"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown argument --verbose");
  }
}

package io.llmlog.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmlog.server.config.ConfigException;
import io.llmlog.server.config.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewaySettingsTest {
  @Test
  void from_nothingConfigured_hasTheProvidersAndTheDocumentedLimits() {
    GatewaySettings settings = GatewaySettings.from(Settings.of(Map.of(), name -> null));

    assertThat(settings.enabled()).isTrue();
    assertThat(settings.upstream("openai").base()).isEqualTo(URI.create("https://api.openai.com"));
    assertThat(settings.upstream("anthropic").family()).isEqualTo(Upstream.Family.ANTHROPIC);
    assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(settings.readTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(settings.streamIdleTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(settings.maxRequestBytes()).isEqualTo(32L << 20);
    assertThat(settings.maxConcurrentCalls()).isEqualTo(1024);
    assertThat(settings.queueRecords()).isEqualTo(10_000);
  }

  @Test
  void from_upstreamsAsMapOrEnvironment_addToTheDefaultsWithTheirFamily() {
    GatewaySettings yaml = GatewaySettings.from(Settings.of(Map.of("gateway", Map.of("upstreams", Map.of(
        "deepseek", "https://api.deepseek.com/",
        "claude", Map.of("url", "https://proxy.example/anthropic", "family", "anthropic"),
        "anthropic", "https://anthropic.internal"))), name -> null));
    assertThat(yaml.upstream("deepseek")).isEqualTo(new Upstream("deepseek", Upstream.Family.OPENAI, URI.create("https://api.deepseek.com")));
    assertThat(yaml.upstream("claude").family()).isEqualTo(Upstream.Family.ANTHROPIC);
    assertThat(yaml.upstream("anthropic").family()).isEqualTo(Upstream.Family.ANTHROPIC);
    assertThat(yaml.upstream("openai")).isNotNull();

    GatewaySettings environment = GatewaySettings.from(Settings.empty(name -> name.equals("LLMLOG_GATEWAY_UPSTREAMS")
        ? "ollama=http://localhost:11434, bedrock=anthropic:https://gateway.example" : null));
    assertThat(environment.upstream("ollama").base()).isEqualTo(URI.create("http://localhost:11434"));
    assertThat(environment.upstream("bedrock")).isEqualTo(new Upstream("bedrock", Upstream.Family.ANTHROPIC, URI.create("https://gateway.example")));
  }

  @Test
  void from_badValues_failNamingTheKey() {
    assertThatThrownBy(() -> GatewaySettings.from(Settings.of(Map.of("gateway", Map.of("upstreams", Map.of("x", "ftp://host"))), name -> null)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("gateway.upstreams.x");
    assertThatThrownBy(() -> GatewaySettings.from(Settings.of(Map.of("gateway", Map.of("upstreams", Map.of("Bad Name", "http://h"))), name -> null)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("lower-case");
    assertThatThrownBy(() -> GatewaySettings.from(Settings.of(Map.of("gateway", Map.of("upstreams",
        Map.of("x", Map.of("url", "http://h", "family", "gemini")))), name -> null))).hasMessageContaining("gateway.upstreams.x.family");
    assertThatThrownBy(() -> GatewaySettings.from(Settings.of(Map.of("gateway", Map.of("max_concurrent_calls", 0)), name -> null)))
        .hasMessageContaining("gateway.max_concurrent_calls");
    assertThatThrownBy(() -> GatewaySettings.from(Settings.of(Map.of("gateway", Map.of("read_timeout", "0s")), name -> null)))
        .hasMessageContaining("gateway.read_timeout");
  }
}

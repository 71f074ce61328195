package io.llmlog.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmlog.server.config.ConfigException;
import io.llmlog.server.config.EffectiveSetting;
import io.llmlog.server.config.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewaySettingsTest {
  private static Settings gateway(Map<String, Object> section) {
    return Settings.of(Map.of("gateway", section), name -> null);
  }

  @Test
  void from_nothingConfigured_hasTheProvidersAndTheDocumentedLimits() {
    GatewaySettings settings = GatewaySettings.from(Settings.of(Map.of(), name -> null));

    assertThat(settings.enabled()).isTrue();
    assertThat(settings.upstreams()).containsOnlyKeys("openai", "anthropic");
    assertThat(settings.upstream("openai").base()).isEqualTo(URI.create("https://api.openai.com"));
    assertThat(settings.upstream("anthropic").family()).isEqualTo(Upstream.Family.ANTHROPIC);
    assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(settings.readTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(settings.streamIdleTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(settings.maxRequestBytes()).isEqualTo(32L << 20);
    assertThat(settings.maxConcurrentCalls()).isEqualTo(1024);
    assertThat(settings.maxCaptureBytes()).isEqualTo(4L << 20);
    assertThat(settings.queueRecords()).isEqualTo(10_000);
    assertThat(settings.queueBytes()).isEqualTo(64L << 20);
  }

  @Test
  void from_upstreamSections_addToTheDefaultsWithTheirFamily() {
    Map<String, Object> upstreams = new LinkedHashMap<>();
    upstreams.put("deepseek", Map.of("url", "https://api.deepseek.com/"));
    upstreams.put(
        "claude", Map.of("url", "https://proxy.example/anthropic", "family", "anthropic"));
    upstreams.put("anthropic", Map.of("url", "https://anthropic.internal"));

    GatewaySettings settings = GatewaySettings.from(gateway(Map.of("upstreams", upstreams)));

    assertThat(settings.upstream("deepseek"))
        .isEqualTo(
            new Upstream(
                "deepseek", Upstream.Family.OPENAI, URI.create("https://api.deepseek.com")));
    assertThat(settings.upstream("claude"))
        .isEqualTo(
            new Upstream(
                "claude",
                Upstream.Family.ANTHROPIC,
                URI.create("https://proxy.example/anthropic")));
    // A default's own URL keeps its family.
    assertThat(settings.upstream("anthropic"))
        .isEqualTo(
            new Upstream(
                "anthropic", Upstream.Family.ANTHROPIC, URI.create("https://anthropic.internal")));
    assertThat(settings.upstream("openai").base()).isEqualTo(URI.create("https://api.openai.com"));
  }

  @Test
  void from_environment_setsADefaultsUrlOrListsEveryUpstream() {
    GatewaySettings oneKey =
        GatewaySettings.from(
            Settings.empty(
                name ->
                    name.equals("LLMLOG_GATEWAY_UPSTREAMS_OPENAI_URL")
                        ? "http://127.0.0.1:9"
                        : null));
    assertThat(oneKey.upstream("openai"))
        .isEqualTo(
            new Upstream("openai", Upstream.Family.OPENAI, URI.create("http://127.0.0.1:9")));

    GatewaySettings listed =
        GatewaySettings.from(
            Settings.empty(
                name ->
                    name.equals("LLMLOG_GATEWAY_UPSTREAMS")
                        ? "ollama=http://localhost:11434, bedrock=anthropic:https://gateway.example"
                        : null));
    assertThat(listed.upstream("ollama"))
        .isEqualTo(
            new Upstream("ollama", Upstream.Family.OPENAI, URI.create("http://localhost:11434")));
    assertThat(listed.upstream("bedrock"))
        .isEqualTo(
            new Upstream(
                "bedrock", Upstream.Family.ANTHROPIC, URI.create("https://gateway.example")));
    assertThat(listed.upstream("openai")).isNotNull();

    GatewaySettings defaultsMoved =
        GatewaySettings.from(
            Settings.empty(
                name ->
                    name.equals("LLMLOG_GATEWAY_UPSTREAMS")
                        ? "openai=http://127.0.0.1:9,anthropic=http://127.0.0.1:9"
                        : null));
    assertThat(defaultsMoved.upstream("anthropic"))
        .as("a default name keeps its family")
        .isEqualTo(
            new Upstream("anthropic", Upstream.Family.ANTHROPIC, URI.create("http://127.0.0.1:9")));
  }

  @Test
  void from_badValues_failNamingTheKey() {
    assertThatThrownBy(
            () ->
                GatewaySettings.from(
                    gateway(Map.of("upstreams", Map.of("x", Map.of("url", "ftp://host"))))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("gateway.upstreams.x.url: must be http(s)://");
    assertThatThrownBy(
            () ->
                GatewaySettings.from(
                    gateway(Map.of("upstreams", Map.of("x", Map.of("family", "openai"))))))
        .hasMessage("gateway.upstreams.x: needs a url, such as https://api.deepseek.com");
    assertThatThrownBy(
            () ->
                GatewaySettings.from(
                    gateway(Map.of("upstreams", Map.of("Bad Name", Map.of("url", "http://h"))))))
        .hasMessageStartingWith("gateway.upstreams.Bad Name: an upstream's name is lower-case");
    assertThatThrownBy(
            () ->
                GatewaySettings.from(
                    gateway(
                        Map.of(
                            "upstreams",
                            Map.of("x", Map.of("url", "http://h", "family", "gemini"))))))
        .hasMessage("gateway.upstreams.x.family: must be openai or anthropic, was 'gemini'");
    assertThatThrownBy(
            () ->
                GatewaySettings.from(
                    gateway(Map.of("upstreams", Map.of("deepseek", "https://api.deepseek.com")))))
        .hasMessageStartingWith(
            "gateway.upstreams.deepseek: an upstream is a section with its url");
    assertThatThrownBy(() -> GatewaySettings.from(gateway(Map.of("max_concurrent_calls", 0))))
        .hasMessageStartingWith("gateway.max_concurrent_calls must be at least 1, was '0'");
    assertThatThrownBy(() -> GatewaySettings.from(gateway(Map.of("read_timeout", "0s"))))
        .hasMessageStartingWith("gateway.read_timeout must be a duration greater than 0");
    assertThatThrownBy(
            () ->
                GatewaySettings.from(
                    Settings.empty(
                        name -> name.equals("LLMLOG_GATEWAY_UPSTREAMS") ? "ollama" : null)))
        .hasMessageStartingWith("gateway.upstreams: entries are name=url");
  }

  @Test
  void from_urlWithCredentials_isRefusedWithoutShowingThemAndMasked() {
    Settings settings =
        gateway(
            Map.of(
                "upstreams",
                Map.of("proxy", Map.of("url", "https://user:hunter2-proxy@proxy.example/v1"))));

    assertThatThrownBy(() -> GatewaySettings.from(settings))
        .hasMessageStartingWith("gateway.upstreams.proxy.url: may not hold credentials")
        .hasMessageNotContaining("hunter2");
    assertThat(settings.effective())
        .filteredOn(setting -> setting.key().equals("gateway.upstreams.proxy.url"))
        .singleElement()
        .satisfies(setting -> assertThat(setting.value()).doesNotContain("hunter2"))
        .extracting(EffectiveSetting::secret)
        .isEqualTo(true);

    Settings listed =
        Settings.empty(
            name ->
                name.equals("LLMLOG_GATEWAY_UPSTREAMS")
                    ? "proxy=https://proxy.example/v1?key=hunter2-query"
                    : null);
    assertThatThrownBy(() -> GatewaySettings.from(listed))
        .hasMessageStartingWith("gateway.upstreams: proxy url: may not hold credentials")
        .hasMessageNotContaining("hunter2");
    assertThat(listed.effective())
        .filteredOn(setting -> setting.key().equals("gateway.upstreams"))
        .singleElement()
        .satisfies(setting -> assertThat(setting.value()).doesNotContain("hunter2"));
  }

  @Test
  void from_typoInsideAnUpstream_isNamedWithItsFullPathAndSuggestion() {
    assertThatThrownBy(
            () ->
                GatewaySettings.from(
                    gateway(
                        Map.of(
                            "upstreams",
                            Map.of(
                                "deepseek",
                                Map.of("url", "https://api.deepseek.com", "famliy", "openai"))))))
        .hasMessage(
            "gateway.upstreams.deepseek.famliy is not a gateway setting; did you mean gateway.upstreams.deepseek.family?");
  }
}

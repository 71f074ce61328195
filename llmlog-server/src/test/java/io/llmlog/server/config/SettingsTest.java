package io.llmlog.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The declared-settings reader on its own: sections, named sections, lists of items, free maps,
 * secrets, the environment.
 */
class SettingsTest {
  @TempDir Path dir;

  /**
   * A section as a capability would declare it, with a map of user-named sections and a list of
   * items.
   */
  private static void readGateway(Settings settings) {
    Settings gateway = settings.at("gateway");
    gateway.duration("timeout", Duration.ofSeconds(30));
    for (String name : gateway.names("upstreams")) {
      Settings upstream = gateway.named("upstreams", name);
      upstream.string("url", null);
      upstream.secret("api_key", null);
      upstream.map("headers");
    }
    List<Settings> routes = gateway.items("routes");
    if (routes != null) {
      routes.forEach(route -> route.string("path", "/"));
    }
    gateway.rejectUnknown("");
  }

  private static Map<String, Object> gateway(Map<String, Object> upstream) {
    Map<String, Object> gateway = new LinkedHashMap<>();
    gateway.put("upstreams", Map.of("openai", upstream));
    return Map.of("gateway", gateway);
  }

  @Test
  void rejectUnknown_typoInAUserNamedSection_namesItsFullPathAndTheNearestKey() {
    Settings settings =
        Settings.of(
            gateway(Map.of("url", "https://api.openai.com", "api_kye", "sk-1")), name -> null);

    assertThatThrownBy(() -> readGateway(settings))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "gateway.upstreams.openai.api_kye is not a gateway setting; did you mean gateway.upstreams.openai.api_key?");
  }

  @Test
  void rejectUnknown_typoInAListItem_namesItsPosition() {
    Map<String, Object> gateway = new LinkedHashMap<>();
    gateway.put("routes", List.of(Map.of("path", "/a"), Map.of("pth", "/b")));
    Settings settings = Settings.of(Map.of("gateway", gateway), name -> null);

    assertThatThrownBy(() -> readGateway(settings))
        .hasMessage(
            "gateway.routes[1].pth is not a gateway setting; did you mean gateway.routes[1].path?");
  }

  @Test
  void rejectUnknown_freeMap_acceptsAnyKey() {
    Settings settings =
        Settings.of(
            gateway(
                Map.of("url", "https://x", "headers", Map.of("X-Anything", "1", "X-Team", "ml"))),
            name -> null);

    readGateway(settings);

    assertThat(settings.unknownKeys("")).isEmpty();
  }

  @Test
  void rejectUnknown_keyInTheWrongSection_pointsToWhereItBelongs() {
    Settings settings =
        Settings.of(Map.of("server", Map.of("max_body_bytes", "1MB")), name -> null);

    assertThatThrownBy(() -> LlmlogConfig.from(settings))
        .hasMessage(
            "server.max_body_bytes is not a server setting; did you mean limits.max_body_bytes?");
  }

  @Test
  void rejectUnknown_keyFromAFile_isShownAtItsLine() throws IOException {
    Path file = dir.resolve("llmlog.yaml");
    Files.writeString(
        file,
        """
        server:
          port: 8080
        limits:
          max_body_byte: 1MB
        """);

    assertThatThrownBy(() -> LlmlogConfig.from(Settings.load(file, name -> null)))
        .hasMessage(
            file
                + ":4: limits.max_body_byte is not a limits setting; did you mean limits.max_body_bytes?");
  }

  @Test
  void invalid_valueFromAFile_namesTheLineAndWhatItMustBe() throws IOException {
    Path file = dir.resolve("llmlog.yaml");
    Files.writeString(file, "server:\n  port: eighty\n");

    assertThatThrownBy(() -> LlmlogConfig.from(Settings.load(file, name -> null)))
        .hasMessage("server.port must be a whole number, was 'eighty' (set in " + file + ":2)");
  }

  @Test
  void unknownVariables_variableOfNoSetting_isNamedWithTheNearestOne() {
    Settings settings =
        Settings.empty(
            Map.of(
                "LLMLOG_LIMITS_MAX_BODY_BYTE",
                "1MB",
                "LLMLOG_SERVER_PORT",
                "8081",
                "LLMLOG_AUTH_API_KEYS",
                "0123456789abcdef0123:admin",
                "LLMLOG_HEAP",
                "4g",
                "LLMLOG_JAVA_OPTS",
                "-Dx=y",
                "LLMLOG_LOG_LEVEL",
                "DEBUG",
                "LLMLOG_API_KEY",
                "k",
                "LLMLOG_SERVER",
                "http://localhost:8080",
                "PATH",
                "/usr/bin"));

    LlmlogConfig config = LlmlogConfig.from(settings);

    assertThat(config.server().port()).isEqualTo(8081);
    assertThat(config.auth().apiKeys()).hasSize(1);
    assertThat(settings.unknownVariables())
        .containsExactly(
            "the environment variable LLMLOG_LIMITS_MAX_BODY_BYTE is not an llmlog setting; did you mean LLMLOG_LIMITS_MAX_BODY_BYTES "
                + "(limits.max_body_bytes)?");
  }

  @Test
  void unknownOptions_overrideOfNoSetting_isNamedWithTheNearestOne() {
    Settings settings =
        Settings.empty(name -> null).with("engine.refresh_intervl", "1s").with("server.port", 0);

    LlmlogConfig.from(settings);

    assertThat(settings.unknownOptions())
        .containsExactly(
            "the option engine.refresh_intervl is not an llmlog setting; did you mean engine.refresh_interval?");
  }

  @Test
  void unknownVariables_environmentGivenAsAFunction_isNotEnumerated() {
    Settings settings = Settings.empty(name -> name.equals("LLMLOG_NO_SUCH_THING") ? "1" : null);

    LlmlogConfig.from(settings);

    assertThat(settings.unknownVariables()).isEmpty();
  }

  @Test
  void effective_everyDeclaredKey_hasItsValueAndOrigin_secretsMasked() {
    Map<String, Object> engine = new LinkedHashMap<>();
    engine.put("url", "http://es1:9200");
    engine.put("password", "hunter2-secret");
    Settings settings =
        Settings.of(
                Map.of(
                    "engine",
                    engine,
                    "auth",
                    Map.of(
                        "api_keys",
                        List.of(Map.of("key", "0123456789abcdef-key", "role", "admin")))),
                name -> name.equals("LLMLOG_SERVER_PORT") ? "9090" : null)
            .with("server.host", "0.0.0.0");

    LlmlogConfig.from(settings);

    Map<String, EffectiveSetting> byKey = new LinkedHashMap<>();
    settings.effective().forEach(setting -> byKey.put(setting.key(), setting));
    assertThat(byKey.get("engine.password"))
        .isEqualTo(new EffectiveSetting("engine.password", "text", "****", "file", true));
    assertThat(byKey.get("auth.api_keys[0].key").value()).isEqualTo("****");
    assertThat(byKey.get("auth.api_keys[0].role").value()).isEqualTo("admin");
    assertThat(byKey.get("server.port"))
        .extracting(EffectiveSetting::value, EffectiveSetting::origin)
        .containsExactly("9090", "env");
    assertThat(byKey.get("server.host"))
        .extracting(EffectiveSetting::value, EffectiveSetting::origin)
        .containsExactly("0.0.0.0", "option");
    assertThat(byKey.get("limits.max_future_skew"))
        .extracting(EffectiveSetting::value, EffectiveSetting::origin)
        .containsExactly("1d", "default");
    assertThat(settings.effective().toString()).doesNotContain("hunter2", "0123456789abcdef-key");
  }

  @Test
  void masked_webhookUrl_keepsOnlySchemeAndHost() {
    assertThat(Settings.masked("https://hooks.slack.com/services/T000/B000/XXXXSECRET"))
        .isEqualTo("https://hooks.slack.com/****");
    assertThat(Settings.masked("http://user:pass@es1:9200")).isEqualTo("http://es1:9200/****");
    assertThat(Settings.masked("sk-abcdef")).isEqualTo("****");
  }

  @Test
  void invalid_secretValue_isNotInTheMessage() {
    Settings settings =
        Settings.of(Map.of("engine", Map.of("password", List.of("not", "text"))), name -> null);

    assertThatThrownBy(() -> LlmlogConfig.from(settings))
        .hasMessageContaining("engine.password")
        .hasMessageNotContaining("not, text");
  }
}

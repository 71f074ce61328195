package io.llmlog.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmlog.server.config.ConfigException;
import io.llmlog.server.config.LlmlogConfig;
import io.llmlog.server.config.Settings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every section of the configuration refuses a misspelt key, naming its full path and the nearest
 * declared key.
 */
class ServerSettingsTest {
  /**
   * One misspelt key per section (and per kind of nested section), and what the message must say.
   */
  record Typo(String section, Map<String, Object> settings, String expected) {
    @Override
    public String toString() {
      return section;
    }
  }

  static List<Typo> typos() {
    return List.of(
        new Typo(
            "server",
            Map.of("server", Map.of("prot", 8080)),
            "server.prot is not a server setting; did you mean server.port?"),
        new Typo(
            "engine",
            Map.of("engine", Map.of("index_prefx", "x-")),
            "engine.index_prefx is not an engine setting; did you mean engine.index_prefix?"),
        new Typo(
            "server.otlp_port",
            Map.of("server", Map.of("otlp_prot", 4318)),
            "server.otlp_prot is not a server setting; did you mean server.otlp_port?"),
        new Typo(
            "engine.template_priority",
            Map.of("engine", Map.of("template_priorty", 300)),
            "engine.template_priorty is not an engine setting; did you mean engine.template_priority?"),
        new Typo(
            "limits",
            Map.of("limits", Map.of("max_body_byte", "1MB")),
            "limits.max_body_byte is not a limits setting; did you mean limits.max_body_bytes?"),
        new Typo(
            "auth",
            Map.of("auth", Map.of("api_key", List.of())),
            "auth.api_key is not an auth setting; did you mean auth.api_keys?"),
        new Typo(
            "auth.api_keys[*]",
            Map.of(
                "auth",
                Map.of(
                    "api_keys",
                    List.of(Map.of("key", "0123456789abcdef0", "role", "read", "rol", "admin")))),
            "auth.api_keys[0].rol is not an auth setting; did you mean auth.api_keys[0].role?"),
        new Typo(
            "live",
            Map.of("live", Map.of("retension", "30m")),
            "live.retension is not a live setting; did you mean live.retention?"),
        new Typo(
            "alerts",
            Map.of("alerts", Map.of("evaluation_intervall", "30s")),
            "alerts.evaluation_intervall is not an alerts setting; did you mean alerts.evaluation_interval?"),
        new Typo(
            "alerts.retry",
            Map.of("alerts", Map.of("retry", Map.of("max_attemps", 3))),
            "alerts.retry.max_attemps is not an alerts setting; did you mean alerts.retry.max_attempts?"),
        new Typo(
            "alerts.webhooks[*]",
            Map.of(
                "alerts",
                Map.of(
                    "webhooks",
                    List.of(Map.of("url", "http://hooks.example/x", "fromat", "slack")))),
            "alerts.webhooks[0].fromat is not an alerts setting; did you mean alerts.webhooks[0].format?"),
        new Typo(
            "lifecycle",
            Map.of("lifecycle", Map.of("intervall", "2h")),
            "lifecycle.intervall is not a lifecycle setting; did you mean lifecycle.interval?"),
        new Typo(
            "lifecycle.<family>",
            Map.of("lifecycle", Map.of("logs", Map.of("cold_afer", "100d"))),
            "lifecycle.logs.cold_afer is not a lifecycle setting; did you mean lifecycle.logs.cold_after?"),
        new Typo(
            "lifecycle.spans",
            Map.of("lifecycle", Map.of("spans", Map.of("warm_afer", "7d"))),
            "lifecycle.spans.warm_afer is not a lifecycle setting; did you mean lifecycle.spans.warm_after?"),
        new Typo(
            "otlp",
            Map.of("otlp", Map.of("kep", "all")),
            "otlp.kep is not an otlp setting; did you mean otlp.keep?"),
        new Typo(
            "gateway",
            Map.of("gateway", Map.of("read_timout", "1m")),
            "gateway.read_timout is not a gateway setting; did you mean gateway.read_timeout?"),
        new Typo(
            "gateway.upstreams.<name>",
            Map.of(
                "gateway",
                Map.of(
                    "upstreams",
                    Map.of(
                        "deepseek",
                        Map.of("url", "https://api.deepseek.com", "famliy", "openai")))),
            "gateway.upstreams.deepseek.famliy is not a gateway setting; did you mean gateway.upstreams.deepseek.family?"),
        new Typo(
            "gateway.upstreams.<default>",
            Map.of(
                "gateway",
                Map.of("upstreams", Map.of("openai", Map.of("ulr", "https://llm.internal")))),
            "gateway.upstreams.openai.ulr is not a gateway setting; did you mean gateway.upstreams.openai.url?"),
        new Typo(
            "lifecycle.disk",
            Map.of("lifecycle", Map.of("disk", Map.of("min_fre", "5%"))),
            "lifecycle.disk.min_fre is not a lifecycle setting; did you mean lifecycle.disk.min_free?"),
        new Typo(
            "pipeline[*] options",
            Map.of("pipeline", List.of(Map.of("date", Map.of("timezon", "UTC")))),
            "pipeline[0] (date): timezon: unknown option; did you mean timezone?"),
        new Typo(
            "pipeline price table",
            Map.of(
                "pipeline",
                List.of(
                    Map.of(
                        "cost",
                        Map.of("prices", Map.of("my-model", Map.of("inptu", 1, "output", 2)))))),
            "pipeline[0] (cost): prices: my-model.inptu: unknown key; did you mean input?"),
        new Typo(
            "pipeline redact",
            Map.of("pipeline", List.of(Map.of("redact", Map.of("mdoe", "mask")))),
            "pipeline[0] (redact): mdoe: unknown key; did you mean mode?"),
        new Typo(
            "quality",
            Map.of("quality", Map.of("negative_feedbak", "rating <= 1")),
            "quality.negative_feedbak is not a quality setting; did you mean quality.negative_feedback?"),
        new Typo(
            "quality.judge",
            Map.of("quality", Map.of("judge", Map.of("modle", "gpt-4o"))),
            "quality.judge.modle is not a quality setting; did you mean quality.judge.model?"),
        new Typo(
            "quality.review",
            Map.of("quality", Map.of("review", Map.of("lease_tll", "5m"))),
            "quality.review.lease_tll is not a quality setting; did you mean quality.review.lease_ttl?"),
        new Typo(
            "quality.evaluators[*]",
            Map.of(
                "quality",
                Map.of("evaluators", List.of(Map.of("name", "ok", "type", "json", "smaple", 0.5)))),
            "quality.evaluators[0] (ok): smaple: unknown option; did you mean sample?"),
        new Typo(
            "quality.evaluators[*] type options",
            Map.of(
                "quality",
                Map.of(
                    "evaluators",
                    List.of(Map.of("name", "order-id", "type", "regex", "must_mach", "ORD-\\d+")))),
            "quality.evaluators[0] (order-id): must_mach: unknown option; did you mean must_match?"),
        new Typo(
            "quality.queues[*]",
            Map.of(
                "quality",
                Map.of(
                    "queues", List.of(Map.of("name", "thumbs-down", "labls", List.of("wrong"))))),
            "quality.queues[0].labls is not a quality setting; did you mean quality.queues[0].labels?"),
        new Typo(
            "auth.api_keys[*] name",
            Map.of(
                "auth",
                Map.of(
                    "api_keys",
                    List.of(
                        Map.of("key", "0123456789abcdef0", "role", "review", "nmae", "alice")))),
            "auth.api_keys[0].nmae is not an auth setting; did you mean auth.api_keys[0].name?"),
        new Typo(
            "top level",
            Map.of("limit", Map.of("max_body_bytes", "1MB")),
            "limit is not a setting; did you mean limits?"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("typos")
  void problems_typoInASection_isNamedWithItsSuggestion(Typo typo) {
    List<String> problems = ServerSettings.problems(Settings.of(typo.settings(), name -> null));

    assertThat(problems).containsExactly(typo.expected());
  }

  @Test
  void read_unknownKey_refusesTheStart() {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("alerts", Map.of("rules_fil", "rules.yaml"));

    assertThatThrownBy(
            () -> ServerSettings.read(LlmlogConfig.from(Settings.of(settings, name -> null))))
        .isInstanceOf(ConfigException.class)
        .hasMessage("alerts.rules_fil is not an alerts setting; did you mean alerts.rules_file?");
  }

  @Test
  void read_everySection_readsTheShippedExamples() {
    for (String example : List.of("brief-logstash.yaml", "privacy-and-sampling.yaml")) {
      Settings settings =
          Settings.load(java.nio.file.Path.of("..", "examples", example), name -> null);

      assertThat(ServerSettings.problems(settings)).as(example).isEmpty();
    }
  }

  @Test
  void problems_sectionThatFailsEarly_isNotAlsoReportedAsUnknownKeys() {
    Map<String, Object> lifecycle = new LinkedHashMap<>();
    lifecycle.put("mode", "sideways");
    lifecycle.put("interval", "2h");
    lifecycle.put("archive_dir", "/archive");

    assertThat(ServerSettings.problems(Settings.of(Map.of("lifecycle", lifecycle), name -> null)))
        .singleElement()
        .asString()
        .startsWith("lifecycle.mode must be llmlog");
  }
}

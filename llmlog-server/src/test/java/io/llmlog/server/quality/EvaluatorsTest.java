package io.llmlog.server.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.server.config.ConfigException;
import io.llmlog.server.config.Settings;
import io.llmlog.server.pipeline.Event;
import io.llmlog.server.pipeline.Pipeline;
import io.llmlog.server.pipeline.Pipelines;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every deterministic evaluator on Chinese and English fixtures, each with the score
 * docs/quality.md promises.
 */
class EvaluatorsTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-05-01T08:00:00Z"), ZoneOffset.UTC);

  static Event call(String prompt, String response) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("request_id", "req-1");
    fields.put("timestamp", "2026-05-01T07:59:00Z");
    fields.put("model", "gpt-4o");
    fields.put("prompt", prompt);
    if (response != null) {
      fields.put("response", response);
    }
    fields.put("latency_ms", 2300.0);
    fields.put("cost_usd", 0.004);
    return new Event(fields, 1);
  }

  static Verdict verdict(Map<String, Object> evaluator, Event call) {
    Map<String, Object> spec = new LinkedHashMap<>(evaluator);
    spec.putIfAbsent("name", "check");
    QualitySettings settings =
        QualitySettings.from(
            Settings.of(Map.of("quality", Map.of("evaluators", List.of(spec))), name -> null));
    return Evaluators.build(settings.evaluators().get(0), List.of()).check().evaluate(call);
  }

  @Test
  void json_validObjectMatchingSchema_scoresOne() {
    Map<String, Object> schema =
        Map.of(
            "type",
            "object",
            "required",
            List.of("answer"),
            "properties",
            Map.of(
                "answer",
                Map.of("type", "string", "minLength", 1),
                "confidence",
                Map.of("type", "number", "minimum", 0, "maximum", 1)));
    Verdict verdict =
        verdict(
            Map.of("type", "json", "schema", schema),
            call("退款多久到账？", "```json\n{\"answer\": \"3-5个工作日\", \"confidence\": 0.9}\n```"));
    assertThat(verdict).isEqualTo(new Verdict(1, "valid", "valid JSON matching the schema"));
  }

  @Test
  void json_schemaViolation_scoresZeroNamingThePath() {
    Map<String, Object> schema =
        Map.of(
            "type",
            "object",
            "required",
            List.of("answer"),
            "properties",
            Map.of("confidence", Map.of("type", "number", "maximum", 1)));
    Verdict verdict =
        verdict(
            Map.of("type", "json", "schema", schema),
            call("q", "{\"answer\": \"yes\", \"confidence\": 3}"));
    assertThat(verdict.score()).isZero();
    assertThat(verdict.label()).isEqualTo("schema_mismatch");
    assertThat(verdict.explanation()).isEqualTo("$.confidence: 3 is more than 1");
  }

  @Test
  void json_prose_scoresZeroInvalid() {
    Verdict verdict =
        verdict(Map.of("type", "json"), call("Explain ML", "Machine learning is a field of AI."));
    assertThat(verdict.score()).isZero();
    assertThat(verdict.label()).isEqualTo("invalid_json");
    assertThat(verdict(Map.of("type", "json"), call("q", "{\"a\": 1,}")).label())
        .isEqualTo("invalid_json");
  }

  @Test
  void json_prose_explanationQuotesHowItStarts() {
    assertThat(
            verdict(
                Map.of("type", "json"), call("Explain ML", "  Machine learning is a field of AI.")))
        .isEqualTo(new Verdict(0, "invalid_json", "not JSON: starts with 'Machine learning is …'"));
    assertThat(verdict(Map.of("type", "json"), call("q", "Yes.")).explanation())
        .isEqualTo("not JSON: starts with 'Yes.'");
    assertThat(verdict(Map.of("type", "json"), call("q", " \n ")).explanation())
        .isEqualTo("not JSON: starts with nothing");
  }

  @Test
  void json_unsupportedSchemaKeyword_isRefusedByName() {
    assertThatThrownBy(
            () ->
                verdict(
                    Map.of("type", "json", "schema", Map.of("type", "object", "oneOf", List.of())),
                    call("q", "{}")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("oneOf");
  }

  @Test
  void regex_mustMatchAndMustNotMatch_scoreAsDocumented() {
    Event call = call("订单号是多少", "您的订单号是 ORD-20260501-77。");
    assertThat(verdict(Map.of("type", "regex", "must_match", "ORD-\\d{8}-\\d+"), call).score())
        .isEqualTo(1);
    assertThat(verdict(Map.of("type", "regex", "must_not_match", "(?i)as an ai"), call).score())
        .isEqualTo(1);
    assertThat(verdict(Map.of("type", "regex", "must_not_match", "订单号"), call))
        .isEqualTo(new Verdict(0, "fail", "matches at 2: '订单号'"));
  }

  @Test
  void contains_anyAllNone_caseInsensitiveByDefault() {
    Event call = call("How do I get a refund?", "Refunds arrive within 5 days. 退款将在5天内到账。");
    assertThat(
            verdict(Map.of("type", "contains", "values", List.of("refund", "money back")), call)
                .score())
        .isEqualTo(1);
    Verdict all =
        verdict(
            Map.of("type", "contains", "values", List.of("refund", "退款", "发票"), "mode", "all"),
            call);
    assertThat(all).isEqualTo(new Verdict(0, "fail", "found refund, 退款; missing 发票"));
    assertThat(
            verdict(Map.of("type", "contains", "values", List.of("password"), "mode", "none"), call)
                .score())
        .isEqualTo(1);
    assertThat(
            verdict(
                    Map.of("type", "contains", "values", List.of("refund"), "case_sensitive", true),
                    call)
                .score())
        .isZero();
  }

  @Test
  void length_countsCharactersNotBytes() {
    Event call = call("q", "机器学习是人工智能的一个子领域");
    assertThat(verdict(Map.of("type", "length", "min", 10, "max", 20), call))
        .isEqualTo(new Verdict(1, "ok", "15 characters"));
    assertThat(verdict(Map.of("type", "length", "min", 20), call).label()).isEqualTo("too_short");
    assertThat(verdict(Map.of("type", "length", "max", 5), call))
        .isEqualTo(new Verdict(0, "too_long", "15 characters, more than 5"));
  }

  @Test
  void refusal_englishAndChinese_detected() {
    assertThat(
            verdict(
                Map.of("type", "refusal"),
                call("How to pick a lock?", "I'm sorry, but I can't help with that request.")))
        .isEqualTo(new Verdict(1, "refusal", "refuses: 'I can't help'"));
    assertThat(
            verdict(Map.of("type", "refusal"), call("q", "I\u2019m unable to share personal data."))
                .score())
        .isEqualTo(1);
    assertThat(verdict(Map.of("type", "refusal"), call("如何入侵邮箱", "抱歉，我无法提供这方面的帮助。")).explanation())
        .isEqualTo("refuses: '我无法'");
    assertThat(verdict(Map.of("type", "refusal"), call("q", "作为一个人工智能，我不能给出医疗诊断。")).score())
        .isEqualTo(1);
  }

  @Test
  void refusal_apologyThatHelps_isAnAnswer() {
    assertThat(
            verdict(
                    Map.of("type", "refusal"),
                    call("q", "I'm sorry to hear that. Here is how to reset it: open Settings."))
                .label())
        .isEqualTo("answer");
    assertThat(verdict(Map.of("type", "refusal"), call("q", "抱歉给您带来不便，退款已经处理，请查收。")).score())
        .isZero();
    assertThat(
            verdict(
                    Map.of("type", "refusal"),
                    call("q", "WiFi issues: I cannot help noticing the router is old; replace it."))
                .score())
        .as("a phrase inside a longer word is not the word I")
        .isEqualTo(1);
  }

  @Test
  void refusal_phraseStartingAfterThePrefix_isNotLookedFor() {
    String late = "x".repeat(RefusalCheck.PREFIX) + " I can't help with that.";
    assertThat(verdict(Map.of("type", "refusal"), call("q", late)).label()).isEqualTo("answer");
    String straddling = "x".repeat(RefusalCheck.PREFIX - 5) + " I can't help with that.";
    assertThat(verdict(Map.of("type", "refusal"), call("q", straddling)))
        .isEqualTo(new Verdict(1, "refusal", "refuses: 'I can't help'"));
    assertThat(
            verdict(Map.of("type", "refusal"), call("q", "好".repeat(RefusalCheck.PREFIX) + "我无法回答"))
                .score())
        .isZero();
  }

  @Test
  void language_sameAndDifferent_scoreOneAndZero() {
    assertThat(
            verdict(
                Map.of("type", "language"), call("解释机器学习的基本概念", "机器学习是人工智能的一个子领域，它让计算机从数据中学习。")))
        .isEqualTo(new Verdict(1, "zh", "prompt zh, response zh"));
    assertThat(
            verdict(
                Map.of("type", "language"),
                call("解释机器学习的基本概念", "Machine learning is a subfield of AI.")))
        .isEqualTo(new Verdict(0, "en", "prompt zh, response en"));
    assertThat(
            verdict(
                    Map.of("type", "language"),
                    call("Explain GPT-4 in one line", "GPT-4 是 OpenAI 的大语言模型。"))
                .label())
        .isEqualTo("zh");
    assertThat(
            verdict(Map.of("type", "language"), call("Привет, как дела?", "Hello!")).explanation())
        .isEqualTo("prompt other, response en");
    assertThat(verdict(Map.of("type", "language"), call("12345", "67890")))
        .as("no letters, no score")
        .isNull();
  }

  @Test
  void pii_fromTheRedactFiltersFindings_countsItemsByKind() throws Exception {
    ObjectMapper json = new ObjectMapper();
    Settings settings =
        Settings.of(
            Map.of("quality", Map.of("evaluators", List.of(Map.of("name", "pii", "type", "pii")))),
            name -> null);
    QualitySettings quality = QualitySettings.from(settings);
    Pipeline pipeline =
        Pipelines.build(settings, json, CLOCK, id -> true, Quality.pipelineTail(quality, CLOCK))
            .calls();
    Event event = call("我的邮箱", "请联系 zhang.wei@example.com 或 13812345678，英文客服 support@example.org");
    assertThat(pipeline.process(event).kind()).isEqualTo(Pipeline.Kind.KEPT);
    assertThat(event.get("response")).asString().doesNotContain("example.com");
    assertThat(event.derived()).hasSize(1);
    Map<String, Object> record = event.derived().get(0).fields();
    assertThat(record)
        .containsEntry("evaluator", "pii")
        .containsEntry("scores", Map.of("pii", 3.0))
        .containsEntry("label", "email,phone")
        .containsEntry("request_id", "req-1")
        .containsEntry("timestamp", "2026-05-01T07:59:00Z")
        .containsEntry("model", "gpt-4o")
        .containsEntry("evaluated_at", "2026-05-01T08:00:00Z");
  }

  @Test
  void pipeline_callWithStructuredMessagesOnly_isScoredOnTheResponseFlattenRendered() {
    ObjectMapper json = new ObjectMapper();
    Settings settings =
        Settings.of(
            Map.of(
                "quality",
                Map.of("evaluators", List.of(Map.of("name", "json_ok", "type", "json")))),
            name -> null);
    QualitySettings quality = QualitySettings.from(settings);
    Pipeline pipeline =
        Pipelines.build(settings, json, CLOCK, id -> true, Quality.pipelineTail(quality, CLOCK))
            .calls();
    Event event = call("q", null);
    event.remove("prompt");
    event.set("input_messages", List.of(Map.of("role", "user", "content", "订单状态？回答 JSON")));
    event.set(
        "output_messages",
        List.of(Map.of("role", "assistant", "content", "{\"status\": \"shipped\"}")));

    assertThat(pipeline.process(event).kind()).isEqualTo(Pipeline.Kind.KEPT);

    assertThat(event.get("response")).isEqualTo("{\"status\": \"shipped\"}");
    assertThat(event.derived())
        .singleElement()
        .satisfies(
            score ->
                assertThat(score.fields())
                    .containsEntry("evaluator", "json_ok")
                    .containsEntry("scores", Map.of("json_ok", 1.0))
                    .containsEntry("label", "valid"));
  }

  @Test
  void pii_storedTextWithMarks_countsTheMarks() {
    assertThat(
            verdict(Map.of("type", "pii"), call("q", "Mail [EMAIL] or call [PHONE:3f2a9c1d0b7e].")))
        .isEqualTo(new Verdict(2, "email,phone", "email=1, phone=1"));
    assertThat(verdict(Map.of("type", "pii"), call("q", "No personal data here.")))
        .isEqualTo(new Verdict(0, "none", "no personal data"));
  }

  @Test
  void budget_latencyAndCost_withinAndOver() {
    Event call = call("q", "a");
    assertThat(verdict(Map.of("type", "budget", "field", "latency_ms", "max", 5000), call))
        .isEqualTo(new Verdict(1, "within", "2300 ms of 5000"));
    assertThat(verdict(Map.of("type", "budget", "field", "cost_usd", "max", 0.001), call).label())
        .isEqualTo("over");
    assertThatThrownBy(() -> verdict(Map.of("type", "budget", "field", "prompt", "max", 1), call))
        .hasMessageContaining("numeric");
  }

  @Test
  void evaluator_requestOnlyPart_getsNoScore() {
    assertThat(verdict(Map.of("type", "refusal"), call("q", null))).isNull();
    assertThat(verdict(Map.of("type", "json"), call("q", null))).isNull();
  }

  @Test
  void selects_filterSampleAndTheJudgesOwnCalls() {
    QualitySettings settings =
        QualitySettings.from(
            Settings.of(
                Map.of(
                    "quality",
                    Map.of(
                        "evaluators",
                        List.of(
                            Map.of(
                                "name",
                                "half",
                                "type",
                                "refusal",
                                "filter",
                                "model:gpt-4o",
                                "sample",
                                0.5)))),
                name -> null));
    Evaluators.Built built = Evaluators.build(settings.evaluators().get(0), List.of());
    int selected = 0;
    for (int i = 0; i < 2000; i++) {
      Event call = call("q", "a");
      call.set("request_id", "req-" + i);
      selected += built.selects(call::get) ? 1 : 0;
    }
    assertThat(selected).isBetween(900, 1100);
    Event other = call("q", "a");
    other.set("model", "claude-3");
    Event own = call("q", "a");
    own.set("service", "llmlog-evaluator");
    assertThat(
            java.util.stream.IntStream.range(0, 50)
                .noneMatch(
                    i -> {
                      other.set("request_id", "x-" + i);
                      own.set("request_id", "x-" + i);
                      return built.selects(other::get) || built.selects(own::get);
                    }))
        .isTrue();
  }

  @Test
  void settings_badEvaluator_isRefusedNamingIt() {
    assertThatThrownBy(
            () ->
                QualitySettings.from(
                    Settings.of(
                        Map.of(
                            "quality",
                            Map.of("evaluators", List.of(Map.of("name", "x", "type", "magic")))),
                        name -> null)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("quality.evaluators[0] (x): type: must be one of");
    assertThatThrownBy(
            () -> verdict(Map.of("type", "refusal", "feild", "response"), call("q", "a")))
        .hasMessage("quality.evaluators[0] (check): feild: unknown option; did you mean field?");
    // An option of another type is no option of this one.
    assertThatThrownBy(
            () ->
                verdict(
                    Map.of("type", "regex", "must_match", "x", "values", List.of("a")),
                    call("q", "a")))
        .hasMessageStartingWith("quality.evaluators[0] (check): values: unknown option");
    assertThatThrownBy(
            () ->
                QualitySettings.from(
                    Settings.of(
                        Map.of(
                            "quality",
                            Map.of(
                                "evaluators",
                                List.of(Map.of("name", "relevance", "type", "judge")))),
                        name -> null)))
        .hasMessageContaining("quality.judge.base_url");
  }

  @Test
  void judgeSettings_unknownTemplate_isRefusedNamingTheBuiltInOnes() {
    assertThatThrownBy(
            () ->
                QualitySettings.from(
                    Settings.of(
                        Map.of(
                            "quality",
                            Map.of(
                                "judge", Map.of("base_url", "http://127.0.0.1:1/v1"),
                                "evaluators",
                                    List.of(
                                        Map.of(
                                            "name",
                                            "judge-x",
                                            "type",
                                            "judge",
                                            "template",
                                            "relevence")))),
                        name -> null)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "quality.evaluators[0] (judge-x): template: give a prompt, or a built-in template: faithfulness, helpfulness, relevance");
  }

  @Test
  void judgeSettings_keyVariableNamedLikeASetting_isRefused() {
    assertThatThrownBy(
            () ->
                QualitySettings.from(
                    Settings.of(
                        Map.of(
                            "quality",
                            Map.of(
                                "judge",
                                Map.of(
                                    "base_url",
                                    "http://127.0.0.1:1/v1",
                                    "api_key_env",
                                    "LLMLOG_JUDGE_KEY"))),
                        name -> null)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "quality.judge.api_key_env must be the name of a variable outside LLMLOG_*");
  }

  @Test
  void judgeSettings_keyFromTheNamedVariable_neverShown() {
    QualitySettings settings =
        QualitySettings.from(
            Settings.of(
                Map.of(
                    "quality",
                    Map.of(
                        "judge",
                        Map.of("base_url", "http://127.0.0.1:1/v1", "api_key_env", "JUDGE_KEY"))),
                name -> name.equals("JUDGE_KEY") ? "sk-secret-123456" : null));
    assertThat(settings.judge().apiKey()).isEqualTo("sk-secret-123456");
    assertThat(settings.judge().toString()).doesNotContain("sk-secret").contains("$JUDGE_KEY");
    assertThat(settings.toString()).doesNotContain("sk-secret");
  }
}

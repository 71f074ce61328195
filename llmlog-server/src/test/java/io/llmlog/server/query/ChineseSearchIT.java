package io.llmlog.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.core.testing.BriefExample;
import io.llmlog.engine.junit.SharedEngineExtension;
import io.llmlog.engine.junit.TestEngine;
import io.llmlog.server.Http;
import io.llmlog.server.LlmlogServer;
import io.llmlog.server.TestServers;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a search finds in text analysed as llmlog's days are since schema version 4 (runs of Han
 * characters as overlapping pairs, prompts and responses without positions), beside a day written
 * before (one token per Han character, with positions) that holds the same calls: Chinese words of
 * two and three characters at the start, middle and end of a sentence, single characters, mixed
 * Chinese and English, Chinese and English phrases, and the brief's own query, through KQL and
 * through the Elasticsearch facade. Every call of the new day is on the old day too, with {@code
 * -old} after its id.
 */
@ExtendWith(SharedEngineExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChineseSearchIT {
  private static final String OLD = "-old";

  private LlmlogServer server;
  private Http api;
  private Http es;

  @BeforeAll
  void start(TestEngine engine) {
    Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
    Instant newDay = today.minus(1, ChronoUnit.DAYS).plus(12, ChronoUnit.HOURS);
    Instant oldDay = today.minus(3, ChronoUnit.DAYS).plus(12, ChronoUnit.HOURS);
    List<ObjectNode> calls = new ArrayList<>();
    calls.add(call("word", "我要申请退款，订单号 123"));
    calls.add(call("word-at-start", "退款到账了吗"));
    calls.add(call("word-in-response", "订单状态?").put("response", "已为您办理退款"));
    calls.add(call("characters-apart", "请退回款项"));
    calls.add(call("across-punctuation", "请退，款项已到"));
    calls.add(call("three-at-start", "订单号是多少"));
    calls.add(call("three-in-middle", "请提供订单号和姓名"));
    calls.add(call("long-word", "解释机器学习的基本概念"));
    calls.add(call("long-word-apart", "机器人在学习中"));
    calls.add(call("mixed", "用 Python 写一个退款脚本"));
    calls.add(call("mixed-without-spaces", "用Python写个脚本"));
    calls.add(call("english", "please send a refund for the broken item"));
    calls.add(call("english-apart", "the item is broken, send a refund"));
    calls.add(call("lone-character", "猫 and dogs"));
    calls.add(call("character-in-word", "我的小猫咪生病了"));
    calls.add(call("full-width", "ＧＰＴ的退款政策"));
    calls.add(call("katakana", "カタカナ テスト"));
    // The brief's slow request: it and only it answers the brief's query.
    calls.add(call("slow-info", "解释机器学习的基本概念").put("latency_ms", 6200));
    calls.add(call("slow-error", "解释机器学习的基本概念").put("latency_ms", 7000).put("level", "error"));

    // The old day first, made as llmlog made days before the pairs (schema version 3): before this
    // class's llmlog installs its templates, so that none applies to it.
    String oldIndex =
        engine.indexPrefix()
            + "llm-logs-"
            + DateTimeFormatter.ofPattern("yyyy.MM.dd").withZone(ZoneOffset.UTC).format(oldDay);
    engine.put("/" + oldIndex, PREVIOUS_MAPPING);
    for (ObjectNode call : calls) {
      ObjectNode old = call.deepCopy();
      old.put("request_id", call.path("request_id").asText() + OLD);
      old.put("timestamp", oldDay.toString());
      engine.put("/" + oldIndex + "/_doc/" + old.path("request_id").asText(), old.toString());
    }
    engine.refresh(oldIndex);

    server = TestServers.onSharedEngine(engine, Map.of());
    api = new Http(TestServers.api(server));
    es = new Http(TestServers.es(server));
    calls.forEach(call -> call.put("timestamp", newDay.toString()));
    Calls.ingest(api, calls);
    assertThat(engine.get("/" + engine.indexPrefix() + "llm-logs-*/_mapping"))
        .as("the new day is analysed with pairs")
        .contains("llmlog_text");
  }

  /** The call and message fields of a day of schema version 3 that these searches touch. */
  private static final String PREVIOUS_MAPPING =
      """
      {"mappings":{"dynamic":false,"properties":{
        "timestamp":{"type":"date"},
        "request_id":{"type":"keyword"},
        "model":{"type":"keyword"},
        "level":{"type":"keyword"},
        "latency_ms":{"type":"float"},
        "prompt":{"type":"text","norms":false},
        "system_prompt":{"type":"text","norms":false},
        "response":{"type":"text","norms":false}}}}""";

  private static ObjectNode call(String id, String prompt) {
    ObjectNode call = Calls.call(id, Instant.EPOCH, "gpt-4o");
    call.put("prompt", prompt);
    call.put("latency_ms", 800);
    return call;
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private Http.Answer search(String kql) {
    Http.Answer answer =
        api.get(
            "/api/v1/search?size=100&from=now-7d&q="
                + URLEncoder.encode(kql, StandardCharsets.UTF_8));
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    return answer;
  }

  private static Set<String> ids(JsonNode hits, String idPath) {
    Set<String> ids = new LinkedHashSet<>();
    hits.forEach(hit -> ids.add(hit.at(idPath).asText()));
    return ids;
  }

  private static Set<String> onNewDay(Set<String> ids) {
    return ids.stream().filter(id -> !id.endsWith(OLD)).collect(Collectors.toSet());
  }

  private static Set<String> onOldDay(Set<String> ids) {
    return ids.stream()
        .filter(id -> id.endsWith(OLD))
        .map(id -> id.substring(0, id.length() - OLD.length()))
        .collect(Collectors.toSet());
  }

  private static List<String> list(String ids) {
    return ids.isBlank() ? List.of() : Arrays.asList(ids.strip().split(","));
  }

  @ParameterizedTest(name = "[{0}] finds {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // A two-character word is one term; its characters apart are not the word, nor (since
        // the pairs) across a comma, where the old day's phrase of characters still saw it.
        "退款                        | word,word-at-start,word-in-response,mixed,full-width | word,word-at-start,word-in-response,mixed,full-width,across-punctuation",
        "prompt:退款                 | word,word-at-start,mixed,full-width | word,word-at-start,mixed,full-width,across-punctuation",
        // Three characters: the phrase of two pairs, at the start, middle and end of a sentence.
        "订单号                      | word,three-at-start,three-in-middle | =",
        "机器学习                    | long-word,slow-info,slow-error | =",
        "prompt:机器学习 and not level:error | long-word,slow-info | =",
        // One character, alone or inside a word, at either end of a pair.
        "猫                          | lone-character,character-in-word | =",
        "款                          | word,word-at-start,word-in-response,characters-apart,across-punctuation,mixed,full-width | =",
        "\"猫\"                      | lone-character,character-in-word | =",
        // Mixed Chinese and English: in one value and as two words. Full-width letters are folded
        // to ASCII since the pairs; the old day kept them as they were written.
        "python 退款                 | mixed | =",
        "prompt:(退款 and python)    | mixed | =",
        "gpt 退款                    | full-width | ''",
        // Phrases: Chinese, across the script boundary, across punctuation, and English ones.
        "\"写一个退款\"               | mixed | =",
        // A phrase that cuts a run where the text does not: 写 alone in the search, but in the pair
        // 写个 in the text. The old day's characters match it; as two words it matches on both.
        "\"python写\"                 | '' | mixed,mixed-without-spaces",
        "python 写                   | mixed,mixed-without-spaces | =",
        "\"退款脚本\"                 | mixed | =",
        "\"申请退款，订单号\"          | word | =",
        "\"send a refund\"            | english,english-apart | =",
        "\"refund for the broken item\" | english | =",
        "\"broken item\"              | english | =",
        // English words as before, other scripts whole, and words that are not there.
        "refund and broken           | english,english-apart | =",
        "カタカナ                     | katakana | =",
        "退货                        | '' | =",
        "机学                        | '' | =",
      })
  void search_chineseAndEnglish_findsTheWordsOnBothDays(String kql, String expected, String old) {
    Set<String> ids = ids(search(kql).json().path("hits"), "/request_id");

    assertThat(onNewDay(ids)).as("new day").containsExactlyInAnyOrderElementsOf(list(expected));
    assertThat(onOldDay(ids))
        .as("old day")
        .containsExactlyInAnyOrderElementsOf(list(old.equals("=") ? expected : old));
  }

  @Test
  void search_chineseWord_highlightsTheWord() {
    JsonNode hits = search("prompt:申请退款 and prompt:订单号").json().path("hits");

    assertThat(ids(hits, "/request_id")).containsExactlyInAnyOrder("word", "word" + OLD);
    for (JsonNode hit : hits) {
      assertThat(hit.path("highlight").path("prompt").get(0).asText())
          .as(hit.path("request_id").asText())
          .isEqualTo("我要<mark>申请退款</mark>，<mark>订单号</mark> 123");
    }
  }

  @Test
  void facade_briefsQuery_answersTheSameOnBothDays() {
    Http.Answer answer = es.postJson("/llm-logs-*/_search", BriefExample.KIBANA_QUERY);

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    JsonNode body = answer.json();
    assertThat(body.path("hits").path("total").path("value").asInt()).isEqualTo(2);
    Set<String> ids = ids(body.path("hits").path("hits"), "/_source/request_id");
    assertThat(onNewDay(ids)).containsExactly("slow-info");
    assertThat(onOldDay(ids)).containsExactly("slow-info");
    JsonNode buckets = body.path("aggregations").path("avg_latency_by_model").path("buckets");
    assertThat(buckets).hasSize(1);
    assertThat(buckets.get(0).path("key").asText()).isEqualTo("gpt-4o");
    assertThat(buckets.get(0).path("doc_count").asInt()).isEqualTo(2);
    assertThat(buckets.get(0).path("avg_latency").path("value").asDouble()).isEqualTo(6200.0);
  }

  @Test
  void facade_matchPhraseOfAChineseWord_findsTheWordNotItsCharactersApart() {
    Http.Answer answer =
        es.postJson(
            "/llm-logs-*/_search",
            "{\"size\":50,\"query\":{\"match_phrase\":{\"prompt\":\"退款\"}},"
                + "\"highlight\":{\"fields\":{\"prompt\":{}}}}");

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    Set<String> ids = ids(answer.json().path("hits").path("hits"), "/_source/request_id");
    assertThat(onNewDay(ids))
        .containsExactlyInAnyOrder("word", "word-at-start", "mixed", "full-width");
    assertThat(onOldDay(ids))
        .containsExactlyInAnyOrder(
            "word", "word-at-start", "mixed", "full-width", "across-punctuation");
    // The engine's own highlighter marks the word whole on the new day, character by character on
    // the old one.
    for (JsonNode hit : answer.json().path("hits").path("hits")) {
      String id = hit.path("_source").path("request_id").asText();
      String highlight = hit.path("highlight").path("prompt").get(0).asText();
      if (id.equals("word")) {
        assertThat(highlight).isEqualTo("我要申请<em>退款</em>，订单号 123");
      } else if (id.equals("word" + OLD)) {
        assertThat(highlight).isEqualTo("我要申请<em>退</em><em>款</em>，订单号 123");
      }
    }
  }
}

package io.llmlog.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PrefixStripperTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> DOCUMENTS = Set.of("_source", "fields", "highlight");

  private final PrefixStripper stripper = new PrefixStripper("p1-", "llm-", DOCUMENTS);

  private String strip(String answer) {
    return new String(
        stripper.strip(answer.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
  }

  @Test
  void strip_searchAnswer_indexNamesLoseThePrefixDocumentsKeepIt() {
    String answer =
        """
        {"hits":{"hits":[{"_index":"p1-llm-logs-2026.11.28","_id":"a",\
        "_source":{"prompt":"see p1-llm-logs-x","nested":{"_index":"p1-llm-logs-y"}},\
        "highlight":{"prompt":["p1-llm-logs-x"]},"fields":["p1-llm-z"]}]},\
        "aggregations":{"by":{"buckets":[{"key":"p1-llm-quality-2026.11.28","doc_count":1}]}}}""";

    assertThat(strip(answer))
        .isEqualTo(
            """
            {"hits":{"hits":[{"_index":"llm-logs-2026.11.28","_id":"a",\
            "_source":{"prompt":"see p1-llm-logs-x","nested":{"_index":"p1-llm-logs-y"}},\
            "highlight":{"prompt":["p1-llm-logs-x"]},"fields":["p1-llm-z"]}]},\
            "aggregations":{"by":{"buckets":[{"key":"llm-quality-2026.11.28","doc_count":1}]}}}""");
  }

  @Test
  void strip_keysAndEscapedQuotes_loseThePrefixOutsideDocuments() {
    String answer =
        """
        {"p1-llm-logs-2026.11.28" : {"mappings":{}},\
        "error":{"reason":"no such index [p1-llm-logs-x] \\"p1-llm-spans-y\\"\\np1-llm-quality-z",\
        "_source" : "p1-llm-kept"}}""";

    assertThat(strip(answer))
        .isEqualTo(
            """
            {"llm-logs-2026.11.28" : {"mappings":{}},\
            "error":{"reason":"no such index [llm-logs-x] \\"llm-spans-y\\"\\nllm-quality-z",\
            "_source" : "p1-llm-kept"}}""");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // The prefix inside a longer name or word: not an index name of this deployment.
        "{\"service\":\"xp1-llm-logs\",\"reason\":\"tenant-p1-llm-x\"}",
        "{\"key\":\"日p1-llm-logs\",\"k2\":\"ap1-llm-\",\"k3\":\"p1.p1-llm-z\"}",
        // An escaped backslash followed by a letter is not an escape: \\n then p1-llm stays.
        "{\"path\":\"c:\\\\\\\\np1-llm-logs\"}",
        // Not the family stem after the prefix.
        "{\"_index\":\"p1-other-2026\",\"k\":\"p1-llmlogs\"}",
      })
  void strip_prefixInsideOtherText_isTheSameArray(String answer) {
    byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);

    assertThat(stripper.strip(bytes)).isSameAs(bytes);
  }

  @Test
  void strip_quotesAndBackslashesInStrings_endStringsWhereJsonDoes() {
    // A value that ends with an escaped backslash, a value that looks like a "_source" key, a
    // document key as a value: each string ends where JSON ends it.
    String answer =
        """
        {"a":"x\\\\","_index":"p1-llm-logs-1","b":"\\"_source\\": \\"p1-llm-logs-2\\"",\
        "c":"_source","d":"p1-llm-logs-3","_source":{"s":"\\"}p1-llm-logs-4"},"e":"p1-llm-logs-5"}""";

    assertThat(strip(answer))
        .isEqualTo(
            """
            {"a":"x\\\\","_index":"llm-logs-1","b":"\\"_source\\": \\"llm-logs-2\\"",\
            "c":"_source","d":"llm-logs-3","_source":{"s":"\\"}p1-llm-logs-4"},"e":"llm-logs-5"}""");
  }

  @Test
  void strip_answerWithoutThePrefix_isTheSameArray() {
    byte[] answer = "{\"hits\":{\"total\":{\"value\":0}}}".getBytes(StandardCharsets.UTF_8);

    assertThat(stripper.strip(answer)).isSameAs(answer);
  }

  @Test
  void strip_textThatIsNotJson_losesThePrefixFromEveryIndexName() {
    assertThat(strip("no such index p1-llm-logs-x, p1-other, xp1-llm-y"))
        .isEqualTo("no such index llm-logs-x, p1-other, xp1-llm-y");
    assertThat(stripper.strip("health p1-llm-logs-x\np1-llm-quality-y"))
        .isEqualTo("health llm-logs-x\nllm-quality-y");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"_index\":\"p1-llm-logs-x",
        "{\"_index\":\"p1-llm-logs-x\",\"_source\":{\"a\":[1,{\"b\":\"p1-llm-",
        "{\"_source\":",
        "{\"_index\":\"p1-llm-logs-x\\",
        "[\"p1-llm-logs-x\",]]]}}}",
      })
  void strip_malformedAnswer_neverThrowsAndStripsWhatItReads(String answer) {
    assertThat(strip(answer)).doesNotContain("\"p1-llm-logs-x");
  }

  @Test
  void strip_deeplyNestedDocument_isCopiedWithoutRecursion() {
    String deep = "[".repeat(200_000) + "\"p1-llm-logs-in\"" + "]".repeat(200_000);
    String answer =
        "{\"_source\":" + deep + ",\"_index\":\"p1-llm-logs-out\",\"v\":" + deep.length() + "}";

    assertThat(strip(answer))
        .isEqualTo(
            "{\"_source\":" + deep + ",\"_index\":\"llm-logs-out\",\"v\":" + deep.length() + "}");
  }

  @Test
  void strip_hugeAnswer_rewritesEveryHit() throws Exception {
    ObjectNode answer = JSON.createObjectNode();
    ArrayNode hits = answer.putObject("hits").putArray("hits");
    String prompt = "p1-llm-logs-kept ".repeat(200);
    for (int i = 0; i < 6_000; i++) {
      ObjectNode hit = hits.addObject();
      hit.put("_index", "p1-llm-logs-2026.11." + (i % 30));
      hit.putObject("_source").put("prompt", prompt).put("i", i);
    }
    byte[] bytes = JSON.writeValueAsBytes(answer);
    assertThat(bytes.length).isGreaterThan(16 << 20);

    JsonNode stripped = JSON.readTree(stripper.strip(bytes));

    assertThat(stripped.path("hits").path("hits")).hasSize(6_000);
    for (int i = 0; i < 6_000; i++) {
      JsonNode hit = stripped.path("hits").path("hits").get(i);
      assertThat(hit.path("_index").asText()).isEqualTo("llm-logs-2026.11." + (i % 30));
      assertThat(hit.path("_source").path("prompt").asText()).isEqualTo(prompt);
    }
  }

  /**
   * Seeded random answers written by Jackson (quotes, backslashes, control characters, other
   * scripts and prefixes everywhere): stripping the bytes gives the tree that rewriting each of its
   * strings outside documents gives.
   */
  @Test
  void strip_randomAnswers_equalRewritingTheirTree() throws Exception {
    Random random = new Random(19);
    for (int round = 0; round < 300; round++) {
      JsonNode answer = randomNode(random, 0);
      byte[] bytes = JSON.writeValueAsBytes(answer);

      JsonNode stripped = JSON.readTree(stripper.strip(bytes));

      assertThat(stripped).as(answer.toString()).isEqualTo(rewritten(answer));
    }
  }

  private static final String[] PIECES = {
    "p1-llm-logs-2026",
    "p1-llm-",
    "xp1-llm-a",
    "\"",
    "\\",
    "\n",
    "\t",
    "\u0001",
    "[",
    " ",
    "日本",
    "a",
    "_source",
    "p1-",
    "llm-",
    "é"
  };

  private static JsonNode randomNode(Random random, int depth) {
    int kind = depth > 4 ? 0 : random.nextInt(4);
    if (kind == 0) {
      return TextNode.valueOf(randomText(random));
    }
    if (kind == 1) {
      ArrayNode array = JSON.createArrayNode();
      for (int i = random.nextInt(4); i > 0; i--) {
        array.add(randomNode(random, depth + 1));
      }
      return array;
    }
    ObjectNode object = JSON.createObjectNode();
    for (int i = random.nextInt(5); i > 0; i--) {
      String key =
          random.nextInt(4) == 0
              ? DOCUMENTS.stream().toList().get(random.nextInt(DOCUMENTS.size()))
              : randomText(random);
      object.set(
          key,
          random.nextInt(5) == 0
              ? JSON.getNodeFactory().numberNode(i)
              : randomNode(random, depth + 1));
    }
    return object;
  }

  private static String randomText(Random random) {
    StringBuilder text = new StringBuilder();
    for (int i = random.nextInt(5); i > 0; i--) {
      text.append(PIECES[random.nextInt(PIECES.length)]);
    }
    return text.toString();
  }

  /** What the facade answered before: every string outside documents rewritten, keys too. */
  private JsonNode rewritten(JsonNode node) {
    if (node.isTextual()) {
      return TextNode.valueOf(stripper.strip(node.asText()));
    }
    if (node instanceof ObjectNode object) {
      ObjectNode copy = JSON.createObjectNode();
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        copy.set(
            stripper.strip(field.getKey()),
            DOCUMENTS.contains(field.getKey()) ? field.getValue() : rewritten(field.getValue()));
      }
      return copy;
    }
    if (node instanceof ArrayNode array) {
      ArrayNode copy = JSON.createArrayNode();
      array.forEach(item -> copy.add(rewritten(item)));
      return copy;
    }
    return node;
  }
}

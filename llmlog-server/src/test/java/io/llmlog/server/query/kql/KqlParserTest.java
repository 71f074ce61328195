package io.llmlog.server.query.kql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.core.FieldType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The KQL table ({@code src/test/resources/kql/cases.json}): each query with the DSL it must become
 * (compared as JSON trees) or the error it must raise (position and what was expected). Adding a
 * case is adding a line there. The rest of this class covers what a table cannot: limits and
 * hostile input, the message layout, and the parser's options.
 */
class KqlParserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final KqlParser PARSER = new KqlParser();

  /** One row of the table: {@code dsl} for a valid query, {@code error} for an invalid one. */
  record Case(String kql, JsonNode dsl, JsonNode error) {}

  static List<Case> table() {
    try (InputStream in = KqlParserTest.class.getResourceAsStream("/kql/cases.json")) {
      List<Case> cases = new ArrayList<>();
      for (JsonNode row : JSON.readTree(in)) {
        cases.add(new Case(row.get("kql").asText(), row.get("dsl"), row.get("error")));
      }
      return cases;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Stream<Named<Case>> validCases() {
    return table().stream().filter(c -> c.dsl() != null).map(c -> Named.of(display(c.kql()), c));
  }

  static Stream<Named<Case>> invalidCases() {
    return table().stream().filter(c -> c.error() != null).map(c -> Named.of(display(c.kql()), c));
  }

  private static String display(String kql) {
    return "'" + kql.replace("\n", "\\n").replace("\t", "\\t") + "'";
  }

  @Test
  void table_everyRow_hasOneOutcomeAndThereAreAtLeastForty() {
    List<Case> cases = table();
    assertThat(cases).hasSizeGreaterThanOrEqualTo(40);
    assertThat(cases).allSatisfy(c -> assertThat(c.dsl() == null).isNotEqualTo(c.error() == null));
    assertThat(cases).extracting(Case::kql).doesNotHaveDuplicates();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validCases")
  void toQuery_validQuery_producesExpectedDsl(Case c) {
    assertThat(normalized(PARSER.toQuery(c.kql()))).isEqualTo(c.dsl());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidCases")
  void toQuery_invalidQuery_throwsWithPositionAndExpected(Case c) {
    KqlSyntaxException e =
        catchThrowableOfType(KqlSyntaxException.class, () -> PARSER.toQuery(c.kql()));

    assertThat(e).as("error for %s", display(c.kql())).isNotNull();
    assertThat(e.position()).as("position").isEqualTo(c.error().get("position").asInt());
    assertThat(e.expected()).as("expected").isEqualTo(c.error().get("expected").asText());
    String reason =
        c.error().has("reason") ? c.error().get("reason").asText() : "expected " + e.expected();
    assertThat(e.reason()).as("reason").isEqualTo(reason);
    assertThat(e.getMessage())
        .startsWith("KQL")
        .contains("at position " + e.position() + ": " + reason);
  }

  @Test
  void message_valueMissing_readsAsTheBriefShowsWithACaret() {
    assertThatThrownBy(() -> PARSER.toQuery("model:gpt-4 and level:"))
        .isInstanceOf(KqlSyntaxException.class)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "KQL syntax error at position 22: expected a value after ':'\n"
                + "  model:gpt-4 and level:\n"
                + "                        ^");
  }

  @Test
  void message_fieldMismatch_saysKqlErrorAndNamesTheField() {
    assertThatThrownBy(() -> PARSER.toQuery("model > 5"))
        .hasMessage(
            "KQL error at position 0: range needs a numeric or date field: model\n"
                + "  model > 5\n"
                + "  ^");
  }

  @Test
  void message_longQuery_showsAWindowAroundThePosition() {
    String query = "prompt:" + "x".repeat(200) + " and latency_ms:slow and " + "y".repeat(200);
    KqlSyntaxException e =
        catchThrowableOfType(KqlSyntaxException.class, () -> PARSER.toQuery(query));

    String[] lines = e.getMessage().split("\n");
    assertThat(lines).hasSize(3);
    assertThat(lines[1]).startsWith("  ...").endsWith("...").contains("latency_ms:slow");
    assertThat(lines[2].indexOf('^')).isEqualTo(lines[1].indexOf("slow"));
  }

  @Test
  void message_controlCharacters_becomeSpacesSoTheCaretLinesUp() {
    KqlSyntaxException e =
        catchThrowableOfType(KqlSyntaxException.class, () -> PARSER.toQuery("level:info\nand\t"));

    assertThat(e.position()).isEqualTo(15);
    assertThat(e.getMessage()).endsWith("  level:info and \n                 ^");
  }

  @Test
  void toQuery_atTheLengthLimit_parses() {
    String query = "prompt:" + "a".repeat(KqlParser.MAX_QUERY_LENGTH - "prompt:".length());

    assertThat(PARSER.toQuery(query).at("/match/prompt/query").asText())
        .hasSize(KqlParser.MAX_QUERY_LENGTH - 7);
  }

  @Test
  void toQuery_overTheLengthLimit_failsAtTheLimit() {
    String query = "a".repeat(KqlParser.MAX_QUERY_LENGTH + 1);
    KqlSyntaxException e =
        catchThrowableOfType(KqlSyntaxException.class, () -> PARSER.toQuery(query));

    assertThat(e.position()).isEqualTo(KqlParser.MAX_QUERY_LENGTH);
    assertThat(e.reason()).isEqualTo("query is longer than 10000 characters");
  }

  @Test
  void toQuery_parenthesesAtTheDepthLimit_parse() {
    int depth = KqlParser.MAX_DEPTH;
    String query = "not (".repeat(depth) + "level:info" + ")".repeat(depth);

    JsonNode dsl = PARSER.toQuery(query);

    assertThat(dsl.at("/bool/must_not/0/bool/must_not/0/bool/must_not/0").isObject()).isTrue();
    assertThat(dsl.toString()).contains("{\"term\":{\"level\":\"info\"}}");
  }

  @Test
  void toQuery_parenthesesDeeperThanTheLimit_failAtTheFirstTooDeepParenthesis() {
    int depth = KqlParser.MAX_DEPTH + 1;
    String query = "(".repeat(depth) + "a" + ")".repeat(depth);
    KqlSyntaxException e =
        catchThrowableOfType(KqlSyntaxException.class, () -> PARSER.toQuery(query));

    assertThat(e.position()).isEqualTo(KqlParser.MAX_DEPTH);
    assertThat(e.expected()).isEqualTo("at most 100 nested parentheses");
  }

  @Test
  void toQuery_valueListsDeeperThanTheLimit_fail() {
    String query =
        "model:" + "(".repeat(KqlParser.MAX_DEPTH + 1) + "a" + ")".repeat(KqlParser.MAX_DEPTH + 1);
    KqlSyntaxException e =
        catchThrowableOfType(KqlSyntaxException.class, () -> PARSER.toQuery(query));

    assertThat(e.position()).isEqualTo("model:".length() + KqlParser.MAX_DEPTH);
  }

  @Test
  void toQuery_thousandsOfOpenParentheses_failWithoutStackOverflow() {
    String query = "(".repeat(KqlParser.MAX_QUERY_LENGTH);

    assertThatThrownBy(() -> PARSER.toQuery(query)).isInstanceOf(KqlSyntaxException.class);
  }

  @Test
  void toQuery_hostileRepetitions_areParsedOrRefusedWithoutStackOverflow() {
    int n = KqlParser.MAX_QUERY_LENGTH;
    // Each of these stresses one loop of the lexer or the value checks at the size limit.
    assertThat(
            PARSER
                .toQuery(("a" + " ".repeat(98) + "b").repeat(n / 100))
                .at("/multi_match/query")
                .asText())
        .hasSize(n);
    assertThat(PARSER.toQuery("x:" + "\\*".repeat((n - 2) / 2)).at("/match/x/query").asText())
        .hasSize((n - 2) / 2);
    assertThat(PARSER.toQuery("a or ".repeat(n / 5 - 1) + "a").at("/bool/should")).hasSize(n / 5);
    assertThatThrownBy(() -> PARSER.toQuery("timestamp > now" + "+1d".repeat(3000)))
        .isInstanceOf(KqlSyntaxException.class);
    assertThatThrownBy(() -> PARSER.toQuery("latency_ms " + "=".repeat(n - 20) + "> 5"))
        .isInstanceOf(KqlSyntaxException.class);
    assertThatThrownBy(() -> PARSER.toQuery("latency_ms > " + "9".repeat(n - 20) + "x"))
        .isInstanceOf(KqlSyntaxException.class);
    assertThat(
            PARSER.toQuery("latency_ms > " + "9".repeat(300)).at("/range/latency_ms/gt").isDouble())
        .isTrue();
  }

  @Test
  void toQuery_caseInsensitiveKeywords_addsTheFlagToKeywordTermAndWildcardOnly() {
    KqlParser parser = new KqlParser(FieldResolver.logFields(), true);

    assertThat(
            normalized(
                parser.toQuery("model:GPT-4 or model:Claude* or prompt:Refund or latency_ms:5")))
        .isEqualTo(
            json(
                """
            {"bool": {"should": [
              {"term": {"model": {"value": "GPT-4", "case_insensitive": true}}},
              {"wildcard": {"model": {"value": "Claude*", "case_insensitive": true}}},
              {"match": {"prompt": {"query": "Refund", "operator": "and"}}},
              {"term": {"latency_ms": 5}}
            ], "minimum_should_match": 1}}
            """));
  }

  @Test
  void toQuery_customFieldResolver_decidesTheQueryType() {
    FieldResolver withRegion =
        name ->
            name.equals("region")
                ? FieldType.KEYWORD
                : name.equals("ok") ? FieldType.BOOLEAN : FieldResolver.logFields().typeOf(name);
    KqlParser parser = new KqlParser(withRegion, false);

    assertThat(normalized(parser.toQuery("region:eu-west and ok:TRUE and level:info")))
        .isEqualTo(
            json(
                """
        {"bool": {"filter": [
          {"term": {"region": "eu-west"}}, {"term": {"ok": true}}, {"term": {"level": "info"}}
        ]}}
        """));
    assertThatThrownBy(() -> parser.toQuery("ok:maybe"))
        .isInstanceOfSatisfying(
            KqlSyntaxException.class, e -> assertThat(e.position()).isEqualTo(3));
    assertThatThrownBy(() -> parser.toQuery("region >= eu"))
        .hasMessageStartingWith(
            "KQL error at position 0: range needs a numeric or date field: region");
  }

  @Test
  void logFields_metadataKeysAndSchemaFields_resolveToTheirTypes() {
    FieldResolver fields = FieldResolver.logFields();

    assertThat(fields.typeOf("metadata.tenant")).isEqualTo(FieldType.KEYWORD);
    assertThat(fields.typeOf("metadata.a.b")).isEqualTo(FieldType.KEYWORD);
    assertThat(fields.typeOf("error.message")).isEqualTo(FieldType.TEXT);
    assertThat(fields.typeOf("latency_ms")).isEqualTo(FieldType.FLOAT);
    assertThat(fields.typeOf("timestamp")).isEqualTo(FieldType.DATE);
    assertThat(fields.typeOf("metadata.")).isNull();
    assertThat(fields.typeOf("nope")).isNull();
  }

  @Test
  void toQuery_sameParserManyQueries_eachResultIsAFreshObject() {
    JsonNode first = PARSER.toQuery("level:info");
    ((ObjectNode) first).removeAll();

    assertThat(PARSER.toQuery("level:info")).isEqualTo(json("{\"term\": {\"level\": \"info\"}}"));
  }

  @Test
  void toQuery_null_throwsNullPointerException() {
    assertThatThrownBy(() -> PARSER.toQuery(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("kql");
  }

  /** Round-trips through text, so that int/long/double node classes do not decide equality. */
  private static JsonNode normalized(JsonNode node) {
    return json(node.toString());
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.llmlog.server.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.llmlog.server.query.kql.KqlParser;
import org.junit.jupiter.api.Test;

class ConditionParserTest {
  final ConditionParser parser = new ConditionParser(new KqlParser());

  @Test
  void parse_briefsErrorRate_valueIsTheRatioAndThresholdTheConstant() {
    Condition condition = parser.parse("count(errors) / count(all) > 0.05");

    Condition.Result result = condition.evaluate(new FakeAggregate(200, 20));

    assertThat(result.value()).isEqualTo(0.1);
    assertThat(result.threshold()).isEqualTo(0.05);
    assertThat(result.holds()).isTrue();
    assertThat(condition.evaluate(new FakeAggregate(200, 2)).holds()).isFalse();
  }

  @Test
  void parse_briefsPercentile_readsTheSketch() {
    Condition condition = parser.parse("percentile(latency_ms, 95) > 10000");

    assertThat(condition.sketchFields()).containsExactly("latency_ms");
    assertThat(condition.evaluate(new FakeAggregate(50, 0).with("p95.0:latency_ms", 12000)).holds())
        .isTrue();
    assertThat(condition.evaluate(new FakeAggregate(50, 0).with("p95.0:latency_ms", 9000)).holds())
        .isFalse();
  }

  @Test
  void parse_arithmetic_followsPrecedenceAndParentheses() {
    FakeAggregate aggregate =
        new FakeAggregate(10, 4).with("sum:cost_usd", 3).with("avg:latency_ms", 100);

    assertThat(parser.parse("1 + 2 * 3 == 7").evaluate(aggregate).holds()).isTrue();
    assertThat(parser.parse("(1 + 2) * 3 == 9").evaluate(aggregate).holds()).isTrue();
    assertThat(parser.parse("-count(errors) + 10 >= 6").evaluate(aggregate).holds()).isTrue();
    assertThat(
            parser.parse("sum(cost_usd) / count(all) * 1000 > 299.9").evaluate(aggregate).value())
        .isCloseTo(300, within(1e-9));
    assertThat(parser.parse("avg(latency_ms) != 100").evaluate(aggregate).holds()).isFalse();
    assertThat(parser.parse("count(all) < 2e1").evaluate(aggregate).holds()).isTrue();
  }

  @Test
  void evaluate_divisionByZeroOrNoData_hasNoValueAndDoesNotHold() {
    Condition.Result ratio =
        parser.parse("count(errors) / count(all) > 0.05").evaluate(new FakeAggregate(0, 0));
    Condition.Result average =
        parser.parse("avg(latency_ms) < 1").evaluate(new FakeAggregate(10, 0));

    assertThat(ratio.hasValue()).isFalse();
    assertThat(ratio.holds()).isFalse();
    assertThat(average.hasValue()).isFalse();
    assertThat(
            parser
                .parse("count(errors) / count(all) != 7")
                .evaluate(new FakeAggregate(0, 0))
                .holds())
        .isFalse();
  }

  @Test
  void parse_countWithKql_tracksTheFilterWithParenthesesAndQuotes() {
    Condition condition =
        parser.parse("count(level:error and (model:gpt-4 or prompt:\"a ) b\")) / count(all) > 0.1");

    assertThat(condition.countFilters())
        .containsExactly("level:error and (model:gpt-4 or prompt:\"a ) b\")");
  }

  @Test
  void parse_unknownFunction_namesItAndTheColumn() {
    assertThatThrownBy(() -> parser.parse("p95(latency_ms) > 10000"))
        .hasMessage(
            "unknown function 'p95' (functions: count, sum, avg, min, max, percentile) at column 1");
  }

  @Test
  void parse_unknownField_namesTheField() {
    assertThatThrownBy(() -> parser.parse("avg(latency) > 5"))
        .hasMessageStartingWith("unknown field 'latency' (numeric fields: ")
        .hasMessageEndingWith("at column 5");
    assertThatThrownBy(() -> parser.parse("sum(model) > 5"))
        .hasMessageStartingWith("field 'model' is not numeric");
  }

  @Test
  void parse_badKql_saysWhy() {
    assertThatThrownBy(() -> parser.parse("count(level:) > 1"))
        .hasMessageStartingWith("bad KQL filter in count(level:): expected a value");
    assertThatThrownBy(() -> parser.parse("count(modle:x) > 1"))
        .hasMessageContaining("unknown field 'modle'");
  }

  @Test
  void parse_malformed_saysWhatWasExpected() {
    assertThatThrownBy(() -> parser.parse("count(errors)"))
        .hasMessageContaining("needs a comparison");
    assertThatThrownBy(() -> parser.parse("count(errors) = 1")).hasMessageContaining("use '=='");
    assertThatThrownBy(() -> parser.parse("count(errors) > 1 > 2"))
        .hasMessageContaining("only one comparison");
    assertThatThrownBy(() -> parser.parse("percentile(latency_ms) > 1"))
        .hasMessageContaining("percentile(latency_ms, 95)");
    assertThatThrownBy(() -> parser.parse("percentile(latency_ms, 120) > 1"))
        .hasMessageContaining("at most 100");
    assertThatThrownBy(() -> parser.parse("(count(all) > 1")).hasMessageContaining("expected ')'");
    assertThatThrownBy(() -> parser.parse("latency_ms > 1"))
        .hasMessageContaining("did you mean avg(latency_ms)");
    assertThatThrownBy(() -> parser.parse("")).hasMessageContaining("empty");
  }

  @Test
  void parse_scoreField_isAcceptedAndReadsTheAggregate() {
    Condition condition = parser.parse("avg(scores.relevance) < 0.7");

    assertThat(
            condition.evaluate(new FakeAggregate(30, 0).with("avg:scores.relevance", 0.55)).holds())
        .isTrue();
    assertThat(
            condition.evaluate(new FakeAggregate(30, 0).with("avg:scores.relevance", 0.9)).holds())
        .isFalse();
    assertThatThrownBy(() -> parser.parse("avg(scores.) < 1"))
        .hasMessageContaining("unknown field 'scores.'");
  }
}

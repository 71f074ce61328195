package io.llmlog.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.server.query.kql.KqlSyntaxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArchiveFilterTest {
  static final JsonNode CALL =
      tree(
          """
      {"request_id":"r-1","timestamp":"2026-08-01T08:30:00Z","model":"gpt-4","level":"error","latency_ms":6200.5,
       "prompt":"我要退款，订单号 123","response":"Refund issued, sorry for the delay","error":{"type":"timeout"},
       "metadata":{"tenant":"acme"},"tags":["vip","beta"],"sample_pending":false}""");

  private static JsonNode tree(String json) {
    try {
      return new ObjectMapper().readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''|true",
        "*|true",
        "model:gpt-4|true",
        "model:GPT-4|false",
        "model:gpt-*|true",
        "model:(claude* or gpt-4)|true",
        "model:gpt-4 and level:error|true",
        "model:gpt-4 and not level:error|false",
        "level:info or latency_ms > 5000|true",
        "latency_ms >= 6200.5 and latency_ms < 6201|true",
        "latency_ms:6200.5|true",
        "latency_ms:6200|false",
        "退款|true",
        "\"sorry for the delay\"|true",
        "refund delay|true",
        "refund nowhere|false",
        "prompt:退款|true",
        "response:退款|false",
        "error.type:timeout|true",
        "metadata.tenant:acme|true",
        "tags:vip|true",
        "tags:gold|false",
        "user_id:*|false",
        "error.type:*|true",
        "sample_pending:false|true",
        "not (model:gpt-4 and level:error)|false",
      })
  void compile_query_matchesLikeTheEngineWould(String kql, boolean expected) {
    assertThat(ArchiveFilter.compile(kql).test(CALL)).as(kql).isEqualTo(expected);
  }

  @Test
  void compile_invalidKql_failsWithThePositionAsSearchDoes() {
    assertThatThrownBy(() -> ArchiveFilter.compile("model:gpt-4 and"))
        .isInstanceOf(KqlSyntaxException.class);
  }

  @Test
  void compile_dateField_isRefusedBecauseTheDaysAreTheTimeFilter() {
    assertThatThrownBy(() -> ArchiveFilter.compile("timestamp > now-1d"))
        .isInstanceOf(KqlSyntaxException.class)
        .hasMessageContaining("date fields");
  }
}

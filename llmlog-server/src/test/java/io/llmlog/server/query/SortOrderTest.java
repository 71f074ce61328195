package io.llmlog.server.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SortOrderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void parse_blank_isNewestFirstWithTheTieBreaker() {
    ArrayNode sort = JSON.createArrayNode();

    SortOrder.parse(null).writeTo(sort);

    assertThat(sort.toString())
        .isEqualTo("[{\"timestamp\":{\"order\":\"desc\"}},{\"request_id\":{\"order\":\"desc\"}}]");
  }

  @Test
  void parse_severalFields_keepsTheirOrderAndDirections() {
    ArrayNode sort = JSON.createArrayNode();

    SortOrder order = SortOrder.parse("latency_ms:asc, metadata.tenant, timestamp:DESC");
    order.writeTo(sort);

    assertThat(order.toString()).isEqualTo("latency_ms:asc,metadata.tenant:desc,timestamp:desc");
    assertThat(sort.toString())
        .isEqualTo(
            "[{\"latency_ms\":{\"order\":\"asc\"}},"
                + "{\"metadata.tenant\":{\"order\":\"desc\",\"unmapped_type\":\"keyword\"}},"
                + "{\"timestamp\":{\"order\":\"desc\"}},{\"request_id\":{\"order\":\"asc\"}}]");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"prompt:asc", "response", "metadata", "nope:desc", "latency_ms:up", "_score"})
  void parse_unsortable_namesTheSortParameter(String text) {
    assertThatThrownBy(() -> SortOrder.parse(text))
        .isInstanceOfSatisfying(
            InvalidParameterException.class, e -> assertThat(e.parameter()).isEqualTo("sort"));
  }

  @Test
  void pageToken_roundTrip_givesTheSortValuesBack() {
    SortOrder order = SortOrder.parse("latency_ms:asc");
    ArrayNode values = JSON.createArrayNode().add(5000.5).add("req-7");

    String token = PageToken.encode(JSON, order, values);

    assertThat(token).doesNotContain("=", "+", "/");
    assertThat(PageToken.decode(JSON, order, token)).isEqualTo(values);
  }

  @Test
  void pageToken_fromAnotherSort_isRefused() {
    String token =
        PageToken.encode(JSON, SortOrder.parse("latency_ms:asc"), JSON.createArrayNode().add(1));

    assertThatThrownBy(() -> PageToken.decode(JSON, SortOrder.NEWEST_FIRST, token))
        .isInstanceOfSatisfying(
            InvalidParameterException.class,
            e -> assertThat(e.parameter()).isEqualTo("search_after"))
        .hasMessageContaining("sort=latency_ms:asc");
    assertThatThrownBy(() -> PageToken.decode(JSON, SortOrder.NEWEST_FIRST, "not-a-token!"))
        .isInstanceOf(InvalidParameterException.class);
  }
}

package io.llmlog.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.server.Http;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/** Builds call records for tests and sends them through llmlog's native ingest API. */
final class Calls {
  static final ObjectMapper JSON = new ObjectMapper();

  private Calls() {}

  /** A call with the fields every test needs; add the rest with {@code put}. */
  static ObjectNode call(String requestId, Instant timestamp, String model) {
    ObjectNode call = JSON.createObjectNode();
    call.put("request_id", requestId);
    call.put("timestamp", timestamp.toString());
    call.put("model", model);
    call.put("level", "info");
    return call;
  }

  /** Ingests the calls and waits until they are searchable. */
  static void ingest(Http api, List<ObjectNode> calls) {
    String body = calls.stream().map(ObjectNode::toString).collect(Collectors.joining("\n"));
    Http.Answer answer = api.post("/api/v1/logs?refresh=wait_for", "application/x-ndjson", body);
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.json().path("accepted").asInt()).as(answer.body()).isEqualTo(calls.size());
  }

  /** Ingests quality records and waits until they are searchable. */
  static void ingestQuality(Http api, List<ObjectNode> records) {
    String body = records.stream().map(ObjectNode::toString).collect(Collectors.joining("\n"));
    Http.Answer answer = api.post("/api/v1/quality?refresh=wait_for", "application/x-ndjson", body);
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.json().path("accepted").asInt()).as(answer.body()).isEqualTo(records.size());
  }
}

package io.llmlog.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.server.ingest.IngestService;
import io.llmlog.server.ingest.Outcome;
import java.util.List;

/**
 * The native ingest answer: {@code
 * {"accepted":N,"rejected":M,"errors":[{"line":L,"field":F,"reason":R}]}}. 200 when something was
 * accepted; 400 when every record was bad; 429/503 with {@code Retry-After} when some records could
 * not be stored for now — resending the whole request is safe, because call records are keyed by
 * {@code request_id} and quality records by content.
 */
final class IngestReport {
  /** Enough errors to find the pattern; the count says how many there were. */
  static final int MAX_ERRORS = 1000;

  private IngestReport() {}

  static void send(
      Exchange exchange, ObjectMapper json, List<IngestService.Item> items, List<Outcome> outcomes)
      throws Exception {
    int accepted = 0;
    int rejected = 0;
    int retryable = 0;
    int throttled = 0;
    ObjectNode body = json.createObjectNode();
    ArrayNode errors = json.createArrayNode();
    for (int i = 0; i < outcomes.size(); i++) {
      Outcome outcome = outcomes.get(i);
      if (outcome.accepted()) {
        accepted++;
        continue;
      }
      if (outcome.retryable()) {
        retryable++;
        throttled += outcome.status() == 429 ? 1 : 0;
      } else {
        rejected++;
      }
      if (errors.size() < MAX_ERRORS) {
        ObjectNode error = errors.addObject();
        error.put("line", items.get(i).line());
        if (outcome.field() != null) {
          error.put("field", outcome.field());
        } else {
          error.putNull("field");
        }
        error.put("reason", outcome.reason());
      }
    }
    body.put("accepted", accepted);
    body.put("rejected", rejected);
    if (retryable > 0) {
      body.put("retryable", retryable);
    }
    body.set("errors", errors);
    int status = 200;
    if (retryable > 0) {
      status = throttled > 0 ? 429 : 503;
      exchange.header("Retry-After", throttled > 0 ? "1" : "5");
    } else if (accepted == 0 && rejected > 0) {
      status = 400;
    }
    exchange.json(status, body);
  }
}

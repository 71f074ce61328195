package io.llmlog.server.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.server.ingest.Body;
import io.llmlog.server.ingest.JsonLimits;
import io.llmlog.server.ingest.NdjsonLines;
import io.llmlog.server.ingest.RecordKind;
import io.llmlog.server.pipeline.Event;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An Elasticsearch {@code _bulk} body: action lines, each {@code index} or {@code create} followed
 * by its document. Other actions are answered per item ({@code update}, {@code delete}: llmlog's
 * logs are append-only from shippers). A malformed action line fails the whole request, as it does
 * in Elasticsearch, because the lines after it can no longer be paired.
 */
final class BulkRequest {
  /** One action: what the shipper asked for and the decoded document, or why it is not usable. */
  record Action(
      String action,
      String index,
      String id,
      RecordKind kind,
      Event event,
      String error,
      int line) {}

  private BulkRequest() {}

  static List<Action> parse(Body body, String pathIndex, ObjectMapper json, int maxRecords) {
    List<Action> actions = new ArrayList<>();
    NdjsonLines lines = new NdjsonLines(body);
    while (lines.next()) {
      if (lines.blank()) {
        continue;
      }
      if (actions.size() >= maxRecords) {
        throw new io.llmlog.server.ingest.PayloadTooLargeException(
            "more than "
                + maxRecords
                + " actions in one _bulk request (the limit limits.max_records_per_request)");
      }
      Map<String, Object> header = actionLine(lines, json);
      String action = header.keySet().iterator().next();
      Map<String, Object> meta =
          header.get(action) instanceof Map<?, ?> m ? Event.cast(m) : Map.of();
      String index = meta.get("_index") instanceof String i ? i : pathIndex;
      String id = meta.get("_id") == null ? null : String.valueOf(meta.get("_id"));
      RecordKind kind =
          index != null && index.contains("llm-quality") ? RecordKind.QUALITY : RecordKind.CALL;
      switch (action) {
        case "index", "create" -> {
          if (!lines.next()) {
            throw ApiException.badRequest(
                "the _bulk body ends after the action on line "
                    + lines.number()
                    + "; the document line is missing");
          }
          actions.add(document(action, index, id, kind, lines, json));
        }
        case "update" -> {
          lines.next();
          actions.add(
              new Action(
                  action,
                  index,
                  id,
                  kind,
                  null,
                  "llmlog accepts the index and create actions only; send the full record again to change it",
                  lines.number()));
        }
        case "delete" ->
            actions.add(
                new Action(
                    action,
                    index,
                    id,
                    kind,
                    null,
                    "llmlog does not delete through _bulk; old data leaves through the lifecycle policy",
                    lines.number()));
        default ->
            throw ApiException.badRequest(
                "Malformed action/metadata line ["
                    + lines.number()
                    + "], unknown action ["
                    + action
                    + "]");
      }
    }
    return actions;
  }

  private static Map<String, Object> actionLine(NdjsonLines lines, ObjectMapper json) {
    try {
      Object parsed = json.readValue(lines.bytes(), lines.offset(), lines.length(), Object.class);
      if (parsed instanceof Map<?, ?> map && map.size() == 1) {
        return Event.cast(map);
      }
    } catch (IOException e) {
      // Reported below with the line number.
    }
    throw ApiException.badRequest(
        "Malformed action/metadata line ["
            + lines.number()
            + "], expected an object with one of index, create, update, delete");
  }

  private static Action document(
      String action,
      String index,
      String id,
      RecordKind kind,
      NdjsonLines lines,
      ObjectMapper json) {
    int line = lines.number();
    try (JsonParser parser =
        json.getFactory().createParser(lines.bytes(), lines.offset(), lines.length())) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return new Action(
            action, index, id, kind, null, "the document must be a JSON object", line);
      }
      Map<String, Object> fields = Event.cast(json.readValue(parser, Map.class));
      if (parser.nextToken() != null) {
        return new Action(
            action, index, id, kind, null, "unexpected content after the document", line);
      }
      Event event = new Event(fields, line);
      if (kind == RecordKind.CALL
          && id != null
          && !event.has("request_id")
          && !event.has("llm.request_id")) {
        // The shipper's document id names the call when the record does not.
        event.set("request_id", id);
      }
      return new Action(action, index, id, kind, event, null, line);
    } catch (StreamConstraintsException e) {
      return new Action(
          action,
          index,
          id,
          kind,
          null,
          "the document breaks a limit: " + JsonLimits.describe(e),
          line);
    } catch (JsonProcessingException e) {
      return new Action(
          action,
          index,
          id,
          kind,
          null,
          "failed to parse the document: " + e.getOriginalMessage(),
          line);
    } catch (IOException e) {
      return new Action(
          action, index, id, kind, null, "unreadable document: " + e.getMessage(), line);
    }
  }
}

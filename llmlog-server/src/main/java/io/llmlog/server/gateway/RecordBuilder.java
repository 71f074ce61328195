package io.llmlog.server.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.core.InvalidFieldException;
import io.llmlog.core.LogField;
import io.llmlog.core.Timestamps;
import io.llmlog.core.message.Messages;
import io.llmlog.server.pipeline.Event;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a finished {@link GatewayCall} into an llmlog call record — the same flat record any other
 * source sends, which then goes through the pipeline (redaction, sampling, cost) like theirs. Runs
 * on the recorder's thread, never on the call's.
 */
final class RecordBuilder {
  /** How much of an error answer that is not JSON goes into {@code error.message}. */
  static final int ERROR_TEXT = 1000;

  static final String SECRET_MARK = "[API_KEY]";

  private final ObjectMapper json;
  private final OpenAiReader openAi;
  private final AnthropicReader anthropic;

  RecordBuilder(ObjectMapper json) {
    this.json = json;
    this.openAi = new OpenAiReader(json);
    this.anthropic = new AnthropicReader(json);
  }

  Map<String, Object> build(GatewayCall call) {
    Reading reading = new Reading();
    List<String> truncated = new ArrayList<>();
    boolean anthropicFamily = call.upstream.family() == Upstream.Family.ANTHROPIC;
    JsonNode request =
        call.request.complete() ? parse(call.request.head(), call.request.headLength()) : null;
    if (!call.request.complete()) {
      truncated.add(LogField.INPUT_MESSAGES.jsonName());
    }
    if (request != null && request.isObject()) {
      if (anthropicFamily) {
        anthropic.request(request, reading);
      } else {
        openAi.request(call.operation, request, reading);
      }
    }
    Capture answer = call.response();
    String body = null;
    if (answer != null) {
      if (call.contentType() != null
          && call.contentType()
              .toLowerCase(java.util.Locale.ROOT)
              .startsWith("text/event-stream")) {
        List<SseEvents.Event> events = SseEvents.parse(answer.head(), answer.headLength());
        if (anthropicFamily) {
          anthropic.stream(events, reading);
        } else {
          openAi.stream(call.operation, events, reading);
        }
      } else {
        JsonNode node =
            answer.complete()
                ? parse(answer.head(), answer.headLength())
                : usageFromTail(answer.tail());
        if (node != null && node.isObject()) {
          if (call.status() >= 400) {
            reading.errorFrom(node.get("error"));
          } else if (anthropicFamily) {
            anthropic.answer(node, reading);
          } else {
            openAi.answer(call.operation, node, reading);
          }
        } else {
          body =
              new String(
                  answer.head(),
                  0,
                  Math.min(answer.headLength(), ERROR_TEXT * 4),
                  StandardCharsets.UTF_8);
        }
      }
      if (!answer.complete()) {
        truncated.add(LogField.OUTPUT_MESSAGES.jsonName());
      }
    }
    Map<String, Object> record = record(call, reading, body);
    if (!truncated.isEmpty()) {
      record.put(LogField.TRUNCATED.jsonName(), truncated);
    }
    return call.secrets.isEmpty() ? record : Event.cast(scrub(record, call.secrets));
  }

  private Map<String, Object> record(GatewayCall call, Reading reading, String body) {
    Map<String, Object> record = new LinkedHashMap<>();
    CallTags tags = call.tags;
    put(record, LogField.TIMESTAMP, Timestamps.format(call.started));
    put(record, LogField.REQUEST_ID, tags.requestId());
    put(record, LogField.TRACE_ID, tags.traceId());
    put(record, LogField.PARENT_ID, tags.parentId());
    put(record, LogField.SPAN_ID, tags.spanId());
    put(record, LogField.SESSION_ID, tags.sessionId());
    put(record, LogField.SERVICE, tags.service());
    put(record, LogField.ENVIRONMENT, tags.environment());
    put(record, LogField.USER_ID, tags.userId() != null ? tags.userId() : reading.userId);
    put(record, LogField.MODEL, reading.model);
    put(record, LogField.PROVIDER, call.upstream.name());
    put(record, LogField.OPERATION, call.operation.field());
    List<Map<String, Object>> input = messages(reading.input);
    put(record, LogField.INPUT_MESSAGES, input);
    put(record, LogField.PROMPT, reading.prompt);
    List<Map<String, Object>> output =
        reading.output.isEmpty() ? null : Messages.toTree(reading.output);
    put(record, LogField.OUTPUT_MESSAGES, output);
    put(record, LogField.TEMPERATURE, reading.temperature);
    put(record, LogField.TOP_P, reading.topP);
    put(record, LogField.MAX_TOKENS, reading.maxTokens);
    GatewayCall.End end = call.end();
    boolean answered =
        end == GatewayCall.End.COMPLETED
            || end == GatewayCall.End.CANCELLED
            || end == GatewayCall.End.UPSTREAM_ERROR;
    if (answered && call.status() < 400) {
      estimateMissing(reading, end != GatewayCall.End.COMPLETED, input, output, record);
    }
    put(record, LogField.INPUT_TOKENS, reading.inputTokens);
    put(record, LogField.OUTPUT_TOKENS, reading.outputTokens);
    put(record, LogField.CACHED_INPUT_TOKENS, reading.cachedInputTokens);
    put(record, LogField.REASONING_TOKENS, reading.reasoningTokens);
    put(record, LogField.CACHE_CREATION_INPUT_TOKENS, reading.cacheCreationTokens);
    put(record, LogField.LATENCY_MS, millis(call.endNanos() - call.startNanos));
    if (call.stream && reading.firstContentEnd > 0 && call.response() != null) {
      long arrival = call.response().arrival(reading.firstContentEnd - 1);
      if (arrival > 0) {
        put(record, LogField.TTFT_MS, millis(arrival - call.startNanos));
      }
    }
    String stopReason =
        switch (end) {
          case CANCELLED -> "cancelled";
          case UPSTREAM_ERROR -> "upstream_error";
          default -> reading.stopReason;
        };
    put(record, LogField.STOP_REASON, stopReason);
    level(call, reading, body, record);
    Map<String, Object> metadata = new LinkedHashMap<>(tags.metadata());
    if (call.status() > 0) {
      metadata.put("upstream_status", Integer.toString(call.status()));
    }
    if (reading.responseId != null) {
      metadata.put("response_id", reading.responseId);
    }
    metadata.put("stream", Boolean.toString(call.stream));
    record.put(LogField.METADATA.jsonName(), metadata);
    if (!tags.tags().isEmpty()) {
      record.put(LogField.TAGS.jsonName(), tags.tags());
    }
    return record;
  }

  /**
   * {@code level} and {@code error.*}: what went wrong, as the upstream said it or as the gateway
   * saw it.
   */
  private static void level(
      GatewayCall call, Reading reading, String body, Map<String, Object> record) {
    String type;
    String message;
    switch (call.end()) {
      case CANCELLED -> {
        record.put(LogField.LEVEL.jsonName(), "warning");
        return;
      }
      case UPSTREAM_ERROR -> {
        type = "upstream_error";
        message = call.failure();
      }
      case UNREACHABLE -> {
        type = "upstream_unreachable";
        message = call.failure();
      }
      case TIMEOUT -> {
        type = "upstream_timeout";
        message = call.failure();
      }
      default -> {
        if (call.status() < 400 && reading.errorMessage == null && reading.errorType == null) {
          record.put(LogField.LEVEL.jsonName(), "info");
          return;
        }
        type =
            reading.errorType != null
                ? reading.errorType
                : call.status() >= 400 ? "http_" + call.status() : "stream_error";
        message =
            reading.errorMessage != null
                ? reading.errorMessage
                : body != null ? abbreviate(body) : "upstream answered " + call.status();
      }
    }
    record.put(LogField.LEVEL.jsonName(), "error");
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("type", type);
    if (message != null) {
      error.put("message", message);
    }
    record.put("error", error);
  }

  /**
   * Fills in the token counts the upstream did not report, from the texts ({@link TokenEstimate}).
   * A call that did not complete has no final output count, whatever a stream said so far.
   */
  private static void estimateMissing(
      Reading reading,
      boolean partial,
      List<Map<String, Object>> input,
      List<Map<String, Object>> output,
      Map<String, Object> record) {
    boolean estimated = false;
    if (reading.inputTokens == null) {
      int tokens = TokenEstimate.of(reading.prompt);
      if (input != null) {
        tokens +=
            TokenEstimate.of(Messages.systemPrompt(input))
                + TokenEstimate.of(Messages.prompt(input))
                + TokenEstimate.PER_MESSAGE * input.size();
      }
      reading.inputTokens = tokens;
      estimated = true;
    }
    if ((reading.outputTokens == null || partial) && output != null) {
      reading.outputTokens = TokenEstimate.of(Messages.response(output));
      reading.reasoningTokens = null;
      estimated = true;
    }
    if (estimated) {
      record.put(LogField.USAGE_ESTIMATED.jsonName(), true);
    }
  }

  /**
   * The messages in the stored shape; messages of a shape llmlog cannot read are left out rather
   * than failing the record.
   */
  private static List<Map<String, Object>> messages(List<Map<String, Object>> given) {
    if (given == null) {
      return null;
    }
    try {
      return Messages.normalize(given, LogField.INPUT_MESSAGES.jsonName());
    } catch (InvalidFieldException | ClassCastException unreadable) {
      return null;
    }
  }

  /** A big JSON answer cut for the record still ends with its usage: read that from the tail. */
  private JsonNode usageFromTail(byte[] tail) {
    if (tail == null) {
      return null;
    }
    String text = new String(tail, StandardCharsets.UTF_8);
    int usage = text.lastIndexOf("\"usage\"");
    int open = usage < 0 ? -1 : text.indexOf('{', usage);
    if (open < 0) {
      return null;
    }
    try {
      JsonNode node = json.readTree(text.substring(open));
      ObjectNode answer = json.createObjectNode();
      answer.set("usage", node);
      return answer;
    } catch (IOException unreadable) {
      return null;
    }
  }

  private JsonNode parse(byte[] bytes, int length) {
    if (length == 0) {
      return null;
    }
    try {
      return json.readTree(bytes, 0, length);
    } catch (IOException notJson) {
      return null;
    }
  }

  /**
   * A copy with the client's credentials replaced wherever an upstream echoed them (error messages
   * do).
   */
  static Object scrub(Object value, List<String> secrets) {
    return Bulky.mapStrings(
        value,
        text -> {
          String clean = text;
          for (String secret : secrets) {
            clean = clean.replace(secret, SECRET_MARK);
          }
          return clean;
        });
  }

  private static String abbreviate(String text) {
    return text.length() <= ERROR_TEXT ? text : text.substring(0, ERROR_TEXT) + "...";
  }

  private static double millis(long nanos) {
    return Math.max(0, nanos) / 1_000_000.0;
  }

  private static void put(Map<String, Object> record, LogField field, Object value) {
    if (value != null) {
      record.put(field.jsonName(), value);
    }
  }
}

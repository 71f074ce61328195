package io.llmlog.server.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmlog.core.message.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What was read from a call's request and answer, in llmlog's terms, before it becomes a record.
 * The readers of each API shape fill it in; fields they cannot find stay null.
 */
final class Reading {
  String model;

  /** The messages sent, in any shape {@code Messages.normalize} accepts. */
  List<Map<String, Object>> input;

  /** The input as plain text when it is not a conversation (embeddings). */
  String prompt;

  final List<ChatMessage> output = new ArrayList<>();

  /** Text read from the answer when there are no messages (text completions). */
  Double temperature;

  Double topP;
  Integer maxTokens;
  String userId;
  String stopReason;
  Integer inputTokens;
  Integer outputTokens;
  Integer cachedInputTokens;
  Integer reasoningTokens;
  Integer cacheCreationTokens;

  /**
   * Where in the answer the first generated content ended, for the time to first token; -1 when
   * none.
   */
  long firstContentEnd = -1;

  String responseId;
  String errorType;
  String errorMessage;

  /** Reads what every API shape calls the same: temperature and top_p. */
  void samplingFrom(JsonNode request) {
    temperature = number(request.get("temperature"));
    topP = number(request.get("top_p"));
  }

  /** The first content seen at this offset, unless an earlier one was. */
  void contentAt(long end) {
    if (firstContentEnd < 0) {
      firstContentEnd = end;
    }
  }

  /** An error object ({@code {"type": ..., "message": ...}}) from an answer or a stream event. */
  void errorFrom(JsonNode error) {
    if (error == null || error.isNull()) {
      return;
    }
    if (error.isTextual()) {
      errorMessage = error.asText();
      return;
    }
    errorType = text(error.get("type")) != null ? text(error.get("type")) : text(error.get("code"));
    errorMessage = text(error.get("message"));
  }

  static Double number(JsonNode node) {
    return node != null && node.isNumber() ? node.asDouble() : null;
  }

  static Integer integer(JsonNode node) {
    return node != null && node.canConvertToInt() && node.isNumber() ? node.asInt() : null;
  }

  static String text(JsonNode node) {
    return node != null && node.isTextual() ? node.asText() : null;
  }

  static Integer sum(Integer... counts) {
    Integer total = null;
    for (Integer count : counts) {
      if (count != null) {
        total = total == null ? count : total + count;
      }
    }
    return total;
  }
}

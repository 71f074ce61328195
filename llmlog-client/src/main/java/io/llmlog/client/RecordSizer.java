package io.llmlog.client;

import io.llmlog.core.LlmLogEntry;
import io.llmlog.core.QualityLogEntry;
import java.util.List;
import java.util.Map;

/**
 * Estimates a record's size on the caller's thread, from string lengths only: no encoding, no
 * allocation. The estimate is the characters of every text field plus a fixed allowance for the
 * field names, numbers and object headers. It is close to the encoded size for ASCII text and
 * under-counts CJK text (3 bytes per character in UTF-8, 2 in the heap); the reporter measures the
 * exact encoded size on its own thread, where batches are cut.
 */
final class RecordSizer {
  /** Field names, numbers, the timestamp and the objects that hold them. */
  static final int CALL_OVERHEAD = 320;

  static final int QUALITY_OVERHEAD = 128;
  static final int STEP_OVERHEAD = 256;

  /** A message's role, part type and the JSON around them. */
  static final long MESSAGE_OVERHEAD = 64;

  private RecordSizer() {}

  static int estimate(LlmLogEntry entry) {
    long chars =
        length(entry.requestId())
            + length(entry.traceId())
            + length(entry.parentId())
            + length(entry.spanId())
            + length(entry.operation())
            + length(entry.sessionId())
            + length(entry.service())
            + length(entry.environment())
            + length(entry.userId())
            + length(entry.model())
            + length(entry.provider())
            + length(entry.prompt())
            + length(entry.systemPrompt())
            + length(entry.response())
            + length(entry.stopReason());
    if (entry.error() != null) {
      chars += length(entry.error().type()) + length(entry.error().message());
    }
    chars += length(entry.metadata()) + length(entry.tags());
    // The texts are rendered from the messages, so the messages hold about as many characters
    // again, plus their roles and part types.
    if (!entry.inputMessages().isEmpty()) {
      chars +=
          length(entry.prompt())
              + length(entry.systemPrompt())
              + MESSAGE_OVERHEAD * entry.inputMessages().size();
    }
    if (!entry.outputMessages().isEmpty()) {
      chars += length(entry.response()) + MESSAGE_OVERHEAD * entry.outputMessages().size();
    }
    return saturate(CALL_OVERHEAD + chars);
  }

  static int estimate(StepRecord step) {
    long chars = 0;
    for (Object value : step.fields().values()) {
      if (value instanceof String text) {
        chars += text.length();
      } else if (value instanceof List<?> list) {
        for (Object item : list) {
          chars += String.valueOf(item).length() + 3;
        }
      } else if (value instanceof Map<?, ?> map) {
        for (Map.Entry<?, ?> item : map.entrySet()) {
          chars +=
              String.valueOf(item.getKey()).length() + String.valueOf(item.getValue()).length() + 6;
        }
      }
    }
    return saturate(STEP_OVERHEAD + chars);
  }

  static int estimate(QualityLogEntry quality) {
    long chars =
        length(quality.requestId())
            + length(quality.feedback())
            + length(quality.reviewerId())
            + length(quality.annotations())
            + length(quality.evaluator())
            + length(quality.label())
            + length(quality.explanation())
            + 24L * quality.scores().size();
    for (String name : quality.scores().keySet()) {
      chars += name.length();
    }
    return saturate(QUALITY_OVERHEAD + chars);
  }

  private static long length(Map<String, String> map) {
    long chars = 0;
    for (Map.Entry<String, String> item : map.entrySet()) {
      chars += item.getKey().length() + item.getValue().length() + 6;
    }
    return chars;
  }

  private static long length(List<String> list) {
    long chars = 0;
    for (String item : list) {
      chars += item.length() + 3;
    }
    return chars;
  }

  private static int length(String text) {
    return text == null ? 0 : text.length();
  }

  private static int saturate(long size) {
    return (int) Math.min(Integer.MAX_VALUE, size);
  }
}

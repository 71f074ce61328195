package io.llmlog.core.codec;

import io.llmlog.core.ErrorInfo;
import io.llmlog.core.LlmLogEntry;
import io.llmlog.core.LogLevel;
import io.llmlog.core.QualityLogEntry;
import io.llmlog.core.message.ChatMessage;
import io.llmlog.core.message.MessagePart;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded random records for round-trip tests: every field optional, texts from hostile alphabets.
 */
final class RandomEntries {
  private static final String[] ALPHABETS = {
    "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,;:!?'\"\\/{}[]",
    "解释机器学习的基本概念你是一个助手退款订单请帮我查询一下谢谢。，！？「」",
    "\u0000\u0001\u0007\b\t\n\u000b\f\r\u001b\u001f\u007f\u2028\u2029\ufeff",
    "😀🚀👍🏽🇨🇳𝔘𝔫𝔦𝔠𝔬𝔡𝔢", // surrogate pairs only
    "ñéüßøåçЖЩЯאבגعربيहिन्दी",
  };

  private final Random random;

  RandomEntries(long seed) {
    this.random = new Random(seed);
  }

  LlmLogEntry entry() {
    LlmLogEntry.Builder builder =
        LlmLogEntry.builder()
            .timestamp(
                Instant.ofEpochSecond(random.nextInt(2_000_000_000), random.nextInt(1_000_000_000)))
            .requestId(nonBlank())
            .model(nonBlank())
            .traceId(maybe())
            .parentId(maybe())
            .spanId(maybe())
            .operation(maybe())
            .sessionId(maybe())
            .service(maybe())
            .environment(maybe())
            .userId(maybe())
            .provider(maybe())
            .prompt(maybeLong())
            .systemPrompt(maybeLong())
            .response(maybeLong())
            .stopReason(maybe())
            .temperature(random.nextBoolean() ? random.nextDouble() * 2 : null)
            .topP(random.nextBoolean() ? random.nextDouble() : null)
            .maxTokens(random.nextBoolean() ? random.nextInt(200_000) : null)
            .inputTokens(random.nextBoolean() ? random.nextInt(Integer.MAX_VALUE) : null)
            .outputTokens(random.nextBoolean() ? random.nextInt(100_000) : null)
            .cachedInputTokens(random.nextBoolean() ? random.nextInt(1000) : null)
            .reasoningTokens(random.nextBoolean() ? random.nextInt(1000) : null)
            .cacheCreationInputTokens(random.nextBoolean() ? random.nextInt(1000) : null)
            .inputMessages(random.nextInt(3) == 0 ? messages() : null)
            .outputMessages(random.nextInt(3) == 0 ? messages() : null)
            .latencyMs(random.nextBoolean() ? random.nextDouble() * 60_000 : null)
            .firstTokenLatencyMs(random.nextBoolean() ? random.nextDouble() * 5_000 : null)
            .queueWaitMs(random.nextBoolean() ? random.nextDouble() * 100 : null)
            .generationMs(random.nextBoolean() ? random.nextDouble() * 50_000 : null)
            .tokensPerSecond(random.nextBoolean() ? random.nextDouble() * 300 : null)
            .costUsd(random.nextBoolean() ? random.nextDouble() : null)
            .level(random.nextBoolean() ? LogLevel.values()[random.nextInt(3)] : null)
            .error(
                random.nextInt(5) == 0
                    ? new ErrorInfo(nonBlank(), text(random.nextInt(200)))
                    : null);
    Map<String, String> metadata = new LinkedHashMap<>();
    for (int i = random.nextInt(4); i > 0; i--) {
      metadata.put(nonBlank(), text(random.nextInt(30)));
    }
    List<String> tags = new ArrayList<>();
    for (int i = random.nextInt(4); i > 0; i--) {
      tags.add(text(random.nextInt(20)));
    }
    return builder.metadata(metadata).tags(tags).build();
  }

  /**
   * Messages of every part type, with JSON values made of strings, longs and lists as the codec
   * reads them back.
   */
  List<ChatMessage> messages() {
    List<ChatMessage> messages = new ArrayList<>();
    String[] roles = {"system", "user", "assistant", "tool"};
    for (int i = 1 + random.nextInt(4); i > 0; i--) {
      List<MessagePart> parts = new ArrayList<>();
      for (int j = random.nextInt(3); j >= 0; j--) {
        parts.add(
            switch (random.nextInt(4)) {
              case 0 ->
                  new MessagePart.ToolCall(
                      nonBlank(),
                      nonBlank(),
                      Map.of("q", text(random.nextInt(40)), "n", (long) random.nextInt(100)));
              case 1 ->
                  new MessagePart.ToolCallResponse(
                      nonBlank(),
                      random.nextBoolean() ? text(random.nextInt(200)) : List.of(text(5), 7L));
              case 2 -> new MessagePart.Reasoning(text(random.nextInt(100)));
              default -> new MessagePart.Text(text(random.nextInt(300)));
            });
      }
      messages.add(
          new ChatMessage(
              roles[random.nextInt(roles.length)], parts, random.nextBoolean() ? "stop" : null));
    }
    return messages;
  }

  QualityLogEntry quality() {
    Map<String, Double> scores = new LinkedHashMap<>();
    for (int i = random.nextInt(3); i > 0; i--) {
      scores.put(nonBlank(), random.nextDouble());
    }
    List<String> annotations = new ArrayList<>();
    for (int i = random.nextInt(3); i > 0; i--) {
      annotations.add(text(random.nextInt(20)));
    }
    return new QualityLogEntry(
        Instant.ofEpochSecond(random.nextInt(2_000_000_000), random.nextInt(1_000_000_000)),
        nonBlank(),
        random.nextBoolean() ? random.nextInt(11) - 5 : null,
        maybe(),
        annotations,
        maybe(),
        scores,
        random.nextBoolean() ? nonBlank() : null,
        maybe(),
        maybe());
  }

  private String maybe() {
    return random.nextBoolean() ? text(random.nextInt(40)) : null;
  }

  private String maybeLong() {
    int roll = random.nextInt(10);
    if (roll < 3) {
      return null;
    }
    return text(roll == 9 ? 50_000 + random.nextInt(100_000) : random.nextInt(3000));
  }

  private String nonBlank() {
    return "x" + text(random.nextInt(30));
  }

  String text(int length) {
    StringBuilder out = new StringBuilder(length);
    String alphabet = ALPHABETS[random.nextInt(ALPHABETS.length)];
    while (out.length() < length) {
      if (random.nextInt(8) == 0) {
        alphabet = ALPHABETS[random.nextInt(ALPHABETS.length)];
      }
      int index = random.nextInt(alphabet.length());
      char c = alphabet.charAt(index);
      if (Character.isHighSurrogate(c)) {
        out.append(c).append(alphabet.charAt(index + 1));
      } else if (Character.isLowSurrogate(c)) {
        out.append(alphabet.charAt(index - 1)).append(c);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}

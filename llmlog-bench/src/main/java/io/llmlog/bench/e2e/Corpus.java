package io.llmlog.bench.e2e;

import io.llmlog.bench.data.LlmLogGenerator;
import io.llmlog.bench.data.NaturalText;
import io.llmlog.core.LlmLogEntry;
import io.llmlog.core.codec.LlmLogJson;
import io.llmlog.core.message.ChatMessage;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * One day of generated LLM calls as the documents a Logstash-style pipeline would have produced:
 * llmlog's flat JSON document per call ({@link LlmLogJson#document}), every field under the brief's
 * flat names. Every contestant gets these same bytes.
 */
final class Corpus {
  /**
   * A document and the call's id, which the peer's optional {@code _id} variants use, and the call
   * itself for targets that send it in another form (OTLP spans); null when built from a document.
   */
  record Doc(String requestId, byte[] json, LlmLogEntry call) {
    Doc(String requestId, byte[] json) {
      this(requestId, json, null);
    }
  }

  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd");

  private final LlmLogGenerator generator;
  private final LocalDate day;
  private final boolean messages;
  private final AgentRuns runs;
  private final List<Doc> steps = new ArrayList<>();

  Corpus(long seed, LocalDate day, LlmLogGenerator.Texts texts, double errorRate) {
    this(seed, day, texts, errorRate, false);
  }

  /**
   * @param messages calls carry their conversation as structured messages (system and user in,
   *     assistant out) instead of the prompt, system prompt and response texts, as the SDK's
   *     message API and OpenTelemetry send them; llmlog renders the texts from them
   */
  Corpus(
      long seed, LocalDate day, LlmLogGenerator.Texts texts, double errorRate, boolean messages) {
    this(seed, day, texts, errorRate, messages, false);
  }

  /**
   * @param runs the calls come in agent runs ({@link AgentRuns}): traces of calls and steps, the
   *     steps collected for {@link #drainSteps()}
   */
  Corpus(
      long seed,
      LocalDate day,
      LlmLogGenerator.Texts texts,
      double errorRate,
      boolean messages,
      boolean runs) {
    this.day = day;
    this.messages = messages;
    this.runs = runs ? new AgentRuns(seed) : null;
    this.generator =
        new LlmLogGenerator(
            seed, day.atStartOfDay(ZoneOffset.UTC).toInstant(), 86_400_000L, errorRate, texts);
  }

  LocalDate day() {
    return day;
  }

  /** The daily index name's date part, {@code 2026.08.01}. */
  String dayName() {
    return DAY.format(day);
  }

  NaturalText vocabulary() {
    return generator.naturalText();
  }

  private static LlmLogEntry asMessages(LlmLogEntry call) {
    List<ChatMessage> output =
        call.response() == null
            ? List.of()
            : List.of(ChatMessage.assistant(call.response()).withFinishReason(call.stopReason()));
    return call.toBuilder()
        .prompt(null)
        .systemPrompt(null)
        .response(null)
        .inputMessages(
            List.of(ChatMessage.system(call.systemPrompt()), ChatMessage.user(call.prompt())))
        .outputMessages(output)
        .build();
  }

  List<Doc> next(int count) {
    List<LlmLogEntry> calls = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      calls.add(messages ? asMessages(generator.next()) : generator.next());
    }
    if (runs != null) {
      calls = runs.group(calls, steps);
    }
    List<Doc> docs = new ArrayList<>(count);
    for (LlmLogEntry call : calls) {
      docs.add(
          new Doc(
              call.requestId(), LlmLogJson.document(call).getBytes(StandardCharsets.UTF_8), call));
    }
    return docs;
  }

  /**
   * The steps of the agent runs of the calls returned so far, once; empty unless the corpus has
   * runs.
   */
  List<Doc> drainSteps() {
    List<Doc> drained = List.copyOf(steps);
    steps.clear();
    return drained;
  }
}

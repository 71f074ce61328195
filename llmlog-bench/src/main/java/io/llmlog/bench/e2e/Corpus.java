package io.llmlog.bench.e2e;

import io.llmlog.bench.data.LlmLogGenerator;
import io.llmlog.bench.data.NaturalText;
import io.llmlog.core.LlmLogEntry;
import io.llmlog.core.codec.LlmLogJson;
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

  Corpus(long seed, LocalDate day, LlmLogGenerator.Texts texts, double errorRate) {
    this.day = day;
    this.generator = new LlmLogGenerator(seed, day.atStartOfDay(ZoneOffset.UTC).toInstant(), 86_400_000L, errorRate, texts);
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

  List<Doc> next(int count) {
    List<Doc> docs = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      LlmLogEntry call = generator.next();
      docs.add(new Doc(call.requestId(), LlmLogJson.document(call).getBytes(StandardCharsets.UTF_8), call));
    }
    return docs;
  }
}

package io.llmlog.client;

import io.llmlog.core.LogLevel;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes each record as one log line to a {@link LineSink}. A line is delivered once the sink took
 * it; a line the sink throws on is counted as {@code send_failed} and not retried, since a local
 * sink that just failed would most likely fail again.
 */
final class LineSender implements Sender {
  private final LineSink sink;

  LineSender(LineSink sink) {
    this.sink = sink;
  }

  @Override
  public RecordEncoder.Format format() {
    return RecordEncoder.Format.LINE;
  }

  @Override
  public int messageMaxBytes() {
    return Integer.MAX_VALUE;
  }

  @Override
  public SendOutcome send(RecordKind kind, List<byte[]> records) {
    return send(kind, records, null);
  }

  @Override
  public SendOutcome send(RecordKind kind, List<byte[]> records, List<LogLevel> levels) {
    int failed = 0;
    String firstError = null;
    for (int i = 0; i < records.size(); i++) {
      byte[] line = records.get(i);
      LogLevel level = levels == null || levels.get(i) == null ? LogLevel.INFO : levels.get(i);
      try {
        if (sink instanceof StdoutLineSink stdout) {
          stdout.write(line); // already UTF-8: no round trip through a String
        } else {
          sink.write(new String(line, StandardCharsets.UTF_8), level);
        }
      } catch (RuntimeException e) {
        failed++;
        if (firstError == null) {
          firstError = "the line sink " + sink + " failed: " + e;
        }
      }
    }
    try {
      sink.flush();
    } catch (RuntimeException e) {
      // The lines were handed over; a failed flush is the sink's to report.
    }
    return failed == 0
        ? SendOutcome.Delivered.ALL
        : new SendOutcome.Delivered(0, failed, firstError);
  }

  @Override
  public String toString() {
    return "lines(" + sink + ")";
  }
}

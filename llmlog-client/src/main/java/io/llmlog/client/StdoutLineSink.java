package io.llmlog.client;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes lines to {@link System#out} as UTF-8 bytes. Bytes, not {@code println}: a container's
 * default locale is often POSIX, whose console encoding would turn every Chinese character into
 * {@code ?}.
 */
final class StdoutLineSink implements LineSink {
  static final StdoutLineSink INSTANCE = new StdoutLineSink();

  private StdoutLineSink() {}

  @Override
  public void write(String line) {
    write(line.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes an already encoded line; the line sender hands over its bytes without decoding them. */
  void write(byte[] line) {
    PrintStream out = System.out;
    // PrintStream locks itself on each call; holding its lock across both keeps lines whole.
    synchronized (out) {
      out.write(line, 0, line.length);
      out.write('\n');
    }
  }

  @Override
  public void flush() {
    System.out.flush();
  }

  @Override
  public String toString() {
    return "stdout";
  }
}

package io.llmlog.server.ingest;

/**
 * The lines of an NDJSON body as ranges of its bytes, split where {@link
 * java.io.BufferedReader#readLine} splits ({@code \n}, {@code \r} or {@code \r\n}) so that line
 * numbers stay the same, but not decoded: Jackson parses UTF-8 bytes directly, which saves decoding
 * every record into a {@code String} first and parsing that again (a quarter of the ingest CPU
 * before). Invalid UTF-8 in a line is then an error of that line instead of a silent U+FFFD.
 */
public final class NdjsonLines {
  private final byte[] bytes;
  private final int end;
  private int position;
  private int number;
  private int offset;
  private int length;

  public NdjsonLines(Body body) {
    this.bytes = body.bytes();
    this.end = (int) body.size();
  }

  /** Moves to the next line; false after the last one (a final line break starts no line). */
  public boolean next() {
    if (position >= end) {
      return false;
    }
    int start = position;
    int i = start;
    while (i < end && bytes[i] != '\n' && bytes[i] != '\r') {
      i++;
    }
    offset = start;
    length = i - start;
    if (i < end && bytes[i] == '\r' && i + 1 < end && bytes[i + 1] == '\n') {
      i++;
    }
    position = i + 1;
    number++;
    return true;
  }

  /** The 1-based number of the current line. */
  public int number() {
    return number;
  }

  public byte[] bytes() {
    return bytes;
  }

  public int offset() {
    return offset;
  }

  public int length() {
    return length;
  }

  /** True when the current line holds only whitespace, as {@link String#isBlank} sees ASCII. */
  public boolean blank() {
    for (int i = offset; i < offset + length; i++) {
      byte b = bytes[i];
      if (b != ' ' && b != '\t' && b != 0x0B && b != '\f' && (b < 0x1C || b > 0x1F)) {
        return false;
      }
    }
    return true;
  }
}

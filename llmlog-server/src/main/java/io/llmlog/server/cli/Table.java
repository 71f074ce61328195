package io.llmlog.server.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table for the terminal. Widths count display columns, so Chinese and Japanese text
 * (two columns per character in a terminal) stays aligned.
 */
final class Table {
  private final List<String> headers;
  private final boolean[] rightAligned;
  private final List<List<String>> rows = new ArrayList<>();

  /** Headers; one ending in {@code >} is right-aligned (numbers), the {@code >} is not shown. */
  Table(String... headers) {
    this.headers = new ArrayList<>();
    this.rightAligned = new boolean[headers.length];
    for (int i = 0; i < headers.length; i++) {
      rightAligned[i] = headers[i].endsWith(">");
      this.headers.add(
          rightAligned[i] ? headers[i].substring(0, headers[i].length() - 1) : headers[i]);
    }
  }

  Table row(String... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException(
          cells.length + " cells for " + headers.size() + " columns");
    }
    rows.add(List.of(cells));
    return this;
  }

  void print(PrintWriter out) {
    int[] widths = new int[headers.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = width(headers.get(i));
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], width(row.get(i)));
      }
    }
    line(out, headers, widths);
    for (List<String> row : rows) {
      line(out, row, widths);
    }
    out.flush();
  }

  private void line(PrintWriter out, List<String> cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String cell = cells.get(i);
      String padding = " ".repeat(widths[i] - width(cell));
      if (i > 0) {
        line.append("  ");
      }
      line.append(rightAligned[i] ? padding + cell : i == cells.size() - 1 ? cell : cell + padding);
    }
    out.println(line);
  }

  /** Display columns: East Asian wide characters take two. */
  static int width(String text) {
    int width = 0;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      width += wide(c) ? 2 : 1;
      i += Character.charCount(c);
    }
    return width;
  }

  /**
   * The start of {@code text} that fits {@code columns}, with an ellipsis when cut; whitespace runs
   * become one space.
   */
  static String clip(String text, int columns) {
    String flat = text.replaceAll("\\s+", " ").trim();
    if (width(flat) <= columns) {
      return flat;
    }
    StringBuilder clipped = new StringBuilder();
    int width = 0;
    for (int i = 0; i < flat.length(); ) {
      int c = flat.codePointAt(i);
      int w = wide(c) ? 2 : 1;
      if (width + w > columns - 1) {
        break;
      }
      clipped.appendCodePoint(c);
      width += w;
      i += Character.charCount(c);
    }
    return clipped.append('…').toString();
  }

  private static boolean wide(int c) {
    Character.UnicodeScript script = Character.UnicodeScript.of(c);
    return script == Character.UnicodeScript.HAN
        || script == Character.UnicodeScript.HIRAGANA
        || script == Character.UnicodeScript.KATAKANA
        || script == Character.UnicodeScript.HANGUL
        || (c >= 0x3000 && c <= 0x303F)
        || (c >= 0xFF01 && c <= 0xFF60)
        || (c >= 0xFFE0 && c <= 0xFFE6);
  }
}

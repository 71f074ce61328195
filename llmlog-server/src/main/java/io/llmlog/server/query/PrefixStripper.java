package io.llmlog.server.query;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

/**
 * Takes the deployment's index prefix out of the index names in an engine's answer in one pass over
 * its bytes, without parsing it into a tree: the pass only finds where JSON strings start and end.
 * An index name is the prefix and llmlog's family stem ({@code p1-llm-logs-2026.11.28} becomes
 * {@code llm-logs-2026.11.28}) at the start of a string or after a character that no index name
 * holds ({@code [p1-llm-logs-x]} in an error reason); {@code xp1-llm-} is left alone. Strings, keys
 * and values alike, are rewritten, except inside the values of the keys that hold stored data
 * ({@code _source}, {@code fields}, {@code highlight}), which are copied as they are whatever they
 * contain. The rest is copied byte for byte, and an answer without the prefix is returned as it is.
 *
 * <p>A search answer with ten 4 KB hits is some 50 KB: reading it into a tree and writing it again
 * took the facade a few milliseconds per search; this pass is linear in the answer and allocates
 * one copy of it. Text that is not a JSON object, array or string (an error page, {@code _cat}
 * text) has every index name rewritten. Malformed JSON never throws: an unterminated string or
 * value ends at the end of the answer.
 */
final class PrefixStripper {
  private final byte[] needle;
  private final int prefixLength;
  private final byte[][] documentKeys;

  /**
   * @param prefix the deployment's index prefix (not empty)
   * @param stem what follows the prefix in every index name of llmlog's ({@code llm-})
   * @param documentKeys keys whose values are stored data, never rewritten
   */
  PrefixStripper(String prefix, String stem, Set<String> documentKeys) {
    if (prefix.isEmpty()) {
      throw new IllegalArgumentException("an empty prefix has nothing to strip");
    }
    this.needle = (prefix + stem).getBytes(StandardCharsets.UTF_8);
    this.prefixLength = prefix.getBytes(StandardCharsets.UTF_8).length;
    this.documentKeys =
        documentKeys.stream()
            .map(key -> ("\"" + key + "\"").getBytes(StandardCharsets.UTF_8))
            .toArray(byte[][]::new);
  }

  /** The answer with the prefix out of its index names; the same array when there is none. */
  byte[] strip(byte[] answer) {
    // JSON's boundaries are the looser ones (an escape ends before a name): none there, none at
    // all.
    if (next(answer, 0, answer.length, true) < 0) {
      return answer;
    }
    int first = skipWhitespace(answer, 0);
    if (first >= answer.length
        || (answer[first] != '{' && answer[first] != '[' && answer[first] != '"')) {
      return text(answer).toByteArray();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(answer.length);
    int copied = 0;
    int i = first;
    while (i < answer.length) {
      if (answer[i] != '"') {
        i++;
        continue;
      }
      int end = stringEnd(answer, i);
      int after = skipWhitespace(answer, end);
      if (after < answer.length && answer[after] == ':' && isDocumentKey(answer, i, end)) {
        // Stored data: copied untouched, whatever it holds.
        i = valueEnd(answer, skipWhitespace(answer, after + 1));
        continue;
      }
      copied = stripNames(answer, i, end, true, out, copied);
      i = end;
    }
    out.write(answer, copied, answer.length - copied);
    return out.toByteArray();
  }

  /** Text with the prefix out of every index name in it. */
  String strip(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return next(bytes, 0, bytes.length, false) < 0
        ? text
        : text(bytes).toString(StandardCharsets.UTF_8);
  }

  private ByteArrayOutputStream text(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
    int rest = stripNames(bytes, 0, bytes.length, false, out, 0);
    out.write(bytes, rest, bytes.length - rest);
    return out;
  }

  /**
   * Writes what lies between {@code copied} and each index name in {@code [from, to)} to {@code
   * out}, leaving the prefix out, and answers where the copy stands.
   *
   * @param json whether the bytes are inside a JSON string, where escapes are read as such
   */
  private int stripNames(
      byte[] bytes, int from, int to, boolean json, ByteArrayOutputStream out, int copied) {
    for (int at = next(bytes, from, to, json);
        at >= 0;
        at = next(bytes, at + needle.length, to, json)) {
      out.write(bytes, copied, at - copied);
      copied = at + prefixLength;
    }
    return copied;
  }

  /** Where the next index name starts in {@code [from, to)}, or -1. */
  private int next(byte[] bytes, int from, int to, boolean json) {
    byte first = needle[0];
    for (int i = from; i <= to - needle.length; i++) {
      if (bytes[i] == first
          && Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length)
          && (i == 0 || !isNameCharacter(bytes[i - 1]) || (json && escapeEndsAt(bytes, i)))) {
        return i;
      }
    }
    return -1;
  }

  /**
   * True when a JSON escape ends right before {@code at} ({@code \n}, {@code \u000a}): the
   * character before the name is then a control character, not the letter or digit it ends with.
   */
  private static boolean escapeEndsAt(byte[] bytes, int at) {
    return escapes(bytes, at - 2) || (at >= 6 && bytes[at - 5] == 'u' && escapes(bytes, at - 6));
  }

  /** True when the byte at {@code at} is a backslash that starts an escape (not an escaped one). */
  private static boolean escapes(byte[] bytes, int at) {
    int backslashes = 0;
    for (int i = at; i >= 0 && bytes[i] == '\\'; i--) {
      backslashes++;
    }
    return backslashes % 2 == 1;
  }

  /** Characters an index name may hold before the prefix: then it is not an index name of ours. */
  private static boolean isNameCharacter(byte b) {
    return (b >= 'a' && b <= 'z')
        || (b >= 'A' && b <= 'Z')
        || (b >= '0' && b <= '9')
        || b == '.'
        || b == '_'
        || b == '-'
        || b == '+'
        // Bytes of multi-byte UTF-8 characters: letters of other scripts.
        || b < 0;
  }

  private boolean isDocumentKey(byte[] bytes, int start, int end) {
    for (byte[] key : documentKeys) {
      if (end - start == key.length && Arrays.equals(bytes, start, end, key, 0, key.length)) {
        return true;
      }
    }
    return false;
  }

  /** The index after the closing quote of the string whose opening quote is at {@code start}. */
  private static int stringEnd(byte[] bytes, int start) {
    int i = start + 1;
    while (i < bytes.length) {
      byte b = bytes[i];
      if (b == '\\') {
        i += 2;
      } else if (b == '"') {
        return i + 1;
      } else {
        i++;
      }
    }
    return bytes.length;
  }

  /**
   * The index after the JSON value that starts at {@code start}: counted, not recursed, so a deep
   * document cannot exhaust the stack.
   */
  private static int valueEnd(byte[] bytes, int start) {
    if (start >= bytes.length) {
      return start;
    }
    if (bytes[start] == '"') {
      return stringEnd(bytes, start);
    }
    int depth = 0;
    int i = start;
    while (i < bytes.length) {
      byte b = bytes[i];
      if (b == '"') {
        i = stringEnd(bytes, i);
        continue;
      }
      if (b == '{' || b == '[') {
        depth++;
      } else if (b == '}' || b == ']') {
        if (depth == 0) {
          return i;
        }
        depth--;
        if (depth == 0) {
          return i + 1;
        }
      } else if (b == ',' && depth == 0) {
        return i;
      }
      i++;
    }
    return bytes.length;
  }

  private static int skipWhitespace(byte[] bytes, int from) {
    int i = from;
    while (i < bytes.length
        && (bytes[i] == ' ' || bytes[i] == '\n' || bytes[i] == '\r' || bytes[i] == '\t')) {
      i++;
    }
    return i;
  }
}

package io.llmlog.server.gateway;

/**
 * Estimates token counts when an upstream reports none (a stream without usage, or one that was
 * cancelled before its usage arrived). The rule follows how the common BPE vocabularies (OpenAI's
 * cl100k and o200k, and similar ones) cut text: about four characters per token in English and
 * other Latin-script text, and about one token per Chinese, Japanese or Korean character. Chat
 * inputs add {@link #PER_MESSAGE} tokens per message for the roles and separators. Records with
 * estimates say {@code usage_estimated: true}.
 */
final class TokenEstimate {
  /** What the chat format adds per message (role and separators), as OpenAI documents it. */
  static final int PER_MESSAGE = 4;

  private TokenEstimate() {}

  /** The estimated tokens of a text; 0 for null or empty. */
  static int of(String text) {
    if (text == null || text.isEmpty()) {
      return 0;
    }
    long ideographs = 0;
    long other = 0;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      if (isCjk(c)) {
        ideographs++;
      } else {
        other++;
      }
    }
    return (int) Math.min(Integer.MAX_VALUE, ideographs + (other + 3) / 4);
  }

  /** Han ideographs, kana, Hangul, and the CJK punctuation and full-width forms around them. */
  static boolean isCjk(int c) {
    return (c >= 0x4E00 && c <= 0x9FFF)
        || (c >= 0x3400 && c <= 0x4DBF)
        || (c >= 0x20000 && c <= 0x2FA1F)
        || (c >= 0xF900 && c <= 0xFAFF)
        || (c >= 0x3040 && c <= 0x30FF)
        || (c >= 0xAC00 && c <= 0xD7AF)
        || (c >= 0x3000 && c <= 0x303F)
        || (c >= 0xFF00 && c <= 0xFFEF);
  }
}

package io.llmlog.server.quality;

import io.llmlog.server.pipeline.Event;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code type: language}: the response is in the language of the prompt. Each text is classified
 * from the letters of its first {@value #SAMPLE} characters: {@code zh} when at least 30% are Han
 * characters (and Japanese kana are rare), {@code en} when at least 70% are Latin letters (English
 * and the other languages written in Latin script alike), else {@code other}. Score 1 when the two
 * agree, 0 when not; the label is the response's language, the explanation names both. A text
 * without letters gets no score.
 */
final class LanguageCheck implements CallEvaluator {
  static final int SAMPLE = 200;

  /** 1 for the ASCII letters, 0 for the other ASCII characters. */
  private static final byte[] ASCII_LETTER = new byte[0x80];

  static {
    for (char c = 'a'; c <= 'z'; c++) {
      ASCII_LETTER[c] = 1;
      ASCII_LETTER[Character.toUpperCase(c)] = 1;
    }
  }

  private static final List<String> LANGUAGES = List.of("zh", "en", "other");

  /**
   * "prompt zh, response en" for every pair, formatted once: the pipeline step should not build
   * strings.
   */
  private static final Map<String, Map<String, String>> EXPLANATIONS =
      LANGUAGES.stream()
          .collect(
              Collectors.toUnmodifiableMap(
                  asked -> asked,
                  asked ->
                      LANGUAGES.stream()
                          .collect(
                              Collectors.toUnmodifiableMap(
                                  answered -> answered,
                                  answered -> "prompt " + asked + ", response " + answered))));

  private final String promptField;
  private final String responseField;

  LanguageCheck(String promptField, String responseField) {
    this.promptField = promptField;
    this.responseField = responseField;
  }

  @Override
  public Verdict evaluate(Event call) {
    String prompt = CallEvaluator.text(call, promptField);
    String response = CallEvaluator.text(call, responseField);
    if (prompt == null || response == null) {
      return null;
    }
    String asked = classify(prompt);
    String answered = classify(response);
    if (asked == null || answered == null) {
      return null;
    }
    String explanation = EXPLANATIONS.get(asked).get(answered);
    return asked.equals(answered)
        ? Verdict.pass(answered, explanation)
        : Verdict.fail(answered, explanation);
  }

  /** zh, en or other; null when the sample has no letters. */
  static String classify(String text) {
    int han = 0;
    int kana = 0;
    int latin = 0;
    int otherLetters = 0;
    int end = Math.min(text.length(), SAMPLE);
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        // A table rather than a test: in prose, letters and spaces alternate too often for a branch
        // to be predicted.
        latin += ASCII_LETTER[c];
      } else if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF)) {
        han++;
      } else if (c >= 0x3040 && c <= 0x30FF) {
        kana++;
      } else if (c >= 0xC0 && c <= 0x24F) {
        latin++;
      } else if (Character.isLetter(c)) {
        otherLetters++;
      }
    }
    int letters = han + kana + latin + otherLetters;
    if (letters == 0) {
      return null;
    }
    if (han >= 0.3 * letters && kana < 0.1 * letters) {
      return "zh";
    }
    return latin >= 0.7 * letters ? "en" : "other";
  }
}

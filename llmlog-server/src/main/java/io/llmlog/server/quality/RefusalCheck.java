package io.llmlog.server.quality;

import io.llmlog.server.pipeline.Event;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code type: refusal}: the model declined to answer. Score 1 and label {@code refusal} when the
 * start of the response (its first {@value #PREFIX} characters, where models put a refusal) holds a
 * refusal phrase in English ("I can't help with", "I'm unable to", "I must decline", ...) or
 * Chinese ("我无法", "我不能", "无法提供", "作为一个人工智能", ...); else 0 and {@code answer}. An apology alone
 * ("I'm sorry to hear that", "抱歉给您带来不便") is not a refusal. The explanation quotes the phrase.
 *
 * <p>Cheap by construction: it only looks at the positions of a phrase's first character in the
 * prefix (found with {@link String#indexOf(int, int)}), and English phrases only where the word "I"
 * stands.
 */
final class RefusalCheck implements CallEvaluator {
  static final int PREFIX = 600;
  private static final String NO_REFUSAL =
      "no refusal phrase in the first " + PREFIX + " characters";
  static final List<String> ENGLISH =
      List.of(
          "I can't help",
          "I cannot help",
          "I can not help",
          "I can't assist",
          "I cannot assist",
          "I can't provide",
          "I cannot provide",
          "I can't comply",
          "I cannot comply",
          "I can't fulfill",
          "I cannot fulfill",
          "I can't do that",
          "I cannot do that",
          "I can't answer",
          "I cannot answer",
          "I can't share",
          "I cannot share",
          "I can't support",
          "I cannot support",
          "I'm unable to",
          "I am unable to",
          "I'm not able to",
          "I am not able to",
          "I won't be able to",
          "I will not be able to",
          "I must decline",
          "I have to decline",
          "I'm not allowed to",
          "I am not allowed to",
          "I won't help",
          "I will not help",
          "I won't provide",
          "I will not provide");
  static final List<String> CHINESE =
      List.of(
          "我无法",
          "我不能",
          "我没办法",
          "我没有办法",
          "无法提供",
          "无法回答",
          "无法协助",
          "无法满足",
          "不能提供",
          "不能回答",
          "不便回答",
          "无法为您",
          "不能为您",
          "作为一个人工智能",
          "作为人工智能",
          "作为一个AI",
          "作为AI",
          "作为一个 AI",
          "拒绝回答");

  private final String field;
  private final char[] firsts;
  private final List<List<String>> byFirst;

  /** The explanation of a refusal by each phrase, formatted once. */
  private final Map<String, String> explanations = new HashMap<>();

  RefusalCheck(String field) {
    this.field = field;
    List<String> all = new ArrayList<>();
    for (String phrase : ENGLISH) {
      all.add(phrase);
      if (phrase.contains("'")) {
        all.add(phrase.replace('\'', '\u2019'));
      }
    }
    all.addAll(CHINESE);
    for (String phrase : all) {
      explanations.put(phrase, "refuses: '" + phrase + "'");
    }
    StringBuilder chars = new StringBuilder();
    List<List<String>> lists = new ArrayList<>();
    for (String phrase : all) {
      int at = chars.indexOf(String.valueOf(phrase.charAt(0)));
      if (at < 0) {
        chars.append(phrase.charAt(0));
        lists.add(new ArrayList<>());
        at = chars.length() - 1;
      }
      lists.get(at).add(phrase);
    }
    this.firsts = chars.toString().toCharArray();
    this.byFirst = lists.stream().map(List::copyOf).toList();
  }

  @Override
  public Verdict evaluate(Event call) {
    String text = CallEvaluator.text(call, field);
    if (text == null) {
      return null;
    }
    String found = find(text);
    return found == null
        ? Verdict.fail("answer", NO_REFUSAL)
        : Verdict.pass("refusal", explanations.get(found));
  }

  /** The first refusal phrase in the text's prefix, or null. */
  String find(String text) {
    // indexOf bounded by the prefix: unbounded, it would scan the whole text for every first
    // character that does not occur; a copy of the prefix would cost as much as the search.
    int end = Math.min(text.length(), PREFIX);
    for (int f = 0; f < firsts.length; f++) {
      char first = firsts[f];
      for (int at = text.indexOf(first, 0, end); at >= 0; at = text.indexOf(first, at + 1, end)) {
        if (first == 'I' && at > 0 && Character.isLetterOrDigit(text.charAt(at - 1))) {
          continue;
        }
        for (String phrase : byFirst.get(f)) {
          if (text.regionMatches(true, at, phrase, 0, phrase.length())) {
            return phrase;
          }
        }
      }
    }
    return null;
  }
}

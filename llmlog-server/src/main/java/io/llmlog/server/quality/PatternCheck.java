package io.llmlog.server.quality;

import io.llmlog.server.pipeline.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code type: regex} and {@code type: contains}: whether a text field holds a pattern or words.
 * regex: {@code must_match} (score 1 when it matches) or {@code must_not_match} (1 when it does
 * not). contains: {@code values} with {@code mode} {@code any} (1 when one occurs), {@code all} (1
 * when every one does) or {@code none} (1 when none does), case-insensitive unless {@code
 * case_sensitive: true}. Labels {@code pass}/{@code fail}; the explanation names what was found or
 * missing.
 */
final class PatternCheck implements CallEvaluator {
  /**
   * Regular expressions are matched against at most this many characters, so a pathological pattern
   * stays bounded.
   */
  static final int MAX_CHARS = 100_000;

  enum Mode {
    ANY,
    ALL,
    NONE
  }

  private final String field;
  private final Pattern pattern;
  private final boolean mustMatch;
  private final List<String> values;
  private final Mode mode;
  private final boolean caseSensitive;

  private PatternCheck(
      String field,
      Pattern pattern,
      boolean mustMatch,
      List<String> values,
      Mode mode,
      boolean caseSensitive) {
    this.field = field;
    this.pattern = pattern;
    this.mustMatch = mustMatch;
    this.values = values;
    this.mode = mode;
    this.caseSensitive = caseSensitive;
  }

  static PatternCheck regex(String field, Pattern pattern, boolean mustMatch) {
    return new PatternCheck(field, pattern, mustMatch, List.of(), null, true);
  }

  static PatternCheck contains(
      String field, List<String> values, Mode mode, boolean caseSensitive) {
    List<String> normalised =
        values.stream().map(v -> caseSensitive ? v : v.toLowerCase(Locale.ROOT)).toList();
    return new PatternCheck(field, null, false, normalised, mode, caseSensitive);
  }

  @Override
  public Verdict evaluate(Event call) {
    String text = CallEvaluator.text(call, field);
    if (text == null) {
      return null;
    }
    return pattern != null ? regex(text) : contains(text);
  }

  private Verdict regex(String text) {
    Matcher matcher =
        pattern.matcher(text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text);
    boolean found = matcher.find();
    String what =
        found
            ? "matches at " + matcher.start() + ": '" + abbreviate(matcher.group()) + "'"
            : "no match for " + pattern.pattern();
    return found == mustMatch ? Verdict.pass("pass", what) : Verdict.fail("fail", what);
  }

  private Verdict contains(String text) {
    String haystack = caseSensitive ? text : text.toLowerCase(Locale.ROOT);
    List<String> found = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String value : values) {
      (haystack.contains(value) ? found : missing).add(value);
    }
    boolean pass =
        switch (mode) {
          case ANY -> !found.isEmpty();
          case ALL -> missing.isEmpty();
          case NONE -> found.isEmpty();
        };
    String what =
        (found.isEmpty() ? "none found" : "found " + String.join(", ", found))
            + (missing.isEmpty() || mode == Mode.NONE
                ? ""
                : "; missing " + String.join(", ", missing));
    return pass ? Verdict.pass("pass", what) : Verdict.fail("fail", what);
  }

  static String abbreviate(String text) {
    return text.length() > 80 ? text.substring(0, 80) + "…" : text;
  }
}

package io.llmlog.server.quality;

import io.llmlog.core.redact.PiiRedactor;
import io.llmlog.core.redact.Redaction;
import io.llmlog.server.pipeline.Event;
import io.llmlog.server.pipeline.RedactFilter;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code type: pii}: personal data in the response. The score is how many items were found (0 is
 * clean), the label the kinds ({@code email,phone}) or {@code none}. In the pipeline it reads what
 * the {@code redact} filter replaced in the field (so it costs nothing more); where no redact
 * filter covers the field, and when scoring stored calls later, it counts the redaction marks left
 * in the text ({@code [EMAIL]}, {@code [PHONE:3f2a…]}) and runs the redactor's recognizers on the
 * rest.
 */
final class PiiCheck implements CallEvaluator {
  private static final Pattern MARK =
      Pattern.compile("\\[(EMAIL|PHONE|CN_ID|BANK_CARD|IP|SECRET)(?::[0-9a-f]{12})?\\]");

  private final String field;
  private final boolean redactedInPipeline;
  private final PiiRedactor recognizers = PiiRedactor.defaults();

  PiiCheck(String field, boolean redactedInPipeline) {
    this.field = field;
    this.redactedInPipeline = redactedInPipeline;
  }

  @Override
  public Verdict evaluate(Event call) {
    String text = CallEvaluator.text(call, field);
    if (text == null) {
      return null;
    }
    Map<String, Integer> found = new TreeMap<>();
    if (call.noted(RedactFilter.noteOf(field)) instanceof Map<?, ?> counts) {
      counts.forEach(
          (kind, n) -> found.merge(String.valueOf(kind), ((Number) n).intValue(), Integer::sum));
    } else if (!redactedInPipeline) {
      Matcher marks = MARK.matcher(text);
      while (marks.find()) {
        found.merge(marks.group(1).toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
      }
      Redaction redaction = recognizers.redact(text);
      redaction.counts().forEach((kind, n) -> found.merge(kind, n, Integer::sum));
    }
    int total = found.values().stream().mapToInt(Integer::intValue).sum();
    if (total == 0) {
      return new Verdict(0, "none", "no personal data");
    }
    return new Verdict(
        total,
        String.join(",", found.keySet()),
        found.toString().replace("{", "").replace("}", ""));
  }
}

package io.llmlog.core;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Quality feedback on one call: the brief's {@code QualityLogEntry} (a human rating, feedback,
 * annotations, the reviewer) plus automatic scores such as {@code relevance} or
 * {@code toxicity} from an evaluator.
 *
 * @param timestamp when the feedback was given
 * @param requestId the call it is about
 * @param rating a human rating, on the application's own scale (1–5 stars, -1/+1 thumbs, ...)
 * @param feedback free text from the user or reviewer
 * @param annotations labels a reviewer attached
 * @param reviewerId who gave the feedback
 * @param scores automatic scores by name, each a finite number
 */
public record QualityLogEntry(
    Instant timestamp,
    String requestId,
    Integer rating,
    String feedback,
    List<String> annotations,
    String reviewerId,
    Map<String, Double> scores) {

  public QualityLogEntry {
    if (timestamp == null) {
      throw new InvalidFieldException(QualityField.TIMESTAMP.jsonName(), "is required");
    }
    if (Texts.isBlank(requestId)) {
      throw new InvalidFieldException(QualityField.REQUEST_ID.jsonName(), "is required");
    }
    if (annotations == null) {
      annotations = List.of();
    } else {
      for (String annotation : annotations) {
        if (annotation == null) {
          throw new InvalidFieldException(QualityField.ANNOTATIONS.jsonName(), "must not contain null");
        }
      }
      annotations = List.copyOf(annotations);
    }
    scores = copyScores(scores);
  }

  /** A rating with no other feedback. */
  public static QualityLogEntry rating(Instant timestamp, String requestId, int rating) {
    return new QualityLogEntry(timestamp, requestId, rating, null, List.of(), null, Map.of());
  }

  private static Map<String, Double> copyScores(Map<String, Double> scores) {
    if (scores == null || scores.isEmpty()) {
      return Map.of();
    }
    Map<String, Double> copy = new LinkedHashMap<>();
    scores.forEach((name, score) -> {
      if (Texts.isBlank(name)) {
        throw new InvalidFieldException(QualityField.SCORES.jsonName(), "names must not be blank");
      }
      if (score == null || score.isNaN() || score.isInfinite()) {
        throw new InvalidFieldException(QualityField.SCORES.jsonName() + "." + name, "must be a finite number, was " + score);
      }
      copy.put(name, score);
    });
    return Collections.unmodifiableMap(copy);
  }
}

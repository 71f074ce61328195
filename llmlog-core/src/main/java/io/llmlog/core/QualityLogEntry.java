package io.llmlog.core;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Quality feedback on one call: the brief's {@code QualityLogEntry} (a human rating, feedback,
 * annotations, the reviewer) plus automatic scores such as {@code relevance} or {@code toxicity}
 * from an evaluator, with the evaluator's name, label and explanation. A record that names its
 * evaluator is kept once per call and evaluator: scoring a call again replaces it.
 *
 * @param timestamp when the feedback was given
 * @param requestId the call it is about
 * @param rating a human rating, on the application's own scale (1–5 stars, -1/+1 thumbs, ...)
 * @param feedback free text from the user or reviewer
 * @param annotations labels a reviewer attached
 * @param reviewerId who gave the feedback
 * @param scores automatic scores by name, each a finite number
 * @param evaluator the evaluator that produced the scores, or null
 * @param label the evaluator's label for the call ({@code pass}, {@code refusal}, ...), or null
 * @param explanation why the evaluator scored as it did, or null
 */
public record QualityLogEntry(
    Instant timestamp,
    String requestId,
    Integer rating,
    String feedback,
    List<String> annotations,
    String reviewerId,
    Map<String, Double> scores,
    String evaluator,
    String label,
    String explanation) {

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
          throw new InvalidFieldException(
              QualityField.ANNOTATIONS.jsonName(), "must not contain null");
        }
      }
      annotations = List.copyOf(annotations);
    }
    scores = copyScores(scores);
    if (evaluator != null && Texts.isBlank(evaluator)) {
      throw new InvalidFieldException(QualityField.EVALUATOR.jsonName(), "must not be blank");
    }
  }

  /** Feedback without an evaluator, as the brief's record has it. */
  public QualityLogEntry(
      Instant timestamp,
      String requestId,
      Integer rating,
      String feedback,
      List<String> annotations,
      String reviewerId,
      Map<String, Double> scores) {
    this(timestamp, requestId, rating, feedback, annotations, reviewerId, scores, null, null, null);
  }

  /** A rating with no other feedback. */
  public static QualityLogEntry rating(Instant timestamp, String requestId, int rating) {
    return new QualityLogEntry(timestamp, requestId, rating, null, List.of(), null, Map.of());
  }

  /**
   * An evaluator's score of a call ({@code scores.<evaluator>}), with its label and explanation
   * (either may be null).
   */
  public static QualityLogEntry score(
      Instant timestamp,
      String requestId,
      String evaluator,
      double score,
      String label,
      String explanation) {
    return new QualityLogEntry(
        timestamp,
        requestId,
        null,
        null,
        List.of(),
        null,
        Map.of(evaluator, score),
        evaluator,
        label,
        explanation);
  }

  private static Map<String, Double> copyScores(Map<String, Double> scores) {
    if (scores == null || scores.isEmpty()) {
      return Map.of();
    }
    Map<String, Double> copy = new LinkedHashMap<>();
    scores.forEach(
        (name, score) -> {
          if (Texts.isBlank(name)) {
            throw new InvalidFieldException(
                QualityField.SCORES.jsonName(), "names must not be blank");
          }
          if (score == null || score.isNaN() || score.isInfinite()) {
            throw new InvalidFieldException(
                QualityField.SCORES.jsonName() + "." + name,
                "must be a finite number, was " + score);
          }
          copy.put(name, score);
        });
    return Collections.unmodifiableMap(copy);
  }
}

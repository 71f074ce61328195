package io.llmlog.server.quality;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * What an evaluator says about one call: a score (stored as {@code scores.<evaluator>}), a label
 * and why. A value: two verdicts with the same score, label and explanation are equal.
 *
 * <p>The explanation may be given as a formula ({@link #explainedLater}): an evaluator in the
 * ingest pipeline then pays for a verdict, and the text is formatted once, when the quality record
 * is written (or never, when the call is dropped).
 */
final class Verdict {
  private final double score;
  private final String label;

  /**
   * The explanation: a String, null, or a Supplier of it until it is first read. Not volatile: a
   * thread that still sees the Supplier formats the same immutable text again.
   */
  private Object explanation;

  Verdict(double score, String label, String explanation) {
    this.score = score;
    this.label = label;
    this.explanation = explanation;
  }

  private Verdict(double score, String label, Supplier<String> explanation) {
    this.score = score;
    this.label = label;
    this.explanation = explanation;
  }

  static Verdict pass(String label, String explanation) {
    return new Verdict(1, label, explanation);
  }

  static Verdict fail(String label, String explanation) {
    return new Verdict(0, label, explanation);
  }

  /**
   * A verdict whose explanation is formatted when it is first read; the formula must only read
   * values that do not change.
   */
  static Verdict explainedLater(double score, String label, Supplier<String> explanation) {
    return new Verdict(score, label, explanation);
  }

  double score() {
    return score;
  }

  String label() {
    return label;
  }

  String explanation() {
    Object value = explanation;
    if (value instanceof Supplier<?> formula) {
      String text = (String) formula.get();
      explanation = text;
      return text;
    }
    return (String) value;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Verdict that
        && Double.compare(score, that.score) == 0
        && Objects.equals(label, that.label)
        && Objects.equals(explanation(), that.explanation());
  }

  @Override
  public int hashCode() {
    return Objects.hash(score, label, explanation());
  }

  @Override
  public String toString() {
    return "Verdict[score=" + score + ", label=" + label + ", explanation=" + explanation() + "]";
  }
}

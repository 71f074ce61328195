package io.llmlog.server.quality;

/**
 * What an evaluator says about one call: a score (stored as {@code scores.<evaluator>}), a label and
 * why.
 */
record Verdict(double score, String label, String explanation) {
  static Verdict pass(String label, String explanation) {
    return new Verdict(1, label, explanation);
  }

  static Verdict fail(String label, String explanation) {
    return new Verdict(0, label, explanation);
  }
}

package io.llmlog.server.quality;

import io.llmlog.server.pipeline.Event;

/** A deterministic check of one call, cheap enough to run in the ingest pipeline. Thread-safe. */
@FunctionalInterface
interface CallEvaluator {
  /**
   * Scores a call.
   *
   * @return the verdict, or null when the call lacks what this evaluator looks at (a request-only
   *     part of a call sent in pieces, an error without a response): such calls get no score
   */
  Verdict evaluate(Event call);

  /** The text at a field, or null. */
  static String text(Event call, String field) {
    return call.get(field) instanceof String text ? text : null;
  }
}

package io.llmlog.client;

import io.llmlog.core.LlmLogEntry;
import io.llmlog.core.QualityLogEntry;

/**
 * A record waiting in a reporter's queue, with what the caller's thread already worked out about
 * it. One instance is shared by every destination's queue. Identity equality on purpose: the same
 * entry logged twice is two records.
 */
final class Pending {
  final LlmLogEntry call;
  final QualityLogEntry quality;
  final StepRecord step;
  final double weight;
  final int estimatedBytes;

  private Pending(
      LlmLogEntry call,
      QualityLogEntry quality,
      StepRecord step,
      double weight,
      int estimatedBytes) {
    this.call = call;
    this.quality = quality;
    this.step = step;
    this.weight = weight;
    this.estimatedBytes = estimatedBytes;
  }

  static Pending call(LlmLogEntry entry, double weight) {
    return new Pending(entry, null, null, weight, RecordSizer.estimate(entry));
  }

  static Pending quality(QualityLogEntry quality) {
    return new Pending(null, quality, null, 1, RecordSizer.estimate(quality));
  }

  static Pending step(StepRecord step) {
    return new Pending(null, null, step, 1, RecordSizer.estimate(step));
  }

  RecordKind kind() {
    return call != null ? RecordKind.CALL : step != null ? RecordKind.STEP : RecordKind.QUALITY;
  }
}

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
  final double weight;
  final int estimatedBytes;

  private Pending(LlmLogEntry call, QualityLogEntry quality, double weight, int estimatedBytes) {
    this.call = call;
    this.quality = quality;
    this.weight = weight;
    this.estimatedBytes = estimatedBytes;
  }

  static Pending call(LlmLogEntry entry, double weight) {
    return new Pending(entry, null, weight, RecordSizer.estimate(entry));
  }

  static Pending quality(QualityLogEntry quality) {
    return new Pending(null, quality, 1, RecordSizer.estimate(quality));
  }

  RecordKind kind() {
    return call != null ? RecordKind.CALL : RecordKind.QUALITY;
  }
}

package io.llmlog.client;

import io.llmlog.core.LlmLogEntry;

/**
 * Decides on the caller's thread whether a call record is kept, and how many calls it stands for.
 * It must be cheap (a hash of the request id, a check of the level): it runs inside
 * {@link LlmLogger#log}.
 *
 * <p>The weight is 0 to drop the record (counted as {@link DropReason#SAMPLED_OUT}), 1 to keep it,
 * and w &gt; 1 to keep it as a stand-in for w calls, as when successes are sampled at rate 1/w.
 * Records kept with a weight other than 1 carry {@code "sample_weight": w}, so that counts and
 * sums can be scaled back up. A sampler that throws, or returns NaN, a negative or an infinite
 * weight, keeps the record with weight 1: losing data silently is worse than keeping too much.
 *
 * <p>Quality records are never sampled.
 */
@FunctionalInterface
public interface Sampler {
  /** Keeps every record with weight 1. */
  Sampler ALWAYS = entry -> 1;

  /** The sample weight of {@code entry}: 0 drops it, w &gt;= 1 keeps it standing for w calls. */
  double weight(LlmLogEntry entry);
}

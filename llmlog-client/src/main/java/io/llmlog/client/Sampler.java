package io.llmlog.client;

import io.llmlog.core.LlmLogEntry;
import io.llmlog.core.sample.SamplingPolicy;
import java.util.Objects;

/**
 * Decides on the caller's thread whether a call record is kept, and how many calls it stands for.
 * It must be cheap (a hash of the request id, a check of the level): it runs inside {@link
 * LlmLogger#log}.
 *
 * <p>The built-in one is {@link #of(SamplingPolicy)}: the brief's error-aware sampling, the same
 * decision the server's pipeline makes — every failed call kept (and every slow one, with a latency
 * threshold), a fraction of the rest chosen by a hash of the request id, so that the SDK and the
 * server keep the same calls.
 *
 * <p>The weight is 0 to drop the record (counted as {@link DropReason#SAMPLED_OUT}), 1 to keep it,
 * and w &gt; 1 to keep it as a stand-in for w calls, as when successes are sampled at rate 1/w.
 * Records kept with a weight other than 1 carry {@code "sample_weight": w}, so that counts and sums
 * can be scaled back up. A sampler that throws, or returns NaN, a negative or an infinite weight,
 * keeps the record with weight 1: losing data silently is worse than keeping too much.
 *
 * <p>Quality records are never sampled.
 */
@FunctionalInterface
public interface Sampler {
  /** Keeps every record with weight 1. */
  Sampler ALWAYS = entry -> 1;

  /** The sample weight of {@code entry}: 0 drops it, w &gt;= 1 keeps it standing for w calls. */
  double weight(LlmLogEntry entry);

  /**
   * The brief's sampling policy: {@code Sampler.of(SamplingPolicy.of(0.1))} keeps every failed call
   * and one successful call in ten, with weight 10; {@code Sampler.of(new SamplingPolicy(0.1,
   * 5000.0, true))} keeps calls of 5 s or more too.
   */
  static Sampler of(SamplingPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    return policy::weight;
  }
}

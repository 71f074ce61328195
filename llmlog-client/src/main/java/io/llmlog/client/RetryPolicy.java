package io.llmlog.client;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long a reporter keeps trying one batch: at most {@code maxAttempts} sends within {@code
 * maxDuration}, waiting between them an exponentially growing, jittered backoff, or the receiver's
 * {@code Retry-After} when it asks for longer.
 *
 * @param maxAttempts sends of one batch, the first included; 1 means no retry
 * @param initialBackoff the wait before the second attempt (before jitter)
 * @param maxBackoff the longest wait between two attempts (before jitter), Retry-After aside
 * @param maxDuration how long one batch may take, from its first attempt; a wait that would end
 *     later is not started and the batch is dropped as {@code send_failed}
 */
record RetryPolicy(
    int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxDuration) {
  static final RetryPolicy DEFAULT =
      new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofSeconds(60));

  RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
    }
    requirePositive(initialBackoff, "initialBackoff");
    requirePositive(maxBackoff, "maxBackoff");
    requirePositive(maxDuration, "maxDuration");
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "maxBackoff " + maxBackoff + " is shorter than initialBackoff " + initialBackoff);
    }
  }

  /**
   * The wait after the {@code failedAttempts}-th failed attempt, in nanoseconds: "equal jitter",
   * uniformly between half and all of {@code initialBackoff * 2^(failedAttempts-1)} capped at
   * {@code maxBackoff}. Jitter keeps many clients that failed together from retrying together; the
   * half that is kept guarantees the backoff still grows.
   */
  long backoffNanos(int failedAttempts, RandomGenerator random) {
    long cap = maxBackoff.toNanos();
    long base = initialBackoff.toNanos();
    int shift = Math.min(failedAttempts - 1, 62);
    long exponential =
        shift >= Long.numberOfLeadingZeros(base) - 1 ? cap : Math.min(cap, base << shift);
    long half = exponential / 2;
    return half + (long) (random.nextDouble() * (exponential - half));
  }

  /**
   * The wait before the next attempt: the jittered backoff, or the receiver's Retry-After when that
   * is longer (a receiver asking for time should get it).
   */
  long waitNanos(int failedAttempts, Duration retryAfter, RandomGenerator random) {
    long backoff = backoffNanos(failedAttempts, random);
    if (retryAfter == null) {
      return backoff;
    }
    return Math.max(backoff, saturatedNanos(retryAfter));
  }

  private static long saturatedNanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }

  private static void requirePositive(Duration value, String name) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}

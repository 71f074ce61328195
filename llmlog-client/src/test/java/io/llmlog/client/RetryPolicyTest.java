package io.llmlog.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  final RetryPolicy policy =
      new RetryPolicy(10, Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofSeconds(60));
  final SplittableRandom random = new SplittableRandom(7);

  @Test
  void backoffNanos_growsExponentiallyWithinHalfAndWhole() {
    for (int attempt = 1; attempt <= 6; attempt++) {
      long full = TimeUnit.MILLISECONDS.toNanos(200L << (attempt - 1));
      for (int i = 0; i < 100; i++) {
        assertThat(policy.backoffNanos(attempt, random)).isBetween(full / 2, full);
      }
    }
  }

  @Test
  void backoffNanos_manyAttempts_isCappedAtMaxBackoff() {
    long cap = TimeUnit.SECONDS.toNanos(10);
    for (int attempt : new int[] {7, 20, 63, 64, 1000}) {
      assertThat(policy.backoffNanos(attempt, random)).isBetween(cap / 2, cap);
    }
  }

  @Test
  void waitNanos_retryAfterLonger_waitsRetryAfter() {
    assertThat(policy.waitNanos(1, Duration.ofSeconds(3), random))
        .isEqualTo(TimeUnit.SECONDS.toNanos(3));
  }

  @Test
  void waitNanos_retryAfterShorter_waitsTheBackoff() {
    assertThat(policy.waitNanos(6, Duration.ofMillis(1), random))
        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(3200));
  }

  @Test
  void waitNanos_hugeRetryAfter_saturates() {
    assertThat(policy.waitNanos(1, Duration.ofSeconds(Long.MAX_VALUE), random))
        .isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void new_badValues_throw() {
    assertThatThrownBy(
            () ->
                new RetryPolicy(
                    0, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new RetryPolicy(
                    1, Duration.ofMillis(2), Duration.ofMillis(1), Duration.ofMillis(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new RetryPolicy(1, Duration.ZERO, Duration.ofMillis(1), Duration.ofMillis(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

package io.llmlog.client;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The reporter's sense of time for retries: a monotonic clock and a way to wait. Tests pass a fake
 * that records the waits and moves its clock instead of sleeping.
 */
interface Time {
  /** System time; waits park the thread and end early when {@code stop} turns true. */
  Time SYSTEM =
      new Time() {
        @Override
        public long nanoTime() {
          return System.nanoTime();
        }

        @Override
        public boolean sleep(long nanos, BooleanSupplier stop) {
          long deadline = System.nanoTime() + nanos;
          for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
            if (stop.getAsBoolean() || Thread.currentThread().isInterrupted()) {
              return false;
            }
            // Parking, not Thread.sleep: unpark from close() cuts the wait short without an
            // interrupt.
            LockSupport.parkNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
          }
          return !stop.getAsBoolean();
        }
      };

  long nanoTime();

  /**
   * Waits {@code nanos}, unless {@code stop} turns true first.
   *
   * @return false when the wait was cut short
   */
  boolean sleep(long nanos, BooleanSupplier stop);
}

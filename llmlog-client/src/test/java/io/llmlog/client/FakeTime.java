package io.llmlog.client;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** A clock that moves only when the reporter waits; the waits are kept, and none of them sleeps. */
final class FakeTime implements Time {
  private long now = 1_000_000_000L;
  private final List<Long> sleeps = new ArrayList<>();

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public synchronized boolean sleep(long nanos, BooleanSupplier stop) {
    sleeps.add(nanos);
    now += nanos;
    return !stop.getAsBoolean();
  }

  synchronized List<Long> sleeps() {
    return List.copyOf(sleeps);
  }
}

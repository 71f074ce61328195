package io.llmlog.server.quality;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What the judge spent in the last hour on this server, in requests and US dollars: a judgement
 * starts only while both are under their limits. Thread-safe.
 */
final class HourlyBudget {
  private static final Duration HOUR = Duration.ofHours(1);

  private record Spend(Instant at, double usd) {}

  private final double maxUsd;
  private final int maxCalls;
  private final Clock clock;
  private final Deque<Spend> spent = new ArrayDeque<>();
  private double usd;

  HourlyBudget(double maxUsd, int maxCalls, Clock clock) {
    this.maxUsd = maxUsd;
    this.maxCalls = maxCalls;
    this.clock = clock;
  }

  /** True while the last hour's requests and cost are under the limits. */
  synchronized boolean allows() {
    expire();
    return spent.size() < maxCalls && usd < maxUsd;
  }

  /** Counts one request and what it cost. */
  synchronized void spend(double cost) {
    expire();
    double value = Double.isFinite(cost) && cost > 0 ? cost : 0;
    spent.addLast(new Spend(clock.instant(), value));
    usd += value;
  }

  synchronized double usdLastHour() {
    expire();
    return usd;
  }

  synchronized int callsLastHour() {
    expire();
    return spent.size();
  }

  private void expire() {
    Instant cutoff = clock.instant().minus(HOUR);
    while (!spent.isEmpty() && spent.peekFirst().at().isBefore(cutoff)) {
      usd -= spent.removeFirst().usd();
    }
    if (spent.isEmpty()) {
      usd = 0;
    }
  }
}

package io.llmlog.server.store;

import io.llmlog.core.Timestamps;
import java.time.Instant;

/**
 * llmlog's daily index families: {@code llm-logs-YYYY.MM.dd} as in the brief, and the same scheme
 * for quality records, dead letters, alert history and live rollups. Every name carries the configured prefix,
 * so several deployments (or tests) can share one engine.
 */
public enum IndexFamily {
  LOGS("llm-logs-"),
  QUALITY("llm-quality-"),
  DEAD_LETTERS("llm-deadletter-"),
  ALERTS("llm-alerts-"),
  /** Per-server, per-minute live aggregates that let several servers evaluate alert rules over all traffic. */
  ROLLUPS("llm-rollups-");

  private final String stem;

  IndexFamily(String stem) {
    this.stem = stem;
  }

  /** The family's name stem without prefix, such as {@code llm-logs-}. */
  public String stem() {
    return stem;
  }

  /** The index for the UTC day of {@code instant}. */
  public String index(String prefix, Instant instant) {
    return prefix + stem + Timestamps.day(instant);
  }

  /** The index for a day written as {@code YYYY.MM.dd}. */
  public String index(String prefix, String day) {
    return prefix + stem + day;
  }

  /** The wildcard pattern matching every index of the family. */
  public String pattern(String prefix) {
    return prefix + stem + "*";
  }
}

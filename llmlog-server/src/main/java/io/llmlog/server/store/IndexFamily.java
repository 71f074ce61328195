package io.llmlog.server.store;

import io.llmlog.core.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * llmlog's daily index families: {@code llm-logs-YYYY.MM.dd} as in the brief, and the same scheme
 * for the steps of agent runs, quality records, dead letters, alert history and live rollups. Every
 * name carries the configured prefix, so several deployments (or tests) can share one engine.
 *
 * <p>This is the one list of families: the lifecycle's settings, API, archives and dashboard take
 * the families it manages and their names ({@link #key}) from here.
 */
public enum IndexFamily {
  LOGS("llm-logs-", "logs", true),
  /** The steps of agent runs that are not model calls (tools, retrievals, agents, workflows). */
  SPANS("llm-spans-", "spans", true),
  QUALITY("llm-quality-", "quality", true),
  ALERTS("llm-alerts-", "alerts", true),
  DEAD_LETTERS("llm-deadletter-", "dead_letters", true),
  /**
   * Per-server, per-minute live aggregates that let several servers evaluate alert rules over all
   * traffic.
   */
  ROLLUPS("llm-rollups-", "rollups", false);

  private final String stem;
  private final String key;
  private final boolean managed;

  IndexFamily(String stem, String key, boolean managed) {
    this.stem = stem;
    this.key = key;
    this.managed = managed;
  }

  /**
   * The family's name in settings, the API and archives: {@code logs}, {@code spans}, {@code
   * dead_letters}...
   */
  public String key() {
    return key;
  }

  /**
   * True for the families the lifecycle moves through hot, warm, archived and deleted (rollups
   * expire on their own).
   */
  public boolean managed() {
    return managed;
  }

  /** The families the lifecycle manages, in this order. */
  public static List<IndexFamily> managedFamilies() {
    List<IndexFamily> families = new ArrayList<>();
    for (IndexFamily family : values()) {
      if (family.managed) {
        families.add(family);
      }
    }
    return List.copyOf(families);
  }

  /**
   * The managed family with this key ({@code dead-letters} and {@code dead_letters} alike), or
   * null.
   */
  public static IndexFamily byKey(String name) {
    String key = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    for (IndexFamily family : managedFamilies()) {
      if (family.key.equals(key)) {
        return family;
      }
    }
    return null;
  }

  /**
   * The managed families' keys, for messages: {@code logs, spans, quality, alerts or dead_letters}.
   */
  public static String keys() {
    List<String> keys = managedFamilies().stream().map(IndexFamily::key).toList();
    return String.join(", ", keys.subList(0, keys.size() - 1)) + " or " + keys.get(keys.size() - 1);
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

package io.llmlog.server.lifecycle;

import java.util.Locale;

/**
 * The next step for a day; each is idempotent, so a run interrupted anywhere is simply run again.
 */
enum Action {
  NONE,
  /**
   * Block writes, move to warm nodes and lower replicas when configured, force-merge to one
   * segment.
   */
  WARM,
  /** Block writes, export a set, verify it against the index, then delete the index. */
  ARCHIVE,
  /**
   * A restored copy's time is up: delete it if it still equals its archive, else archive it as a
   * new set.
   */
  DROP_RESTORED,
  /** The retention passed: delete the index, if any, and the archive. */
  DELETE,
  /** Finish a restore that a crash interrupted. */
  RESUME_RESTORE;

  String json() {
    return name().toLowerCase(Locale.ROOT);
  }
}

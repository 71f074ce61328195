package io.llmlog.server.lifecycle;

import java.util.Locale;

/**
 * Where a day is in its life, derived each time from what exists (index, archive sets, markers).
 */
enum Phase {
  /** The index takes writes. */
  HOT,
  /** The index is (being made) read-only and merged. */
  WARM,
  /** The index is due for archiving, or being archived: it exists until its archive is verified. */
  COLD,
  /** Only the verified archive exists. */
  ARCHIVED,
  /** The index was restored from its archive and is kept for a while. */
  RESTORED,
  /** A restore is loading the index (or was interrupted and will be resumed). */
  RESTORING,
  /**
   * Archive files without a manifest and no index: an interrupted export whose index was deleted by
   * someone else.
   */
  INCOMPLETE;

  String json() {
    return name().toLowerCase(Locale.ROOT);
  }
}

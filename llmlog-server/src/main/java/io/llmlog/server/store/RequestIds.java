package io.llmlog.server.store;

import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The distinct request ids of the documents that matched a query, sorted, at most as many as asked
 * for, and whether that is all of them ({@code complete} false when the limit cut the list).
 */
public record RequestIds(Set<String> ids, boolean complete) {
  public RequestIds {
    ids = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(ids));
  }

  /** The first {@code limit} of a sorted set of ids, complete when none was left out. */
  static RequestIds of(SortedSet<String> found, int limit) {
    if (found.size() <= limit) {
      return new RequestIds(found, true);
    }
    SortedSet<String> kept = new TreeSet<>();
    for (String id : found) {
      if (kept.size() == limit) {
        break;
      }
      kept.add(id);
    }
    return new RequestIds(kept, false);
  }
}

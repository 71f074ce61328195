package io.llmlog.server.pipeline;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last {@code capacity} keys added, the oldest forgotten first: what a server remembers of
 * decisions taken for records that are still to come (sampled-out calls, failed traces, parents of
 * GenAI spans). Bounded, so that memory stays flat however many ids pass; thread-safe.
 */
public final class RecentKeys {
  private final Map<String, Boolean> keys;

  public RecentKeys(int capacity) {
    this.keys =
        Collections.synchronizedMap(
            new LinkedHashMap<>(1024, 0.75f, false) {
              private static final long serialVersionUID = 1L;

              @Override
              protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
              }
            });
  }

  public void add(String key) {
    keys.put(key, Boolean.TRUE);
  }

  public boolean contains(String key) {
    return keys.containsKey(key);
  }
}

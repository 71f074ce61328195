package io.llmlog.server.live;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One minute of the live stream: per view, its series and their accumulators. A series whose
 * accumulator changed since it was last published is dirty. All access is synchronised on the
 * minute, which is contended only by calls of that same minute.
 */
final class Minute {
  final long epochMinute;
  private final Map<String, Map<SeriesKey, Slot>> views = new HashMap<>();

  private static final class Slot {
    final Accumulator accumulator = new Accumulator();
    boolean dirty;
  }

  /** A copy of one series' accumulator, taken for publishing or reading. */
  record Entry(String view, SeriesKey series, Accumulator accumulator) {}

  Minute(long epochMinute) {
    this.epochMinute = epochMinute;
  }

  /**
   * Adds a call to a view's series, or to the overflow series when the view already has {@code
   * maxSeries} series this minute.
   *
   * @return true when the call went to the overflow series
   */
  synchronized boolean add(
      View view,
      SeriesKey series,
      int maxSeries,
      double weight,
      boolean error,
      List<String> matched,
      double[] values) {
    Map<SeriesKey, Slot> slots = views.computeIfAbsent(view.id, id -> new HashMap<>());
    Slot slot = slots.get(series);
    boolean overflowed = false;
    if (slot == null) {
      SeriesKey key = series;
      if (slots.size() >= maxSeries) {
        key = SeriesKey.overflow(series.values().size());
        overflowed = true;
      }
      slot =
          slots.computeIfAbsent(
              key,
              k -> {
                Slot created = new Slot();
                created.accumulator.track(view.counted.keySet());
                return created;
              });
    }
    slot.accumulator.add(weight, error, matched, values, view.sketchFields);
    slot.dirty = true;
    return overflowed;
  }

  /** Copies of a view's series. */
  synchronized List<Entry> series(String view) {
    List<Entry> entries = new ArrayList<>();
    views
        .getOrDefault(view, Map.of())
        .forEach((key, slot) -> entries.add(new Entry(view, key, slot.accumulator.copy())));
    return entries;
  }

  /** Copies of the series that changed since the last call, which marks them clean. */
  synchronized List<Entry> takeDirty() {
    List<Entry> entries = new ArrayList<>();
    views.forEach(
        (view, slots) ->
            slots.forEach(
                (key, slot) -> {
                  if (slot.dirty) {
                    slot.dirty = false;
                    entries.add(new Entry(view, key, slot.accumulator.copy()));
                  }
                }));
    return entries;
  }

  /** Marks a series dirty again, after its publication failed. */
  synchronized void markDirty(String view, SeriesKey series) {
    Slot slot = views.getOrDefault(view, Map.of()).get(series);
    if (slot != null) {
      slot.dirty = true;
    }
  }

  synchronized long footprintBytes() {
    long bytes = 64;
    for (Map<SeriesKey, Slot> slots : views.values()) {
      for (Slot slot : slots.values()) {
        bytes += 96 + slot.accumulator.footprintBytes();
      }
    }
    return bytes;
  }
}

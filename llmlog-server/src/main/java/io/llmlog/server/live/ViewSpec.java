package io.llmlog.server.live;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One way of slicing the live stream: the calls that match {@code filter} (all when null), split
 * into series by the values of {@code groupBy}, each series counting the calls that match each of
 * {@code countFilters} and sketching the fields in {@code sketchFields}. The dashboard's view is
 * {@code (null, [model])}; alert rules add views for their filters and groupings.
 *
 * @param filter a KQL filter, or null for every call
 * @param groupBy keyword fields whose values name a series, in order
 * @param countFilters KQL filters counted per series, for {@code count(<KQL>)} in rule conditions
 * @param sketchFields numeric fields with a percentile sketch
 */
public record ViewSpec(
    String filter, List<String> groupBy, Set<String> countFilters, Set<String> sketchFields) {
  public ViewSpec {
    filter = filter == null || filter.isBlank() ? null : filter.trim();
    groupBy = List.copyOf(groupBy);
    // Sorted, so that every server lists (and serialises) them in the same order.
    countFilters = Collections.unmodifiableSortedSet(new TreeSet<>(countFilters));
    sketchFields = Collections.unmodifiableSortedSet(new TreeSet<>(sketchFields));
  }

  /**
   * The view's identity across servers: its filter and grouping. What it counts and sketches is
   * merged by name, so servers whose rules differ still add up what they share.
   */
  public String id() {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(Objects.requireNonNullElse(filter, "").getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      digest.update(String.join("\u0000", groupBy).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * True when this view holds what a rule over {@code (filter, groupBy)} needs, merging series if
   * needed.
   */
  public boolean serves(String otherFilter, List<String> otherGroupBy) {
    String normalised = otherFilter == null || otherFilter.isBlank() ? null : otherFilter.trim();
    return Objects.equals(filter, normalised)
        && (groupBy.equals(otherGroupBy) || otherGroupBy.isEmpty());
  }

  /** This view, also counting and sketching what another spec of the same slice needs. */
  public ViewSpec with(Set<String> moreCountFilters, Set<String> moreSketchFields) {
    Set<String> counts = new TreeSet<>(countFilters);
    counts.addAll(moreCountFilters);
    Set<String> sketches = new TreeSet<>(sketchFields);
    sketches.addAll(moreSketchFields);
    return new ViewSpec(filter, groupBy, counts, sketches);
  }
}

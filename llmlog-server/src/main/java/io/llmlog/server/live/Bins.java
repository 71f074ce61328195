package io.llmlog.server.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.HdrHistogram.DoubleHistogram;
import org.HdrHistogram.DoubleHistogramIterationValue;

/**
 * A sketch as its non-empty HDR buckets only: each bucket's highest equivalent value and count. The
 * durable rollups keep sketches this way because an answer merges thousands of them: merging or
 * decoding an HdrHistogram walks its whole counts array (tens of thousands of slots at three
 * significant digits, ~1 ms each for a packed one), while the buckets of a unit's calls are a few
 * dozen. A percentile is read as HdrHistogram reads it (the bucket holding the nearest rank, at its
 * highest equivalent value), so it keeps the sketch's 0.1%. Not thread-safe.
 */
final class Bins {
  private final Map<Double, Long> counts = new HashMap<>();
  private long total;

  static Bins of(DoubleHistogram sketch) {
    Bins bins = new Bins();
    for (DoubleHistogramIterationValue value : sketch.recordedValues()) {
      bins.add(value.getValueIteratedTo(), value.getCountAddedInThisIterationStep());
    }
    return bins;
  }

  void add(double value, long count) {
    if (count > 0) {
      counts.merge(value, count, Long::sum);
      total += count;
    }
  }

  void merge(Bins other) {
    other.counts.forEach(this::add);
  }

  long total() {
    return total;
  }

  /** The value at a percentile (0 &lt; p &le; 100), or NaN when empty. */
  double percentile(double p) {
    if (total == 0) {
      return Double.NaN;
    }
    double[] values = counts.keySet().stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(values);
    long rank = Math.max(1, (long) Math.ceil(Math.min(Math.max(p, 0), 100) / 100 * total));
    long seen = 0;
    for (double value : values) {
      seen += counts.get(value);
      if (seen >= rank) {
        return value;
      }
    }
    return values[values.length - 1];
  }

  /** {@code {"v": [values], "c": [counts]}}. */
  ObjectNode toJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    ArrayNode values = node.putArray("v");
    ArrayNode weights = node.putArray("c");
    counts.forEach(
        (value, count) -> {
          values.add(value);
          weights.add(count);
        });
    return node;
  }

  static Bins fromJson(JsonNode node) {
    Bins bins = new Bins();
    JsonNode values = node.path("v");
    JsonNode weights = node.path("c");
    if (values.size() != weights.size()) {
      throw new IllegalArgumentException(
          "bins with " + values.size() + " values and " + weights.size() + " counts");
    }
    for (int i = 0; i < values.size(); i++) {
      bins.add(values.get(i).asDouble(), weights.get(i).asLong());
    }
    return bins;
  }
}

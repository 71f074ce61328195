package io.llmlog.server.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.core.LogField;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.DataFormatException;
import org.HdrHistogram.DoubleHistogram;
import org.HdrHistogram.PackedDoubleHistogram;

/**
 * The mergeable summary of some calls: weighted count and errors, how many records were added and
 * the range of their weights, per-filter counts, weight, sum, min and max of every numeric {@link
 * LogField}, and HdrHistogram sketches of chosen fields. The live minutes of every server and the
 * durable rollups the stats are answered from are made of it.
 *
 * <p>Sketches are {@link PackedDoubleHistogram}s with three significant digits: any value is
 * reported within 0.1%, they merge exactly ({@code add}), encode compactly, and being packed
 * (sparse) a minute with a few calls costs a few hundred bytes, not the 100+ KB of a dense one. The
 * durable rollups' accumulators ({@link #binned()}) keep their sketches as {@link Bins} instead:
 * coarser (0.4%), but a few hundred bytes to read where an answer reads hundreds. A call's weight
 * goes into a sketch as {@code round(w)} copies (at least one), which is exact for the integer
 * weights of sampling at rates 1/n; counts and sums use the exact weight.
 *
 * <p>Not thread-safe: the owner synchronises.
 */
final class Accumulator implements Aggregate {
  static final int SIGNIFICANT_DIGITS = 3;
  static final List<LogField> NUMERIC = numericFields();

  private double count;
  private double errors;
  private long stored;
  private double minWeight = Double.NaN;
  private double maxWeight = Double.NaN;
  private final Map<String, Double> matches = new TreeMap<>();
  private final double[] weight = new double[NUMERIC.size()];
  private final double[] sum = new double[NUMERIC.size()];
  private final double[] min = new double[NUMERIC.size()];
  private final double[] max = new double[NUMERIC.size()];
  private final Map<String, DoubleHistogram> sketches = new TreeMap<>();

  /** Sketches as their buckets only, as the durable rollups keep them ({@link #toBinnedJson}). */
  private final Map<String, Bins> bins = new TreeMap<>();

  /** True when {@link #add} records sketches as {@link Bins} rather than HdrHistograms. */
  private final boolean binned;

  Accumulator() {
    this(false);
  }

  private Accumulator(boolean binned) {
    this.binned = binned;
    java.util.Arrays.fill(min, Double.NaN);
    java.util.Arrays.fill(max, Double.NaN);
  }

  /** An accumulator that records its sketches as the durable rollups keep them: {@link Bins}. */
  static Accumulator binned() {
    return new Accumulator(true);
  }

  private static List<LogField> numericFields() {
    List<LogField> fields = new ArrayList<>();
    for (LogField field : LogField.values()) {
      if (field.isNumeric()) {
        fields.add(field);
      }
    }
    return Collections.unmodifiableList(fields);
  }

  static int indexOf(String field) {
    LogField known = LogField.byJsonName(field);
    return known == null ? -1 : NUMERIC.indexOf(known);
  }

  /**
   * Adds one call. {@code values} holds the numeric fields' values in {@link #NUMERIC} order (NaN:
   * absent).
   */
  void add(
      double w, boolean error, List<String> matched, double[] values, List<String> sketchFields) {
    count += w;
    stored++;
    minWeight = lower(minWeight, w);
    maxWeight = upper(maxWeight, w);
    if (error) {
      errors += w;
    }
    for (String filter : matched) {
      matches.merge(filter, w, Double::sum);
    }
    for (int i = 0; i < values.length; i++) {
      double v = values[i];
      if (Double.isNaN(v)) {
        continue;
      }
      weight[i] += w;
      sum[i] += w * v;
      min[i] = lower(min[i], v);
      max[i] = upper(max[i], v);
    }
    long copies = Math.max(1, Math.round(w));
    for (String field : sketchFields) {
      double v = values[indexOf(field)];
      if (!Double.isNaN(v) && v >= 0) {
        if (binned) {
          bins.computeIfAbsent(field, f -> new Bins()).add(v, copies);
        } else {
          sketches.computeIfAbsent(field, f -> newSketch()).recordValueWithCount(v, copies);
        }
      }
    }
  }

  /**
   * Declares the filters this accumulator tracks, so that "none matched" reads 0 rather than NaN.
   */
  void track(Iterable<String> filters) {
    for (String filter : filters) {
      matches.putIfAbsent(filter, 0.0);
    }
  }

  /** Adds everything of another accumulator into this one. */
  void merge(Accumulator other) {
    count += other.count;
    errors += other.errors;
    stored += other.stored;
    minWeight = lower(minWeight, other.minWeight);
    maxWeight = upper(maxWeight, other.maxWeight);
    other.matches.forEach((filter, n) -> matches.merge(filter, n, Double::sum));
    for (int i = 0; i < weight.length; i++) {
      if (other.weight[i] == 0 && Double.isNaN(other.min[i])) {
        continue;
      }
      weight[i] += other.weight[i];
      sum[i] += other.sum[i];
      min[i] = lower(min[i], other.min[i]);
      max[i] = upper(max[i], other.max[i]);
    }
    other.sketches.forEach(
        (field, sketch) -> sketches.computeIfAbsent(field, f -> newSketch()).add(sketch));
    other.bins.forEach((field, from) -> bins.computeIfAbsent(field, f -> new Bins()).merge(from));
  }

  /** The smaller of two values, NaN meaning "none yet". */
  private static double lower(double a, double b) {
    return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.min(a, b);
  }

  private static double upper(double a, double b) {
    return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
  }

  Accumulator copy() {
    Accumulator copy = new Accumulator();
    copy.merge(this);
    return copy;
  }

  private static DoubleHistogram newSketch() {
    return new PackedDoubleHistogram(SIGNIFICANT_DIGITS);
  }

  @Override
  public double count() {
    return count;
  }

  @Override
  public double errors() {
    return errors;
  }

  /** The records added, each once whatever its weight. */
  long stored() {
    return stored;
  }

  /**
   * True when the records were added with different weights (so that weighting moves a percentile).
   */
  boolean weightsVary() {
    return !Double.isNaN(minWeight) && minWeight != maxWeight;
  }

  @Override
  public double matching(String kql) {
    Double n = matches.get(kql);
    return n == null ? Double.NaN : n;
  }

  @Override
  public double sum(String field) {
    int i = indexOf(field);
    return i < 0 ? Double.NaN : sum[i];
  }

  @Override
  public double avg(String field) {
    int i = indexOf(field);
    return i < 0 || weight[i] == 0 ? Double.NaN : sum[i] / weight[i];
  }

  @Override
  public double min(String field) {
    int i = indexOf(field);
    return i < 0 ? Double.NaN : min[i];
  }

  @Override
  public double max(String field) {
    int i = indexOf(field);
    return i < 0 ? Double.NaN : max[i];
  }

  @Override
  public double percentile(String field, double p) {
    DoubleHistogram sketch = sketches.get(field);
    if (sketch == null || sketch.getTotalCount() == 0) {
      Bins binned = bins.get(field);
      return binned == null ? Double.NaN : binned.percentile(p);
    }
    if (bins.containsKey(field)) {
      Bins both = Bins.of(sketch);
      both.merge(bins.get(field));
      return both.percentile(p);
    }
    return sketch.getValueAtPercentile(p);
  }

  /** An estimate of the heap this accumulator holds, for the memory gauge. */
  long footprintBytes() {
    long bytes = 64 + 4L * 16 * weight.length + 48L * matches.size();
    for (DoubleHistogram sketch : sketches.values()) {
      bytes += sketch.getEstimatedFootprintInBytes();
    }
    return bytes;
  }

  /**
   * The accumulator as JSON for a rollup document; sketches as base64 of HdrHistogram's compressed
   * encoding.
   */
  ObjectNode toJson() {
    ObjectNode node = numbersJson();
    ObjectNode sketchesNode = node.putObject("sketches");
    sketches.forEach(
        (field, sketch) -> {
          ByteBuffer buffer = ByteBuffer.allocate(sketch.getNeededByteBufferCapacity());
          int length = sketch.encodeIntoCompressedByteBuffer(buffer);
          sketchesNode.put(
              field,
              Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length)));
        });
    binsJson(node, bins);
    return node;
  }

  /**
   * The accumulator as JSON with its sketches as {@link Bins}: what the durable rollups store,
   * since an answer reads and merges thousands of them.
   */
  ObjectNode toBinnedJson() {
    ObjectNode node = numbersJson();
    Map<String, Bins> all = new TreeMap<>();
    sketches.forEach((field, sketch) -> all.put(field, Bins.of(sketch)));
    bins.forEach((field, more) -> all.computeIfAbsent(field, f -> new Bins()).merge(more));
    binsJson(node, all);
    return node;
  }

  private static void binsJson(ObjectNode node, Map<String, Bins> bins) {
    if (!bins.isEmpty()) {
      ObjectNode binsNode = node.putObject("bins");
      bins.forEach((field, binned) -> binsNode.set(field, binned.toJson()));
    }
  }

  private ObjectNode numbersJson() {
    JsonNodeFactory json = JsonNodeFactory.instance;
    ObjectNode node = json.objectNode();
    node.put("count", count);
    node.put("errors", errors);
    node.put("stored", stored);
    if (!Double.isNaN(minWeight)) {
      node.putArray("weights").add(minWeight).add(maxWeight);
    }
    ObjectNode matchesNode = node.putObject("matches");
    matches.forEach(matchesNode::put);
    ObjectNode stats = node.putObject("stats");
    for (int i = 0; i < weight.length; i++) {
      if (!Double.isNaN(min[i])) {
        stats
            .putArray(NUMERIC.get(i).jsonName())
            .add(weight[i])
            .add(sum[i])
            .add(min[i])
            .add(max[i]);
      }
    }
    return node;
  }

  /**
   * Reads {@link #toJson()}'s or {@link #toBinnedJson()}'s form back; fields this version does not
   * know are skipped.
   *
   * @throws IllegalArgumentException when a sketch cannot be decoded
   */
  static Accumulator fromJson(JsonNode node) {
    Accumulator accumulator = new Accumulator();
    accumulator.count = node.path("count").asDouble();
    accumulator.errors = node.path("errors").asDouble();
    accumulator.stored = node.path("stored").asLong();
    JsonNode weights = node.path("weights");
    if (weights.size() == 2) {
      accumulator.minWeight = weights.get(0).asDouble();
      accumulator.maxWeight = weights.get(1).asDouble();
    }
    for (Map.Entry<String, JsonNode> entry : node.path("matches").properties()) {
      accumulator.matches.put(entry.getKey(), entry.getValue().asDouble());
    }
    for (Map.Entry<String, JsonNode> entry : node.path("stats").properties()) {
      int i = indexOf(entry.getKey());
      JsonNode values = entry.getValue();
      if (i >= 0 && values.size() == 4) {
        accumulator.weight[i] = values.get(0).asDouble();
        accumulator.sum[i] = values.get(1).asDouble();
        accumulator.min[i] = values.get(2).asDouble();
        accumulator.max[i] = values.get(3).asDouble();
      }
    }
    for (Map.Entry<String, JsonNode> entry : node.path("sketches").properties()) {
      byte[] bytes = Base64.getDecoder().decode(entry.getValue().asText());
      try {
        accumulator.sketches.put(
            entry.getKey(),
            PackedDoubleHistogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 2));
      } catch (DataFormatException | RuntimeException e) {
        throw new IllegalArgumentException(
            "unreadable sketch for " + entry.getKey() + ": " + e.getMessage(), e);
      }
    }
    for (Map.Entry<String, JsonNode> entry : node.path("bins").properties()) {
      accumulator.bins.put(entry.getKey(), Bins.fromJson(entry.getValue()));
    }
    return accumulator;
  }
}

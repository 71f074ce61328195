package io.llmlog.server.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.server.query.RollupStats;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import org.HdrHistogram.DoubleHistogram;
import org.HdrHistogram.DoubleHistogramIterationValue;

/**
 * A sketch in a fixed layout of relative-error buckets: the durable rollups keep latency and TTFT
 * this way because an answer merges hundreds of them and reads them from the engine each time.
 *
 * <p>A value's bucket is its double's sign, exponent and top {@value #MANTISSA_BITS} mantissa bits
 * ({@link #bucket}): {@code 2^7} buckets per power of two, each {@code 1/128} of its lower bound
 * wide, the same for every sketch, so that merging adds counts slot by slot. A percentile is read
 * at the bucket holding the nearest rank (as HdrHistogram and the engine's {@code percentiles} read
 * it) and reported as the bucket's middle: within {@code 1/256} (0.4%) of the exact value at that
 * rank. The buckets of latencies from 1 ms to a day span 27 powers of two, so a sketch has at most
 * about 3,500 slots whatever the number of calls; encoded ({@link #toJson}) as the occupied
 * buckets' gaps and counts in variable-length integers, it takes a few hundred bytes to a few KB.
 *
 * <p>Not thread-safe.
 */
final class Bins {
  static final int MANTISSA_BITS = RollupStats.MANTISSA_BITS;
  private static final int SHIFT = 52 - MANTISSA_BITS;

  /** One past the bucket of the largest finite double: what a stored bucket must be below. */
  private static final long BUCKETS = 1L << (63 - SHIFT);

  /** Counts of buckets {@code first, first + 1, ...}; grown as values arrive. */
  private long[] counts = new long[0];

  private int first;
  private long total;

  /** The bucket of a value (finite, {@code >= 0}). */
  static int bucket(double value) {
    return (int) (Double.doubleToRawLongBits(value) >>> SHIFT);
  }

  /** The middle of a bucket: within half a bucket's width of every value in it. */
  static double middle(int bucket) {
    double low = Double.longBitsToDouble((long) bucket << SHIFT);
    double high = Double.longBitsToDouble((long) (bucket + 1) << SHIFT);
    return low + (high - low) / 2;
  }

  /** The buckets of a sketch's recorded values (each at HdrHistogram's reported value). */
  static Bins of(DoubleHistogram sketch) {
    Bins bins = new Bins();
    for (DoubleHistogramIterationValue value : sketch.recordedValues()) {
      bins.add(value.getValueIteratedTo(), value.getCountAddedInThisIterationStep());
    }
    return bins;
  }

  /** Adds {@code count} copies of a value; negative, infinite and NaN values are not kept. */
  void add(double value, long count) {
    if (count > 0 && value >= 0 && Double.isFinite(value)) {
      addToBucket(bucket(value), count);
    }
  }

  private void addToBucket(int bucket, long count) {
    if (counts.length == 0) {
      counts = new long[16];
      first = bucket;
    } else if (bucket < first) {
      long[] grown = new long[counts.length + (first - bucket)];
      System.arraycopy(counts, 0, grown, first - bucket, counts.length);
      counts = grown;
      first = bucket;
    } else if (bucket - first >= counts.length) {
      counts = Arrays.copyOf(counts, Math.max(bucket - first + 1, counts.length * 2));
    }
    counts[bucket - first] += count;
    total += count;
  }

  void merge(Bins other) {
    for (int i = 0; i < other.counts.length; i++) {
      if (other.counts[i] > 0) {
        addToBucket(other.first + i, other.counts[i]);
      }
    }
  }

  long total() {
    return total;
  }

  /** The value at a percentile (0 &lt; p &le; 100), or NaN when empty. */
  double percentile(double p) {
    if (total == 0) {
      return Double.NaN;
    }
    long rank = Math.max(1, (long) Math.ceil(Math.min(Math.max(p, 0), 100) / 100 * total));
    long seen = 0;
    int last = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0) {
        seen += counts[i];
        last = i;
        if (seen >= rank) {
          return middle(first + i);
        }
      }
    }
    return middle(first + last);
  }

  /**
   * {@code {"b": base64}}: the number of occupied buckets, then for each its distance from the one
   * before (the first: its bucket) and its count, all as unsigned variable-length integers.
   */
  ObjectNode toJson() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int occupied = 0;
    for (long count : counts) {
      occupied += count > 0 ? 1 : 0;
    }
    varint(out, occupied);
    long previous = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0) {
        varint(out, first + i - previous);
        varint(out, counts[i]);
        previous = first + i;
      }
    }
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("b", Base64.getEncoder().encodeToString(out.toByteArray()));
    return node;
  }

  /**
   * Reads {@link #toJson}'s form.
   *
   * @throws IllegalArgumentException when it is not that form
   */
  static Bins fromJson(JsonNode node) {
    JsonNode encoded = node.path("b");
    if (!encoded.isTextual()) {
      throw new IllegalArgumentException("bins without their encoded buckets");
    }
    ByteBuffer in = ByteBuffer.wrap(Base64.getDecoder().decode(encoded.asText()));
    Bins bins = new Bins();
    try {
      long occupied = varint(in);
      long bucket = 0;
      for (long i = 0; i < occupied; i++) {
        bucket += varint(in);
        long count = varint(in);
        if (bucket >= BUCKETS || count <= 0) {
          throw new IllegalArgumentException("bins with a bucket or count out of range");
        }
        bins.addToBucket((int) bucket, count);
      }
    } catch (java.nio.BufferUnderflowException e) {
      throw new IllegalArgumentException("bins cut short", e);
    }
    return bins;
  }

  private static void varint(ByteArrayOutputStream out, long value) {
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }

  private static long varint(ByteBuffer in) {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      byte b = in.get();
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new IllegalArgumentException("bins with a malformed number");
  }
}

package io.llmlog.core.sample;

import io.llmlog.core.LlmLogEntry;
import io.llmlog.core.LogField;
import io.llmlog.core.LogLevel;
import io.llmlog.core.NearestName;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The brief's sampling strategy: 对成功请求采样记录,错误请求全量记录 — keep every failed call (and every slow one,
 * when a latency threshold is set) and a fraction {@code rate} of the rest.
 *
 * <p>The decision is a pure function of the request id ({@link #position}), not a random draw, so
 * that
 *
 * <ul>
 *   <li>the SDK and the server, any version, any language, agree on it: an SDK that sampled already
 *       and a server that samples again keep the same calls;
 *   <li>all records of one call share it. A call may be reported as separate request, response and
 *       performance records with one {@code request_id}; whoever samples must either decide on the
 *       complete call (the SDK when the call ends, the server after merging the parts), or keep
 *       every part whose rate decision {@link #keptByRate} is true plus parts that carry the error
 *       or latency themselves. The rate decision alone is the same for every part; the error and
 *       latency rules can only be applied where those fields are known.
 * </ul>
 *
 * <p>{@link #weight} says how many calls a kept record stands for, stored as {@link
 * LogField#SAMPLE_WEIGHT}: summing weights gives unbiased call counts.
 *
 * @param rate the fraction of ordinary successful calls kept, in [0, 1]
 * @param latencyThresholdMs calls at least this slow are always kept; null for no latency rule
 * @param keepErrors whether failed calls are always kept; the brief says they are
 */
public record SamplingPolicy(double rate, Double latencyThresholdMs, boolean keepErrors) {
  /** Keep everything. */
  public static final SamplingPolicy KEEP_ALL = new SamplingPolicy(1.0, null, true);

  private static final Set<String> KEYS = Set.of("rate", "latency_threshold_ms", "keep_errors");

  public SamplingPolicy {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException("rate: must be between 0 and 1, was " + rate);
    }
    if (latencyThresholdMs != null
        && !(latencyThresholdMs >= 0 && latencyThresholdMs < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(
          "latency_threshold_ms: must be a finite number >= 0, was " + latencyThresholdMs);
    }
  }

  /** Successes sampled at {@code rate}, errors always kept, no latency rule. */
  public static SamplingPolicy of(double rate) {
    return new SamplingPolicy(rate, null, true);
  }

  /**
   * A policy from configuration: {@code rate} (0–1, default 1), {@code latency_threshold_ms}
   * (optional), {@code keep_errors} (default true).
   *
   * @throws IllegalArgumentException whose message starts with the offending key
   */
  public static SamplingPolicy fromConfig(Map<String, ?> config) {
    if (config == null) {
      return KEEP_ALL;
    }
    for (Object key : config.keySet()) {
      if (!KEYS.contains(String.valueOf(key))) {
        throw new IllegalArgumentException(
            key + ": unknown key" + NearestName.hint(String.valueOf(key), KEYS));
      }
    }
    double rate = config.containsKey("rate") ? number("rate", config.get("rate")) : 1.0;
    Double threshold =
        config.get("latency_threshold_ms") == null
            ? null
            : number("latency_threshold_ms", config.get("latency_threshold_ms"));
    Object keepErrors = config.get("keep_errors");
    if (keepErrors != null && !(keepErrors instanceof Boolean)) {
      throw new IllegalArgumentException("keep_errors: must be true or false, was " + keepErrors);
    }
    return new SamplingPolicy(rate, threshold, keepErrors == null || (Boolean) keepErrors);
  }

  private static double number(String key, Object value) {
    if (!(value instanceof Number)) {
      throw new IllegalArgumentException(key + ": must be a number, was " + value);
    }
    return ((Number) value).doubleValue();
  }

  /**
   * How many calls a record of this call stands for: 0 when it is sampled out, 1 when it is kept
   * because it failed, was slow, or the rate is 1, and {@code 1 / rate} when it is kept by the
   * rate.
   *
   * @param requestId the call's request id
   * @param error whether the call failed
   * @param latencyMs the call's latency, or null when not known
   */
  public double weight(String requestId, boolean error, Double latencyMs) {
    Objects.requireNonNull(requestId, "requestId");
    if ((error && keepErrors) || rate >= 1 || isSlow(latencyMs)) {
      return 1;
    }
    return keptByRate(requestId) ? 1 / rate : 0;
  }

  /**
   * {@link #weight(String, boolean, Double)} of an entry: its request id, {@link #isError}, its
   * latency.
   */
  public double weight(LlmLogEntry entry) {
    return weight(entry.requestId(), isError(entry), entry.performance().latencyMs());
  }

  /** True when the weight is not 0. */
  public boolean keeps(LlmLogEntry entry) {
    return weight(entry) > 0;
  }

  /**
   * The rate decision alone, the same for every record of the call: {@code position(requestId) <
   * rate}.
   */
  public boolean keptByRate(String requestId) {
    return position(requestId) < rate;
  }

  private boolean isSlow(Double latencyMs) {
    return latencyThresholdMs != null && latencyMs != null && latencyMs >= latencyThresholdMs;
  }

  /** A failed call: level error, an error given, or stop reason {@code error}. */
  public static boolean isError(LlmLogEntry entry) {
    return entry.level() == LogLevel.ERROR
        || entry.error() != null
        || "error".equalsIgnoreCase(entry.stopReason());
  }

  /**
   * Where a request id falls on [0, 1); a call is kept by the rate when this is below it. The
   * algorithm, fixed forever: UTF-8 bytes, FNV-1a 64, MurmurHash3 fmix64, top 53 bits — see {@link
   * #hash}.
   */
  public static double position(String requestId) {
    return RequestIdHash.position(Objects.requireNonNull(requestId, "requestId"));
  }

  /**
   * The 64-bit sampling hash of a request id: FNV-1a 64 ({@code offset 0xcbf29ce484222325}, {@code
   * prime 0x100000001b3}) over its UTF-8 bytes (an unpaired surrogate as {@code '?'}), then
   * MurmurHash3's fmix64 ({@code h ^= h>>>33; h *= 0xff51afd7ed558ccd; h ^= h>>>33; h *=
   * 0xc4ceb9fe1a85ec53; h ^= h>>>33}).
   */
  public static long hash(String requestId) {
    return RequestIdHash.hash(Objects.requireNonNull(requestId, "requestId"));
  }
}

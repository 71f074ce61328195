package io.llmlog.server.pipeline;

import io.llmlog.core.LogField;
import io.llmlog.core.sample.SamplingPolicy;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The brief's sampling strategy — keep every error, sample the successes — with the same {@link
 * SamplingPolicy} as the SDK, so both take the same decision for a call. A kept record carries
 * {@code sample_weight}, how many calls it stands for, so that counts can be extrapolated.
 *
 * <p>Every record of one call shares the decision, whatever order the parts of a call arrive in:
 *
 * <ul>
 *   <li>a record that says how the call ended (level, error, stop reason, latency, response, output
 *       tokens) is judged in full;
 *   <li>a part that does not (the request part) is kept when the request-id rate decision keeps the
 *       call anyway; otherwise it is kept as {@code sample_pending} until the rest of the call
 *       decides: a kept rest clears the mark, a sampled-out rest retracts the stored part;
 *   <li>a part arriving after its call was sampled out is dropped, as long as this server remembers
 *       the decision (the last {@value #REMEMBERED} sampled-out request ids).
 * </ul>
 *
 * <p>If the SDK sampled already, both used the same hash: a record the stricter rate keeps is kept
 * by the looser one too, so the combined weight is the larger of the two, never their product.
 *
 * <p>Records from OpenTelemetry, and steps, are sampled by their trace id instead ({@link
 * Event#sampleByTrace}): every call and step of a trace shares the rate decision. A trace with a
 * failed record is kept whole: the records of the same request are marked beforehand ({@link
 * TraceSampling}), and this filter remembers the last {@value #REMEMBERED} failed traces for the
 * records that arrive in later requests. What it cannot do is bring back a record of the trace that
 * an earlier request already sampled out before the failure arrived.
 */
final class SampleFilter implements Filter {
  /** Sampled-out request ids remembered for late parts: about 10 MB at most. */
  static final int REMEMBERED = 100_000;

  private final SamplingPolicy policy;
  private final LongAdder sampledOut = new LongAdder();
  private final LongAdder pending = new LongAdder();
  private final RecentKeys sampledOutIds = new RecentKeys(REMEMBERED);
  private final RecentKeys sampledOutTraces = new RecentKeys(REMEMBERED);
  private final RecentKeys failedTraces = new RecentKeys(REMEMBERED);

  SampleFilter(SamplingPolicy policy) {
    this.policy = policy;
  }

  @Override
  public String name() {
    return "sample";
  }

  @Override
  public boolean apply(Event event) {
    if (event.sampleTrace() != null) {
      return applyByTrace(event, event.sampleTrace());
    }
    if (!(event.get(LogField.REQUEST_ID.jsonName()) instanceof String requestId)) {
      return true; // Validation rejects it with a clear message; sampling must not hide that.
    }
    if (!knowsOutcome(event)) {
      if (policy.keptByRate(requestId)) {
        return true;
      }
      if (sampledOutIds.contains(requestId)) {
        sampledOut.increment();
        return false;
      }
      pending.increment();
      event.set(LogField.SAMPLE_PENDING.jsonName(), true);
      return true;
    }
    double weight = policy.weight(requestId, isError(event), latency(event));
    if (weight == 0) {
      sampledOut.increment();
      sampledOutIds.add(requestId);
      event.markRetract();
      return false;
    }
    if (!policy.keptByRate(requestId)) {
      // Kept although the rate would not keep it: a pending request part of this call stays.
      event.set(LogField.SAMPLE_PENDING.jsonName(), false);
    }
    weigh(event, weight);
    return true;
  }

  /**
   * The same rules with the trace as the unit: the rate decides per trace, a failure anywhere keeps
   * the trace.
   */
  private boolean applyByTrace(Event event, String traceId) {
    boolean failed = event.traceFailed() || isError(event) || failedTraces.contains(traceId);
    if (failed) {
      failedTraces.add(traceId);
    }
    if (event.outcomeUnknown() && !failed) {
      if (policy.keptByRate(traceId)) {
        return true;
      }
      if (sampledOutTraces.contains(traceId)) {
        sampledOut.increment();
        return false;
      }
      pending.increment();
      event.set(LogField.SAMPLE_PENDING.jsonName(), true);
      return true;
    }
    double weight = policy.weight(traceId, failed, latency(event));
    if (weight == 0) {
      sampledOut.increment();
      sampledOutTraces.add(traceId);
      event.markRetract();
      return false;
    }
    if (!policy.keptByRate(traceId) && event.has(LogField.REQUEST_ID.jsonName())) {
      // Kept though the rate would not keep it: the call's pending content part stays.
      event.set(LogField.SAMPLE_PENDING.jsonName(), false);
    }
    weigh(event, weight);
    return true;
  }

  private static void weigh(Event event, double weight) {
    if (weight != 1 || event.has(LogField.SAMPLE_WEIGHT.jsonName())) {
      Double sent = DeriveFilter.number(event, LogField.SAMPLE_WEIGHT.jsonName());
      event.set(LogField.SAMPLE_WEIGHT.jsonName(), sent == null ? weight : Math.max(sent, weight));
    }
  }

  @Override
  public Map<String, Object> details() {
    return Map.of(
        "sampled_out", sampledOut.sum(), "pending_parts", pending.sum(), "rate", policy.rate());
  }

  SamplingPolicy policy() {
    return policy;
  }

  static boolean isError(Event event) {
    return "error".equalsIgnoreCase(event.getString("level"))
        || event.has("error.type")
        || event.has("error.message")
        || "error".equalsIgnoreCase(event.getString("stop_reason"));
  }

  private static boolean knowsOutcome(Event event) {
    return event.has("level")
        || event.has("error")
        || event.has("stop_reason")
        || event.has("latency_ms")
        || event.has("response")
        || event.has("output_tokens");
  }

  private static Double latency(Event event) {
    try {
      return DeriveFilter.number(event, LogField.LATENCY_MS.jsonName());
    } catch (NumberFormatException notANumber) {
      return null;
    }
  }
}

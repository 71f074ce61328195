package io.llmlog.server.pipeline;

import io.llmlog.core.sample.SamplingPolicy;
import java.util.function.Predicate;

/**
 * Keeps a quality record exactly when its call was kept: when the request-id rate decision keeps
 * it, or when the call is stored anyway (it failed or was slow). Feedback on a call that was
 * sampled out would describe nothing one can open.
 */
final class QualitySampleFilter implements Filter {
  private final SamplingPolicy policy;
  private final Predicate<String> callStored;

  QualitySampleFilter(SamplingPolicy policy, Predicate<String> callStored) {
    this.policy = policy;
    this.callStored = callStored;
  }

  @Override
  public String name() {
    return "sample";
  }

  @Override
  public boolean apply(Event event) {
    if (!(event.get("request_id") instanceof String requestId)) {
      return true;
    }
    return policy.keptByRate(requestId) || callStored.test(requestId);
  }
}

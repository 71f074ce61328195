package io.llmlog.server.quality;

import io.llmlog.server.pipeline.Event;
import io.llmlog.server.pipeline.Filter;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The last step of the call pipeline when deterministic evaluators are configured: each evaluator
 * whose filter and sample select the call scores it, and its score goes with the call as a derived
 * quality record ({@link Event#derive}), written in the same bulk request. An evaluator that throws
 * costs neither the call nor the other evaluators; it is counted.
 */
final class EvaluateFilter implements Filter {
  private final List<Evaluators.Built> evaluators;
  private final Clock clock;

  /** Per evaluator, in the order of {@link #evaluators}: scored, not applicable, failed. */
  private final LongAdder[][] counters;

  EvaluateFilter(List<Evaluators.Built> evaluators, Clock clock) {
    this.evaluators = List.copyOf(evaluators);
    this.clock = clock;
    this.counters = new LongAdder[this.evaluators.size()][];
    for (int i = 0; i < counters.length; i++) {
      counters[i] = new LongAdder[] {new LongAdder(), new LongAdder(), new LongAdder()};
    }
  }

  @Override
  public String name() {
    return "evaluate";
  }

  @Override
  public boolean apply(Event event) {
    // What every evaluator asks first (the judge's own call? its request id?) is asked once.
    Function<String, Object> call = event::get;
    String requestId = Evaluators.scorable(call);
    if (requestId == null) {
      return true;
    }
    Instant now = null;
    for (int i = 0; i < counters.length; i++) {
      Evaluators.Built evaluator = evaluators.get(i);
      if (!evaluator.picks(call, requestId)) {
        continue;
      }
      LongAdder[] count = counters[i];
      Verdict verdict;
      try {
        verdict = evaluator.check().evaluate(event);
      } catch (RuntimeException e) {
        count[2].increment();
        continue;
      }
      if (verdict == null) {
        count[1].increment();
        continue;
      }
      count[0].increment();
      if (now == null) {
        now = clock.instant();
      }
      event.derive(new Score(evaluator.spec().name(), verdict, call, now));
    }
    return true;
  }

  @Override
  public Map<String, Object> details() {
    Map<String, Object> details = new LinkedHashMap<>();
    for (int i = 0; i < counters.length; i++) {
      LongAdder[] count = counters[i];
      details.put(
          evaluators.get(i).spec().name(),
          Map.of(
              "scored",
              count[0].sum(),
              "not_applicable",
              count[1].sum(),
              "failed",
              count[2].sum()));
    }
    return Map.of("evaluators", details);
  }
}

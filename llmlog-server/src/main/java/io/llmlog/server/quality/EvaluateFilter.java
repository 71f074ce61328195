package io.llmlog.server.quality;

import io.llmlog.server.pipeline.Event;
import io.llmlog.server.pipeline.Filter;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The last step of the call pipeline when deterministic evaluators are configured: each evaluator
 * whose filter and sample select the call scores it, and its score goes with the call as a derived
 * quality record ({@link Event#derive}), written in the same bulk request. An evaluator that throws
 * costs neither the call nor the other evaluators; it is counted.
 */
final class EvaluateFilter implements Filter {
  private final List<Evaluators.Built> evaluators;
  private final Clock clock;
  private final Map<String, LongAdder[]> counters = new LinkedHashMap<>();

  EvaluateFilter(List<Evaluators.Built> evaluators, Clock clock) {
    this.evaluators = List.copyOf(evaluators);
    this.clock = clock;
    for (Evaluators.Built evaluator : evaluators) {
      counters.put(evaluator.spec().name(), new LongAdder[] {new LongAdder(), new LongAdder(), new LongAdder()});
    }
  }

  @Override
  public String name() {
    return "evaluate";
  }

  @Override
  public boolean apply(Event event) {
    java.time.Instant now = null;
    for (Evaluators.Built evaluator : evaluators) {
      if (!evaluator.selects(event::get)) {
        continue;
      }
      LongAdder[] count = counters.get(evaluator.spec().name());
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
      event.derive(new Score(evaluator.spec().name(), verdict, event::get, now));
    }
    return true;
  }

  @Override
  public Map<String, Object> details() {
    Map<String, Object> details = new LinkedHashMap<>();
    counters.forEach((name, count) -> details.put(name, Map.of("scored", count[0].sum(), "not_applicable", count[1].sum(), "failed", count[2].sum())));
    return Map.of("evaluators", details);
  }
}

package io.llmlog.server.quality;

import io.llmlog.core.QualityField;
import io.llmlog.core.Timestamps;
import io.llmlog.server.pipeline.Event;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * An evaluator's verdict on a call as the quality record it is stored as: filed under the call's
 * time with {@code evaluated_at} the time of scoring, keyed by (call, evaluator) so that scoring a
 * call again replaces the record, and carrying the call's model, service and the like so that
 * scores group by them.
 */
record Score(String evaluator, Verdict verdict, Function<String, Object> call, Instant evaluatedAt)
    implements Event.Derived {

  /**
   * The record. The call's fields are read only now, when the call is about to be stored (it is
   * kept, and checked): a pipeline step pays for a verdict, not for a document.
   */
  @Override
  public Map<String, Object> fields() {
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("request_id", call.apply("request_id"));
    record.put("timestamp", call.apply("timestamp"));
    for (QualityField field : QualityField.CALL_CONTEXT) {
      Object value = call.apply(field.jsonName());
      if (value instanceof String) {
        record.put(field.jsonName(), value);
      }
    }
    if (record.get("timestamp") == null) {
      record.put("timestamp", Timestamps.format(evaluatedAt));
    }
    record.put("evaluator", evaluator);
    Map<String, Object> scores = new LinkedHashMap<>();
    scores.put(evaluator, verdict.score());
    record.put("scores", scores);
    if (verdict.label() != null) {
      record.put("label", verdict.label());
    }
    if (verdict.explanation() != null) {
      record.put("explanation", verdict.explanation());
    }
    record.put("evaluated_at", Timestamps.format(evaluatedAt));
    return record;
  }
}

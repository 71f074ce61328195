package io.llmlog.server.alert;

import io.llmlog.server.live.Aggregate;
import java.util.HashMap;
import java.util.Map;

/** An aggregate with the numbers a test sets. */
final class FakeAggregate implements Aggregate {
  double count;
  double errors;
  final Map<String, Double> values = new HashMap<>();

  FakeAggregate(double count, double errors) {
    this.count = count;
    this.errors = errors;
  }

  FakeAggregate with(String key, double value) {
    values.put(key, value);
    return this;
  }

  @Override
  public double count() {
    return count;
  }

  @Override
  public double errors() {
    return errors;
  }

  @Override
  public double matching(String kql) {
    return values.getOrDefault("count:" + kql, Double.NaN);
  }

  @Override
  public double sum(String field) {
    return values.getOrDefault("sum:" + field, 0.0);
  }

  @Override
  public double avg(String field) {
    return values.getOrDefault("avg:" + field, Double.NaN);
  }

  @Override
  public double min(String field) {
    return values.getOrDefault("min:" + field, Double.NaN);
  }

  @Override
  public double max(String field) {
    return values.getOrDefault("max:" + field, Double.NaN);
  }

  @Override
  public double percentile(String field, double p) {
    return values.getOrDefault("p" + p + ":" + field, Double.NaN);
  }
}

package io.llmlog.server.pipeline;

import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Drops the events a condition matches, such as health-check calls or a noisy test model. Dropped
 * events are counted, not stored.
 */
final class DropFilter implements Filter {
  private final Predicate<Event> condition;

  DropFilter(Predicate<Event> condition) {
    this.condition = Objects.requireNonNull(condition, "condition");
  }

  /** {@code field} equals one of {@code values} (compared as text). */
  static Predicate<Event> fieldIn(String field, List<String> values) {
    String path = FieldReference.path(field);
    return event -> values.contains(event.getString(path));
  }

  /** {@code field} is set (or, with {@code exists = false}, is missing). */
  static Predicate<Event> fieldExists(String field, boolean exists) {
    String path = FieldReference.path(field);
    return event -> event.has(path) == exists;
  }

  @Override
  public String name() {
    return "drop";
  }

  @Override
  public boolean apply(Event event) {
    return !condition.test(event);
  }
}

package io.llmlog.server.query.kql;

import java.util.function.Function;

/**
 * A KQL query evaluated in memory on one record at a time, for the places that see records before
 * (or instead of) the engine, such as the live aggregates behind alert rules. Made by {@link
 * KqlParser#toMatcher(String)}; immutable and thread-safe.
 */
@FunctionalInterface
public interface KqlMatcher {

  /**
   * @param fields the record's value at a dotted field name ({@code model}, {@code error.type}), or
   *     null when it has none: strings, numbers, booleans, or lists of them
   */
  boolean matches(Function<String, Object> fields);
}

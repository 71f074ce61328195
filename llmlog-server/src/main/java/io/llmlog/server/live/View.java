package io.llmlog.server.live;

import io.llmlog.server.query.kql.KqlMatcher;
import io.llmlog.server.query.kql.KqlParser;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link ViewSpec} with its KQL compiled to in-memory matchers. */
final class View {
  final ViewSpec spec;
  final String id;
  final KqlMatcher filter;
  final Map<String, KqlMatcher> counted;
  final List<String> sketchFields;

  View(ViewSpec spec, KqlParser kql) {
    this.spec = spec;
    this.id = spec.id();
    this.filter = spec.filter() == null ? record -> true : kql.toMatcher(spec.filter());
    Map<String, KqlMatcher> counted = new LinkedHashMap<>();
    for (String filter : spec.countFilters()) {
      counted.put(filter, kql.toMatcher(filter));
    }
    this.counted = Map.copyOf(counted);
    this.sketchFields = List.copyOf(spec.sketchFields());
  }
}

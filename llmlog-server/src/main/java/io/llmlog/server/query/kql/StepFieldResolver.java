package io.llmlog.server.query.kql;

import io.llmlog.core.FieldType;
import io.llmlog.core.LogField;
import io.llmlog.core.SpanField;
import java.util.ArrayList;
import java.util.List;

/**
 * The tables behind {@link FieldResolver#stepFields()} and {@link FieldResolver#callsAndSteps()}.
 */
enum StepFieldResolver implements FieldResolver {
  STEPS(false),
  CALLS_AND_STEPS(true);

  private static final String METADATA_PREFIX = SpanField.METADATA.jsonName() + ".";

  private final boolean withCalls;
  private final List<String> freeText;

  StepFieldResolver(boolean withCalls) {
    this.withCalls = withCalls;
    List<String> fields = new ArrayList<>();
    if (withCalls) {
      fields.addAll(DslWriter.FREE_TEXT_FIELDS);
    }
    // The steps' own texts, those the pipeline redacts, except the error message (as for calls).
    SpanField.TEXTS.stream()
        .filter(field -> field != SpanField.ERROR_MESSAGE)
        .map(SpanField::jsonName)
        .forEach(fields::add);
    this.freeText = List.copyOf(fields);
  }

  @Override
  public FieldType typeOf(String field) {
    if (field.startsWith(METADATA_PREFIX) && field.length() > METADATA_PREFIX.length()) {
      return SpanField.METADATA.type();
    }
    SpanField step = SpanField.byJsonName(field);
    if (step != null) {
      return step.type();
    }
    LogField call = withCalls ? LogField.byJsonName(field) : null;
    return call == null ? null : call.type();
  }

  @Override
  public List<String> freeTextFields() {
    return freeText;
  }
}

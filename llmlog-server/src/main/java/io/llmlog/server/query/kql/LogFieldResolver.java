package io.llmlog.server.query.kql;

import io.llmlog.core.FieldType;
import io.llmlog.core.LogField;

/** The table behind {@link FieldResolver#logFields()}. */
enum LogFieldResolver implements FieldResolver {
  INSTANCE;

  private static final String METADATA_PREFIX = LogField.METADATA.jsonName() + ".";

  @Override
  public FieldType typeOf(String field) {
    // Metadata keys are dynamic, mapped by the index template as keyword.
    if (field.startsWith(METADATA_PREFIX) && field.length() > METADATA_PREFIX.length()) {
      return LogField.METADATA.type();
    }
    LogField known = LogField.byJsonName(field);
    return known == null ? null : known.type();
  }
}

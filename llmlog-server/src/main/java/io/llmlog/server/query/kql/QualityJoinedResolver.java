package io.llmlog.server.query.kql;

import io.llmlog.core.FieldType;
import io.llmlog.core.QualityField;

/**
 * The table behind {@link FieldResolver#callsWithQuality()}: call fields first, then quality-only
 * fields, joined.
 */
enum QualityJoinedResolver implements FieldResolver {
  INSTANCE;

  private static final String SCORES_PREFIX = QualityField.SCORES.jsonName() + ".";

  @Override
  public FieldType typeOf(String field) {
    FieldType call = LogFieldResolver.INSTANCE.typeOf(field);
    if (call != null) {
      return call;
    }
    if (field.startsWith(SCORES_PREFIX) && field.length() > SCORES_PREFIX.length()) {
      return FieldType.DOUBLE;
    }
    QualityField quality = QualityField.byJsonName(field);
    return quality == null || quality == QualityField.SCORES ? null : quality.type();
  }

  @Override
  public boolean joined(String field) {
    return LogFieldResolver.INSTANCE.typeOf(field) == null && typeOf(field) != null;
  }
}

package io.llmlog.core;

/**
 * The fields of a quality record, stored in {@code llm-quality-*} and joined to calls by
 * {@code request_id}.
 */
public enum QualityField {
  TIMESTAMP("timestamp", FieldType.DATE),
  REQUEST_ID("request_id", FieldType.KEYWORD),
  RATING("rating", FieldType.INTEGER),
  FEEDBACK("feedback", FieldType.TEXT),
  ANNOTATIONS("annotations", FieldType.KEYWORD),
  REVIEWER_ID("reviewer_id", FieldType.KEYWORD),
  /** Automatic scores by name; each is stored as {@code scores.<name>}, a double. */
  SCORES("scores", FieldType.DOUBLE);

  private final String jsonName;
  private final FieldType type;

  QualityField(String jsonName, FieldType type) {
    this.jsonName = jsonName;
    this.type = type;
  }

  public String jsonName() {
    return jsonName;
  }

  public FieldType type() {
    return type;
  }
}

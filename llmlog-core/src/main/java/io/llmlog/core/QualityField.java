package io.llmlog.core;

/**
 * The fields of a quality record, stored in {@code llm-quality-*} and joined to calls by {@code
 * request_id}.
 */
public enum QualityField {
  TIMESTAMP("timestamp", FieldType.DATE),
  REQUEST_ID("request_id", FieldType.KEYWORD),
  RATING("rating", FieldType.INTEGER),
  FEEDBACK("feedback", FieldType.TEXT),
  ANNOTATIONS("annotations", FieldType.KEYWORD),
  REVIEWER_ID("reviewer_id", FieldType.KEYWORD),
  /** Automatic scores by name; each is stored as {@code scores.<name>}, a double. */
  SCORES("scores", FieldType.DOUBLE),
  /**
   * The evaluator that produced the scores; a record naming one is kept once per call and
   * evaluator.
   */
  EVALUATOR("evaluator", FieldType.KEYWORD),
  /** An evaluator's label for the call ({@code pass}, {@code refusal}, {@code zh}, ...). */
  LABEL("label", FieldType.KEYWORD),
  /** Why the evaluator scored as it did, or a reviewer's comment. */
  EXPLANATION("explanation", FieldType.TEXT),
  /** The review queue a review was made in; a record naming one is kept once per call and queue. */
  QUEUE("queue", FieldType.KEYWORD),
  /** When an evaluator or reviewer made the record; {@code timestamp} is then the call's time. */
  EVALUATED_AT("evaluated_at", FieldType.DATE),
  /** The call's model, copied from the call so that scores and feedback group by it. */
  MODEL("model", FieldType.KEYWORD),
  /** The call's provider, copied from the call. */
  PROVIDER("provider", FieldType.KEYWORD),
  /** The call's service, copied from the call. */
  SERVICE("service", FieldType.KEYWORD),
  /** The call's environment, copied from the call. */
  ENVIRONMENT("environment", FieldType.KEYWORD),
  /** The call's user, copied from the call. */
  USER_ID("user_id", FieldType.KEYWORD);

  /** The fields copied from a call onto its quality records. */
  public static final java.util.List<QualityField> CALL_CONTEXT =
      java.util.List.of(MODEL, PROVIDER, SERVICE, ENVIRONMENT, USER_ID);

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

  /** The field with this JSON name, or null. */
  public static QualityField byJsonName(String name) {
    for (QualityField field : values()) {
      if (field.jsonName.equals(name)) {
        return field;
      }
    }
    return null;
  }
}

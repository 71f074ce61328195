package io.llmlog.core;

/**
 * A value that breaks the llmlog schema. {@link #field()} names the field as it is spelled in JSON
 * ({@code input_tokens}, {@code error.type}), so that an ingest error can point at it.
 */
public final class InvalidFieldException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String reason;

  public InvalidFieldException(String field, String reason) {
    super(field + ": " + reason);
    this.field = field;
    this.reason = reason;
  }

  /** The JSON name of the offending field. */
  public String field() {
    return field;
  }

  /** What is wrong with it, without the field name. */
  public String reason() {
    return reason;
  }
}

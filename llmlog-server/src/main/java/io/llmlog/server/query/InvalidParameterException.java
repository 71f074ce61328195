package io.llmlog.server.query;

import java.util.Objects;

/**
 * A search or stats parameter that cannot be used; the API answers 400 naming {@link #parameter()}.
 */
public final class InvalidParameterException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String parameter;

  public InvalidParameterException(String parameter, String reason) {
    super(parameter + ": " + reason);
    this.parameter = Objects.requireNonNull(parameter, "parameter");
  }

  /** The parameter's name as the API spells it, such as {@code from}. */
  public String parameter() {
    return parameter;
  }
}

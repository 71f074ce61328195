package io.llmlog.core;

import java.util.Objects;

/**
 * Why a call failed.
 *
 * @param type a short, groupable kind such as {@code rate_limit}, {@code timeout} or an exception
 *     class name
 * @param message the human-readable detail
 */
public record ErrorInfo(String type, String message) {
  public ErrorInfo {
    if (Texts.isBlank(type)) {
      throw new InvalidFieldException(
          LogField.ERROR_TYPE.jsonName(), "is required when an error is given");
    }
    message = Objects.requireNonNullElse(message, "");
  }

  /** The error of a thrown exception: its class name and message. */
  public static ErrorInfo of(Throwable error) {
    Objects.requireNonNull(error, "error");
    return new ErrorInfo(
        error.getClass().getName(), Objects.requireNonNullElse(error.getMessage(), ""));
  }
}

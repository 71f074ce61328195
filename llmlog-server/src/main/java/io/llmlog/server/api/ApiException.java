package io.llmlog.server.api;

/** An answer other than success, with its HTTP status and a reason meant for the user. */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String type;

  public ApiException(int status, String type, String reason) {
    super(reason);
    this.status = status;
    this.type = type;
  }

  public int status() {
    return status;
  }

  /** A short machine-readable kind, such as Elasticsearch's {@code illegal_argument_exception}. */
  public String type() {
    return type;
  }

  public static ApiException badRequest(String reason) {
    return new ApiException(400, "illegal_argument_exception", reason);
  }

  public static ApiException notFound(String reason) {
    return new ApiException(404, "resource_not_found_exception", reason);
  }
}

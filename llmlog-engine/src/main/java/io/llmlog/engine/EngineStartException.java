package io.llmlog.engine;

import java.util.Objects;

/**
 * The embedded engine could not start. The message is written for the person running llmlog: it
 * says what is wrong and what to do about it. {@link #reason()} lets a caller reword it, for
 * example to name its own command-line flags.
 */
public final class EngineStartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the engine did not start. */
  public enum Reason {
    /** Another running engine holds the lock on the data directory. */
    DATA_DIR_IN_USE,
    /** The data directory cannot be created or written. */
    DATA_DIR_NOT_WRITABLE,
    /** The HTTP or transport port is taken, or the host cannot be bound. */
    PORT_IN_USE,
    /** Anything else; the cause says more. */
    FAILED
  }

  private final Reason reason;

  EngineStartException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}

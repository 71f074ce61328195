package io.llmlog.client;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * Who and what the calls made on this thread belong to: a session, a user, a trace. Open a scope
 * around the work of one request; every call record logged inside it, by {@link LlmLogger} and by
 * the Spring AI and LangChain4j integrations, carries its values unless the record sets its own.
 *
 * <pre>{@code
 * try (var ctx = LlmLogContext.session("s-1").user("u-7")) {
 *   chatModel.chat("...");           // logged with session_id s-1 and user_id u-7
 * }
 * }</pre>
 *
 * <p>Scopes nest: an inner scope starts with the values of the one around it and changes what it
 * sets; closing it brings the outer values back. A scope belongs to the thread that opened it;
 * {@link #wrap(Runnable)} carries the current values into a task run on another thread.
 *
 * <p>Trace ids need no scope when the application traces already: the logger takes {@code trace_id}
 * and {@code parent_id} from the current OpenTelemetry span (when the OpenTelemetry API is on the
 * class path) or from {@linkplain LlmLogger.Builder#traceSource other sources}, such as Micrometer
 * Tracing's current span, which the Spring Boot starter adds. {@link #trace(String, String)} sets
 * them by hand for applications that carry their own ids.
 *
 * <p>A {@linkplain LlmLogger#step step} is a scope too: calls logged inside it, and in tasks
 * {@linkplain #wrap(Executor) handed to a wrapped executor}, get the step's trace and the step as
 * their parent.
 */
public final class LlmLogContext {
  private static final ThreadLocal<Frame> CURRENT = new ThreadLocal<>();

  private LlmLogContext() {}

  /** Opens a scope in which calls belong to session {@code sessionId}. */
  public static Scope session(String sessionId) {
    return new Scope(values().withSession(sessionId));
  }

  /** Opens a scope in which calls are made on behalf of user {@code userId}. */
  public static Scope user(String userId) {
    return new Scope(values().withUser(userId));
  }

  /**
   * Opens a scope in which calls belong to trace {@code traceId} and were made by the span or step
   * {@code parentId}; these win over the trace sources.
   */
  public static Scope trace(String traceId, String parentId) {
    return new Scope(new Frame(values().withTrace(traceId, parentId), false, null));
  }

  /** The values set by the scopes open on this thread; {@link Values#EMPTY} when none is. */
  public static Values current() {
    return values();
  }

  /** A task that runs with the values current now, on whichever thread runs it. */
  public static Runnable wrap(Runnable task) {
    Objects.requireNonNull(task, "task");
    Frame captured = CURRENT.get();
    return () -> {
      try (Scope ignored = new Scope(captured)) {
        task.run();
      }
    };
  }

  /** A task that runs with the values current now, on whichever thread runs it. */
  public static <T> Callable<T> wrap(Callable<T> task) {
    Objects.requireNonNull(task, "task");
    Frame captured = CURRENT.get();
    return () -> {
      try (Scope ignored = new Scope(captured)) {
        return task.call();
      }
    };
  }

  /**
   * An executor that runs each task with the values current when the task was handed to it, so that
   * calls made in the task belong to the same session, user, trace and step.
   */
  public static Executor wrap(Executor executor) {
    Objects.requireNonNull(executor, "executor");
    return task -> executor.execute(wrap(task));
  }

  /**
   * {@link #wrap(Executor)} for an {@link ExecutorService}: every task submitted, invoked or
   * executed through it runs with the values current when it was handed over. Shutting it down
   * shuts {@code executor} down.
   */
  public static ExecutorService wrap(ExecutorService executor) {
    return new ContextExecutorService(Objects.requireNonNull(executor, "executor"));
  }

  private static Values values() {
    Frame frame = CURRENT.get();
    return frame == null ? Values.EMPTY : frame.values;
  }

  /** The frame current on this thread, or null. */
  static Frame frame() {
    return CURRENT.get();
  }

  /**
   * Opens the scope of a step: calls get {@code values} (the step's trace, the step as parent)
   * unless a tracing library's span other than {@code spanAtStart} becomes current inside it.
   */
  static Scope step(Values values, TraceSource.TraceIds spanAtStart) {
    return new Scope(new Frame(values, true, spanAtStart));
  }

  /**
   * What one scope holds: its values and, for a step, the tracing library's span that was current
   * when the step started. A span that differs from it was started inside the step, and the calls
   * made in that span belong to it rather than to the step.
   */
  static final class Frame {
    final Values values;
    final boolean step;
    final TraceSource.TraceIds spanAtStart;

    Frame(Values values, boolean step, TraceSource.TraceIds spanAtStart) {
      this.values = values;
      this.step = step;
      this.spanAtStart = spanAtStart;
    }

    /** The same kind of frame with other values: a session set inside a step keeps the step. */
    Frame with(Values changed, boolean traceSet) {
      return traceSet ? new Frame(changed, false, null) : new Frame(changed, step, spanAtStart);
    }
  }

  /**
   * One open scope. Its setters change the values of this scope; {@link #close()} restores the
   * values that were current when it was opened. Not thread-safe: use it on the thread that opened
   * it.
   */
  public static final class Scope implements AutoCloseable {
    private final Frame previous;
    private Frame frame;
    private boolean closed;

    Scope(Values values) {
      this(
          CURRENT.get() == null
              ? new Frame(values, false, null)
              : CURRENT.get().with(values, false));
    }

    Scope(Frame frame) {
      this.previous = CURRENT.get();
      this.frame = frame;
      if (frame == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(frame);
      }
    }

    /** Sets the session of this scope. */
    public Scope session(String sessionId) {
      return set(values().withSession(sessionId), false);
    }

    /** Sets the user of this scope. */
    public Scope user(String userId) {
      return set(values().withUser(userId), false);
    }

    /** Sets the trace and parent of this scope. */
    public Scope trace(String traceId, String parentId) {
      return set(values().withTrace(traceId, parentId), true);
    }

    /** The values of this scope. */
    public Values values() {
      return frame == null ? Values.EMPTY : frame.values;
    }

    private Scope set(Values changed, boolean traceSet) {
      if (!closed) {
        frame = frame == null ? new Frame(changed, false, null) : frame.with(changed, traceSet);
        CURRENT.set(frame);
      }
      return this;
    }

    /** Restores the values that were current when this scope was opened. Idempotent. */
    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }

  /**
   * The values of a scope; any of them may be null.
   *
   * @param sessionId the conversation or user session
   * @param userId the end user
   * @param traceId the trace the calls belong to
   * @param parentId the span or step that makes the calls
   */
  public record Values(String sessionId, String userId, String traceId, String parentId) {
    /** No values. */
    public static final Values EMPTY = new Values(null, null, null, null);

    public Values withSession(String sessionId) {
      return new Values(sessionId, userId, traceId, parentId);
    }

    public Values withUser(String userId) {
      return new Values(sessionId, userId, traceId, parentId);
    }

    public Values withTrace(String traceId, String parentId) {
      return new Values(sessionId, userId, traceId, parentId);
    }

    /** True when no value is set. */
    public boolean isEmpty() {
      return sessionId == null && userId == null && traceId == null && parentId == null;
    }
  }
}

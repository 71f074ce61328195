package io.llmlog.client;

import io.llmlog.core.LlmLogEntry;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Works out, on the caller's thread, the session, user and trace of a call being logged: the {@link
 * LlmLogContext} scopes first, then the configured MDC keys, then the trace sources.
 */
final class CallContext {
  private final String mdcSessionKey;
  private final String mdcUserKey;
  private final TraceSource[] traceSources;
  private final boolean useMdc;
  private final UnaryOperator<String> mdc;
  private final String environment;

  CallContext(
      String environment,
      String mdcSessionKey,
      String mdcUserKey,
      List<TraceSource> traceSources,
      UnaryOperator<String> mdc) {
    this.environment = environment;
    this.mdcSessionKey = mdcSessionKey;
    this.mdcUserKey = mdcUserKey;
    this.traceSources = traceSources.toArray(new TraceSource[0]);
    this.useMdc =
        (mdcSessionKey != null || mdcUserKey != null) && (mdc != null || Slf4jSupport.apiPresent());
    // A method reference to Slf4jMdc would load it, and SLF4J with it, even when the API is absent.
    this.mdc = mdc != null ? mdc : key -> Slf4jMdc.get(key);
  }

  /**
   * The values for a call made now on this thread; {@link LlmLogContext.Values#EMPTY} when there
   * are none. Inside a step, the step's trace and span win unless a tracing library's span was
   * started within the step: that span is closer to the call than the step is.
   */
  LlmLogContext.Values current() {
    LlmLogContext.Frame frame = LlmLogContext.frame();
    LlmLogContext.Values values = frame == null ? LlmLogContext.Values.EMPTY : frame.values;
    if (useMdc) {
      if (values.sessionId() == null && mdcSessionKey != null) {
        values = values.withSession(mdc.apply(mdcSessionKey));
      }
      if (values.userId() == null && mdcUserKey != null) {
        values = values.withUser(mdc.apply(mdcUserKey));
      }
    }
    if (values.traceId() == null) {
      TraceSource.TraceIds ids = traced();
      if (ids != null) {
        values =
            values.withTrace(
                ids.traceId(), values.parentId() != null ? values.parentId() : ids.spanId());
      }
    } else if (frame.step) {
      TraceSource.TraceIds ids = traced();
      if (ids != null && !ids.equals(frame.spanAtStart)) {
        values = values.withTrace(ids.traceId(), ids.spanId());
      }
    }
    return values;
  }

  /** The current span of the first trace source that has one, or null. */
  TraceSource.TraceIds traced() {
    for (TraceSource source : traceSources) {
      TraceSource.TraceIds ids;
      try {
        ids = source.current();
      } catch (RuntimeException | LinkageError e) {
        continue; // a tracing library in a bad state must not cost the call its record
      }
      if (ids != null && ids.traceId() != null) {
        return ids;
      }
    }
    return null;
  }

  /** A new call's builder, with the logger's environment and the context's values. */
  LlmLogEntry.Builder fill(LlmLogEntry.Builder builder, LlmLogContext.Values values) {
    if (environment != null) {
      builder.environment(environment);
    }
    if (values.sessionId() != null) {
      builder.sessionId(values.sessionId());
    }
    if (values.userId() != null) {
      builder.userId(values.userId());
    }
    if (values.traceId() != null) {
      builder.traceId(values.traceId());
    }
    if (values.parentId() != null) {
      builder.parentId(values.parentId());
    }
    return builder;
  }

  /**
   * {@code entry} with its missing session, user, trace and parent taken from the current context,
   * and its missing environment from the logger's.
   */
  LlmLogEntry apply(LlmLogEntry entry) {
    LlmLogContext.Values values = current();
    boolean env = entry.environment() == null && environment != null;
    if (values.isEmpty() && !env) {
      return entry;
    }
    boolean session = entry.sessionId() == null && values.sessionId() != null;
    boolean user = entry.userId() == null && values.userId() != null;
    boolean trace = entry.traceId() == null && values.traceId() != null;
    if (!session && !user && !trace && !env) {
      return entry;
    }
    LlmLogEntry.Builder builder = entry.toBuilder();
    if (env) {
      builder.environment(environment);
    }
    if (session) {
      builder.sessionId(values.sessionId());
    }
    if (user) {
      builder.userId(values.userId());
    }
    if (trace) {
      builder.traceId(values.traceId());
      if (entry.parentId() == null) {
        builder.parentId(values.parentId());
      }
    }
    return builder.build();
  }
}

package io.llmlog.server.trace;

import java.util.List;

/**
 * A trace as a listing shows it: the numbers of {@link Trace#totals()}, computed the same way.
 *
 * @param rootName the root's name; for a synthetic root, the name of its earliest node
 * @param rootSynthetic true when the trace has no single root ({@link Trace.Node#synthetic()})
 * @param truncated true when the trace has more documents than a listing reads for it
 */
public record TraceSummary(
    String traceId,
    String rootName,
    String rootKind,
    boolean rootSynthetic,
    Trace.Totals totals,
    boolean truncated) {
  static TraceSummary of(Trace trace) {
    Trace.Node root = trace.nodes().get(0);
    Trace.Node named = root.synthetic() && trace.nodes().size() > 1 ? trace.nodes().get(1) : root;
    return new TraceSummary(
        trace.traceId(),
        named.node().name(),
        named.node().kind(),
        root.synthetic(),
        trace.totals(),
        trace.truncated());
  }

  /** A page of traces and the token of the next one (null after the last). */
  public record Page(List<TraceSummary> traces, String next) {
    public Page {
      traces = List.copyOf(traces);
    }
  }
}

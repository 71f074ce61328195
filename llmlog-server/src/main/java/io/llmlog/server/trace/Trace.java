package io.llmlog.server.trace;

import java.util.List;

/**
 * A trace as a tree: every call and step, in depth-first order (a node's children by start time
 * follow it), with what each subtree adds up to, the trace's totals and its critical path.
 *
 * @param nodes depth-first; the first is the root
 * @param criticalPath the trace's critical path as time segments, oldest first ({@link
 *     CriticalPath})
 * @param truncated true when the trace has more documents than a trace view reads ({@link
 *     TraceService#MAX_NODES})
 */
public record Trace(
    String traceId,
    List<Node> nodes,
    Totals totals,
    List<Segment> criticalPath,
    boolean truncated) {
  public Trace {
    nodes = List.copyOf(nodes);
    criticalPath = List.copyOf(criticalPath);
  }

  /**
   * A node in its place.
   *
   * @param parent the id of the node it hangs under: its stored parent, the root for an orphan;
   *     null for the root
   * @param orphan true when its parent never arrived (or no chain of parents leads to the root), so
   *     it hangs under the root
   * @param synthetic true for a root made up because the trace has none or several (parentless)
   *     roots
   * @param descendants how many nodes its subtree has below it: the nodes that follow it in {@link
   *     #nodes} and that collapsing it hides
   * @param subtree what the node and everything below it add up to
   * @param critical true when the node is on the critical path
   */
  public record Node(
      TraceNode node,
      String parent,
      int depth,
      boolean orphan,
      boolean synthetic,
      int children,
      int descendants,
      Sums subtree,
      boolean critical) {}

  /** Counts and sums over some nodes. {@code errors} counts failed calls and steps. */
  public record Sums(
      int calls,
      int steps,
      int errors,
      long inputTokens,
      long outputTokens,
      long totalTokens,
      double costUsd) {
    static final Sums NONE = new Sums(0, 0, 0, 0, 0, 0, 0);

    static Sums of(TraceNode node) {
      if (node == null) {
        return NONE;
      }
      return new Sums(
          node.call() ? 1 : 0,
          node.call() ? 0 : 1,
          node.failed() ? 1 : 0,
          orZero(node.inputTokens()),
          orZero(node.outputTokens()),
          orZero(node.totalTokens()),
          node.costUsd() == null ? 0 : node.costUsd());
    }

    Sums plus(Sums other) {
      return new Sums(
          calls + other.calls,
          steps + other.steps,
          errors + other.errors,
          inputTokens + other.inputTokens,
          outputTokens + other.outputTokens,
          totalTokens + other.totalTokens,
          costUsd + other.costUsd);
    }

    private static long orZero(Long value) {
      return value == null ? 0 : value;
    }
  }

  /**
   * The trace as a whole.
   *
   * @param startMillis the earliest start of any node
   * @param durationMs from that start to the latest end of any node
   * @param sums every call and step
   * @param orphans nodes whose parent never arrived
   * @param users the distinct {@code user_id}s of its nodes, in order of appearance
   * @param sessions the distinct {@code session_id}s
   */
  public record Totals(
      long startMillis,
      double durationMs,
      Sums sums,
      int orphans,
      List<String> users,
      List<String> sessions) {
    public Totals {
      users = List.copyOf(users);
      sessions = List.copyOf(sessions);
    }
  }

  /**
   * A stretch of the critical path: during {@code [startMillis, endMillis)} the trace waited on
   * this node's own work.
   */
  public record Segment(String nodeId, double startMillis, double endMillis) {}
}

package io.llmlog.server.trace;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the tree of a trace from its calls and steps, in whatever order they were stored.
 *
 * <ul>
 *   <li>A node hangs under the node whose id is its {@code parent_id}; children are ordered by
 *       start time ({@link #BY_START}). The order documents arrived in does not matter: a step
 *       stored before its parent is under it as soon as the parent is stored.
 *   <li>The root is the one node without a {@code parent_id}. When there is none (every node names
 *       a parent that was never stored, as calls through the gateway with the application's {@code
 *       traceparent}) or several, a synthetic root spanning the whole trace stands above them.
 *   <li>A node whose parent is not in the trace — or that no chain of parents connects to the root,
 *       such as a cycle of {@code parent_id}s — hangs under the root, flagged {@code orphan}.
 * </ul>
 *
 * Everything is iterative, so a trace ten thousand levels deep builds as well as a flat one.
 */
final class TraceTree {
  /**
   * Siblings by start; of those that start together the longer first (as a waterfall draws them),
   * then by name, so that the order depends on what happened rather than on random span ids.
   */
  private static final Comparator<TraceNode> BY_START =
      Comparator.comparingLong(TraceNode::startMillis)
          .thenComparing(Comparator.comparingDouble(TraceNode::durationMs).reversed())
          .thenComparing(TraceNode::name)
          .thenComparing(TraceNode::id);

  private TraceTree() {}

  static Trace build(String traceId, List<TraceNode> documents, boolean truncated) {
    Map<String, TraceNode> byId = new LinkedHashMap<>();
    for (TraceNode node : documents) {
      // Two documents with one span id (a call and a step, say): the second is kept under its own
      // key.
      String id = node.id();
      for (int n = 2; byId.containsKey(id); n++) {
        id = node.id() + "#" + n;
      }
      byId.put(id, id.equals(node.id()) ? node : node.withId(id));
    }
    List<TraceNode> roots = new ArrayList<>();
    for (TraceNode node : byId.values()) {
      if (node.parentId() == null) {
        roots.add(node);
      }
    }
    TraceNode root = roots.size() == 1 ? roots.get(0) : synthetic(traceId, byId.values());
    Map<String, List<TraceNode>> children = new HashMap<>();
    Set<String> orphans = new HashSet<>();
    for (TraceNode node : byId.values()) {
      if (node == root) {
        continue;
      }
      String parent = node.parentId();
      if (parent == null) {
        parent = root.id();
      } else if (!byId.containsKey(parent) || parent.equals(node.id())) {
        parent = root.id();
        orphans.add(node.id());
      }
      children.computeIfAbsent(parent, p -> new ArrayList<>()).add(node);
    }
    // A cycle of parent ids is not reached from the root: its earliest node becomes an orphan, and
    // the rest of the cycle (and what hangs below it) follows under that node.
    Set<String> reached = reach(root, children);
    if (reached.size() < byId.size()) {
      List<TraceNode> unreached = new ArrayList<>();
      byId.values().stream().filter(node -> !reached.contains(node.id())).forEach(unreached::add);
      unreached.sort(BY_START);
      for (TraceNode node : unreached) {
        if (!reached.contains(node.id())) {
          children.get(node.parentId()).remove(node);
          children.computeIfAbsent(root.id(), p -> new ArrayList<>()).add(node);
          orphans.add(node.id());
          reached.addAll(reach(node, children));
        }
      }
    }
    children.values().forEach(list -> list.sort(BY_START));
    Set<String> critical = new HashSet<>();
    List<Trace.Segment> path = CriticalPath.of(root, children, critical);
    return assemble(traceId, root, roots.size() != 1, children, orphans, critical, path, truncated);
  }

  private static Set<String> reach(TraceNode root, Map<String, List<TraceNode>> children) {
    Set<String> reached = new HashSet<>();
    Deque<TraceNode> todo = new ArrayDeque<>(List.of(root));
    while (!todo.isEmpty()) {
      TraceNode node = todo.pop();
      if (reached.add(node.id())) {
        todo.addAll(children.getOrDefault(node.id(), List.of()));
      }
    }
    return reached;
  }

  /**
   * Depth-first order, depths and subtree sums (a second, backwards pass adds each node into its
   * parent).
   */
  private static Trace assemble(
      String traceId,
      TraceNode root,
      boolean syntheticRoot,
      Map<String, List<TraceNode>> children,
      Set<String> orphans,
      Set<String> critical,
      List<Trace.Segment> path,
      boolean truncated) {
    List<TraceNode> order = new ArrayList<>();
    List<Integer> depths = new ArrayList<>();
    Map<String, String> parents = new HashMap<>();
    Deque<TraceNode> stack = new ArrayDeque<>(List.of(root));
    Deque<Integer> stackDepths = new ArrayDeque<>(List.of(0));
    while (!stack.isEmpty()) {
      TraceNode node = stack.pop();
      int depth = stackDepths.pop();
      order.add(node);
      depths.add(depth);
      List<TraceNode> below = children.getOrDefault(node.id(), List.of());
      for (int i = below.size() - 1; i >= 0; i--) {
        stack.push(below.get(i));
        stackDepths.push(depth + 1);
        parents.put(below.get(i).id(), node.id());
      }
    }
    Map<String, Trace.Sums> sums = new HashMap<>();
    Map<String, Integer> descendants = new HashMap<>();
    for (int i = order.size() - 1; i >= 0; i--) {
      TraceNode node = order.get(i);
      Trace.Sums own = syntheticRoot && node == root ? Trace.Sums.NONE : Trace.Sums.of(node);
      int below = 0;
      for (TraceNode child : children.getOrDefault(node.id(), List.of())) {
        own = own.plus(sums.get(child.id()));
        below += 1 + descendants.get(child.id());
      }
      sums.put(node.id(), own);
      descendants.put(node.id(), below);
    }
    List<Trace.Node> nodes = new ArrayList<>(order.size());
    Set<String> users = new LinkedHashSet<>();
    Set<String> sessions = new LinkedHashSet<>();
    double end = root.endMillis();
    long start = root.startMillis();
    for (int i = 0; i < order.size(); i++) {
      TraceNode node = order.get(i);
      boolean synthetic = syntheticRoot && node == root;
      nodes.add(
          new Trace.Node(
              node,
              parents.get(node.id()),
              depths.get(i),
              orphans.contains(node.id()),
              synthetic,
              children.getOrDefault(node.id(), List.of()).size(),
              descendants.get(node.id()),
              sums.get(node.id()),
              critical.contains(node.id())));
      if (node.userId() != null) {
        users.add(node.userId());
      }
      if (node.sessionId() != null) {
        sessions.add(node.sessionId());
      }
      start = Math.min(start, node.startMillis());
      end = Math.max(end, node.endMillis());
    }
    Trace.Totals totals =
        new Trace.Totals(
            start,
            end - start,
            sums.get(root.id()),
            orphans.size(),
            List.copyOf(users),
            List.copyOf(sessions));
    return new Trace(traceId, nodes, totals, path, truncated);
  }

  /** The root a trace without exactly one root gets: from the first start to the last end. */
  private static TraceNode synthetic(String traceId, Iterable<TraceNode> nodes) {
    long start = Long.MAX_VALUE;
    double end = Double.NEGATIVE_INFINITY;
    for (TraceNode node : nodes) {
      start = Math.min(start, node.startMillis());
      end = Math.max(end, node.endMillis());
    }
    if (start == Long.MAX_VALUE) {
      start = 0;
      end = 0;
    }
    return new TraceNode(
        traceId,
        null,
        false,
        "trace",
        "trace " + traceId,
        null,
        null,
        null,
        null,
        null,
        null,
        start,
        end - start,
        "unset",
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }
}

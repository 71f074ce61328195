package io.llmlog.server.trace;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The critical path of a trace: the chain of work its end waited for, as time segments that
 * together cover the root from its start to its end.
 *
 * <p>Walking back from the root's end: among the root's children that started before that moment,
 * the one that ended last (an end after the moment counts as the moment) is on the path; the time
 * between its end and the moment is the root's own work; the walk goes down into that child from
 * its end, and then continues in the root from the child's start. A child's time is clipped to its
 * parent's, so asynchronous work that outlives its parent does not extend the path. Of children
 * whose clipped ends tie, the one that really ended last is taken, then the one that started last.
 * What is left at the start of a node is its own work.
 *
 * <p>So in a sequential agent (plan, call the model, run a tool, call the model again) every step
 * is on the path; of parallel tool calls only the slowest is; and a node's own segments are the
 * time it spent neither waiting for a child nor being waited for: its overhead.
 */
final class CriticalPath {
  private static final Comparator<TraceNode> LATEST_END_FIRST =
      Comparator.comparingDouble(TraceNode::endMillis)
          .reversed()
          .thenComparing(Comparator.comparingLong(TraceNode::startMillis).reversed())
          .thenComparing(TraceNode::id);

  private CriticalPath() {}

  /**
   * One node being walked back: its children by end, the next one to look at, and the moment
   * reached.
   */
  private static final class Frame {
    final TraceNode node;
    final double floor;
    final List<TraceNode> children;
    int next;
    double moment;
    TraceNode waitingOn;

    Frame(TraceNode node, double floor, double moment, List<TraceNode> children) {
      this.node = node;
      this.floor = floor;
      this.moment = moment;
      this.children = children;
    }
  }

  /**
   * The segments, oldest first; adds the id of every node on the path to {@code onPath}.
   *
   * @param children each node's children (any order), by the node's id
   */
  static List<Trace.Segment> of(
      TraceNode root, Map<String, List<TraceNode>> children, Set<String> onPath) {
    List<Trace.Segment> backwards = new ArrayList<>();
    Deque<Frame> stack = new ArrayDeque<>();
    stack.push(frame(root, root.startMillis(), root.endMillis(), children));
    onPath.add(root.id());
    while (!stack.isEmpty()) {
      Frame frame = stack.peek();
      if (frame.waitingOn != null) {
        // Back from a child: continue in this node from the child's (clipped) start.
        frame.moment = Math.max(frame.waitingOn.startMillis(), frame.floor);
        frame.waitingOn = null;
      }
      TraceNode next = nextChild(frame);
      if (next == null) {
        add(backwards, frame.node, frame.floor, frame.moment);
        stack.pop();
        continue;
      }
      double end = Math.min(next.endMillis(), frame.moment);
      add(backwards, frame.node, end, frame.moment);
      frame.waitingOn = next;
      onPath.add(next.id());
      stack.push(frame(next, Math.max(next.startMillis(), frame.floor), end, children));
    }
    Collections.reverse(backwards);
    return backwards;
  }

  /**
   * The child with the latest (clipped) end among those that started before the moment; null when
   * none is left.
   */
  private static TraceNode nextChild(Frame frame) {
    if (frame.moment <= frame.floor) {
      return null;
    }
    while (frame.next < frame.children.size()) {
      TraceNode child = frame.children.get(frame.next++);
      if (child.startMillis() < frame.moment && child.endMillis() > frame.floor) {
        return child;
      }
    }
    return null;
  }

  private static Frame frame(
      TraceNode node, double floor, double moment, Map<String, List<TraceNode>> children) {
    List<TraceNode> sorted = new ArrayList<>(children.getOrDefault(node.id(), List.of()));
    sorted.sort(LATEST_END_FIRST);
    return new Frame(node, floor, moment, sorted);
  }

  private static void add(List<Trace.Segment> backwards, TraceNode node, double from, double to) {
    if (to > from) {
      backwards.add(new Trace.Segment(node.id(), from, to));
    }
  }
}

package io.llmlog.server.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TraceTreeTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

  static TraceNode step(String id, String parent, long start, double duration) {
    return new TraceNode(
        id,
        parent,
        false,
        "tool",
        "step " + id,
        null,
        null,
        null,
        null,
        null,
        null,
        start,
        duration,
        "ok",
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

  static TraceNode call(
      String id, String parent, long start, double duration, long tokens, double cost) {
    return new TraceNode(
        id,
        parent,
        true,
        "call",
        "chat gpt-4o",
        "chat",
        "gpt-4o",
        "openai",
        null,
        null,
        "req-" + id,
        start,
        duration,
        "ok",
        null,
        null,
        tokens / 2,
        tokens - tokens / 2,
        tokens,
        cost,
        "user_1",
        "sess_1",
        "app");
  }

  static TraceNode failed(TraceNode node) {
    return node.withError("timeout", "no answer");
  }

  private static List<String> ids(Trace trace) {
    return trace.nodes().stream().map(n -> n.node().id()).toList();
  }

  private static List<String> path(Trace trace) {
    return trace.criticalPath().stream()
        .map(s -> s.nodeId() + "[" + (long) s.startMillis() + "," + (long) s.endMillis() + ")")
        .toList();
  }

  private static Trace.Node node(Trace trace, String id) {
    return trace.nodes().stream().filter(n -> n.node().id().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void build_sequentialAgentInAnyOrder_treeByStartAndEveryStepOnTheCriticalPath() {
    List<TraceNode> docs =
        new ArrayList<>(
            List.of(
                step("agent", null, 1000, 1000),
                call("chat1", "agent", 1010, 300, 100, 0.01),
                step("tool", "agent", 1320, 200),
                call("chat2", "agent", 1530, 460, 60, 0.02)));
    Collections.shuffle(docs, new Random(7));

    Trace trace = TraceTree.build(TRACE, docs, false);

    assertThat(ids(trace)).containsExactly("agent", "chat1", "tool", "chat2");
    assertThat(trace.nodes().get(0).parent()).isNull();
    assertThat(trace.nodes().subList(1, trace.nodes().size()))
        .allSatisfy(n -> assertThat(n.parent()).isEqualTo("agent"));
    assertThat(trace.nodes()).extracting(Trace.Node::depth).containsExactly(0, 1, 1, 1);
    assertThat(path(trace))
        .containsExactly(
            "agent[1000,1010)",
            "chat1[1010,1310)",
            "agent[1310,1320)",
            "tool[1320,1520)",
            "agent[1520,1530)",
            "chat2[1530,1990)",
            "agent[1990,2000)");
    assertThat(trace.nodes()).allSatisfy(n -> assertThat(n.critical()).isTrue());
    Trace.Totals totals = trace.totals();
    assertThat(totals.startMillis()).isEqualTo(1000);
    assertThat(totals.durationMs()).isEqualTo(1000);
    assertThat(totals.sums()).isEqualTo(new Trace.Sums(2, 2, 0, 80, 80, 160, 0.03));
    assertThat(node(trace, "agent").descendants()).isEqualTo(3);
    assertThat(node(trace, "agent").subtree()).isEqualTo(totals.sums());
    assertThat(totals.users()).containsExactly("user_1");
    assertThat(totals.orphans()).isZero();
  }

  @Test
  void criticalPath_parallelTools_followsTheSlowestOnly() {
    Trace trace =
        TraceTree.build(
            TRACE,
            List.of(
                step("root", null, 0, 100),
                step("fast", "root", 10, 40),
                step("slow", "root", 10, 70)),
            false);

    assertThat(path(trace)).containsExactly("root[0,10)", "slow[10,80)", "root[80,100)");
    assertThat(node(trace, "fast").critical()).isFalse();
    assertThat(node(trace, "slow").critical()).isTrue();
  }

  @Test
  void criticalPath_segmentsCoverTheRootExactly_forRandomTrees() {
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      List<TraceNode> docs = new ArrayList<>(List.of(step("n0", null, 0, 1000)));
      for (int i = 1; i < 40; i++) {
        TraceNode parent = docs.get(random.nextInt(docs.size()));
        long start = parent.startMillis() + random.nextInt((int) Math.max(1, parent.durationMs()));
        docs.add(step("n" + i, parent.id(), start, random.nextInt(600)));
      }
      Trace trace = TraceTree.build(TRACE, docs, false);

      double covered = 0;
      double at = 0;
      for (Trace.Segment segment : trace.criticalPath()) {
        assertThat(segment.startMillis())
            .as("round %d: segments are in order and do not overlap", round)
            .isGreaterThanOrEqualTo(at);
        assertThat(segment.endMillis()).isGreaterThan(segment.startMillis());
        at = segment.endMillis();
        covered += segment.endMillis() - segment.startMillis();
      }
      assertThat(covered).as("round %d", round).isEqualTo(1000);
      assertThat(trace.criticalPath().get(0).startMillis()).isZero();
      assertThat(at).isEqualTo(1000);
    }
  }

  @Test
  void criticalPath_childOutlivingItsParent_isClippedToIt() {
    Trace trace =
        TraceTree.build(
            TRACE, List.of(step("root", null, 0, 100), step("async", "root", 50, 100)), false);

    assertThat(path(trace)).containsExactly("root[0,50)", "async[50,100)");
    assertThat(trace.totals().durationMs()).isEqualTo(150);
  }

  @Test
  void build_parentNeverArrived_hangsUnderTheRootFlaggedOrphan() {
    Trace trace =
        TraceTree.build(
            TRACE,
            List.of(
                step("root", null, 0, 100), call("lost", "0000000000000abc", 20, 30, 10, 0.001)),
            false);

    assertThat(ids(trace)).containsExactly("root", "lost");
    Trace.Node lost = node(trace, "lost");
    assertThat(lost.orphan()).isTrue();
    assertThat(lost.parent()).isEqualTo("root");
    assertThat(lost.node().parentId()).isEqualTo("0000000000000abc");
    assertThat(trace.totals().orphans()).isEqualTo(1);
    assertThat(node(trace, "root").orphan()).isFalse();
  }

  @Test
  void build_noRootAtAll_asGatewayCallsUnderTheApplicationsSpan_getsASyntheticRootSpanningThem() {
    Trace trace =
        TraceTree.build(
            TRACE,
            List.of(
                call("b", "app-span", 500, 100, 10, 0.1), call("a", "app-span", 0, 200, 20, 0.2)),
            false);

    Trace.Node root = trace.nodes().get(0);
    assertThat(root.synthetic()).isTrue();
    assertThat(root.node().id()).isEqualTo(TRACE);
    assertThat(root.node().startMillis()).isZero();
    assertThat(root.node().durationMs()).isEqualTo(600);
    assertThat(ids(trace)).containsExactly(TRACE, "a", "b");
    assertThat(trace.nodes().subList(1, trace.nodes().size()))
        .allSatisfy(n -> assertThat(n.orphan()).isTrue());
    assertThat(trace.totals().sums().calls()).isEqualTo(2);
    assertThat(trace.totals().sums().steps()).as("the synthetic root is no step").isZero();
    assertThat(path(trace)).containsExactly("a[0,200)", TRACE + "[200,500)", "b[500,600)");
    assertThat(TraceSummary.of(trace).rootName()).isEqualTo("chat gpt-4o");
  }

  @Test
  void build_severalRoots_standUnderASyntheticRootWithoutTheOrphanFlag() {
    Trace trace =
        TraceTree.build(TRACE, List.of(step("r1", null, 0, 10), step("r2", null, 20, 10)), false);

    assertThat(trace.nodes().get(0).synthetic()).isTrue();
    assertThat(trace.nodes().subList(1, trace.nodes().size()))
        .allSatisfy(n -> assertThat(n.orphan()).isFalse());
  }

  @Test
  void build_cycleOfParentIds_breaksAtItsEarliestNode() {
    Trace trace =
        TraceTree.build(
            TRACE,
            List.of(
                step("root", null, 0, 100),
                step("a", "b", 10, 10),
                step("b", "a", 20, 10),
                step("c", "b", 25, 1)),
            false);

    assertThat(ids(trace)).containsExactly("root", "a", "b", "c");
    assertThat(node(trace, "a").orphan()).isTrue();
    assertThat(node(trace, "b").orphan()).isFalse();
    assertThat(node(trace, "b").parent()).isEqualTo("a");
    assertThat(node(trace, "c").depth()).isEqualTo(3);
  }

  @Test
  void build_failedNodes_areCountedUpTheirSubtrees() {
    Trace trace =
        TraceTree.build(
            TRACE,
            List.of(
                step("root", null, 0, 100),
                step("mid", "root", 0, 50),
                failed(step("leaf", "mid", 0, 10)),
                failed(call("c", "root", 60, 10, 5, 0))),
            false);

    assertThat(node(trace, "mid").subtree().errors()).isEqualTo(1);
    assertThat(trace.totals().sums().errors()).isEqualTo(2);
  }

  @Test
  void build_chainTenThousandDeep_buildsWithoutRecursion() {
    List<TraceNode> docs = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      docs.add(step("n" + i, i == 0 ? null : "n" + (i - 1), i, 20_000 - 2 * i));
    }

    Trace trace = TraceTree.build(TRACE, docs, false);

    assertThat(trace.nodes().get(9_999).depth()).isEqualTo(9_999);
    assertThat(trace.nodes().get(0).descendants()).isEqualTo(9_999);
    assertThat(trace.criticalPath()).hasSize(19_999);
  }

  @Test
  void build_twoDocumentsWithOneSpanId_keepsBoth() {
    Trace trace =
        TraceTree.build(
            TRACE,
            List.of(
                step("root", null, 0, 100), step("x", "root", 1, 1), call("x", "root", 2, 1, 1, 0)),
            false);

    assertThat(ids(trace)).containsExactly("root", "x", "x#2");
  }
}

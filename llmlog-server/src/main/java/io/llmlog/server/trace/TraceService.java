package io.llmlog.server.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.server.query.InvalidParameterException;
import io.llmlog.server.store.GroupDocuments;
import io.llmlog.server.store.GroupDocuments.Doc;
import io.llmlog.server.store.IndexFamily;
import io.llmlog.server.store.LogStore;
import io.llmlog.server.store.Scope;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Traces: one as a tree ({@link #trace}), a page of them as summaries ({@link #list}), and a step's
 * full document. A trace is read from both families, calls and steps, by its {@code trace_id}.
 *
 * <p>Thread-safe; one instance serves every request.
 */
public final class TraceService {
  /**
   * A trace view reads at most this many calls and steps; a larger trace is shown cut, and says so.
   */
  public static final int MAX_NODES = 5_000;

  /**
   * A page of traces reads at most this many of their documents, in pages of {@value
   * #SUMMARY_BATCH}.
   */
  static final int MAX_SUMMARY_DOCUMENTS = 50_000;

  private static final int SUMMARY_BATCH = 10_000;
  static final String TRACE_ID = "trace_id";

  private final LogStore store;
  private final ObjectMapper json;
  private final Clock clock;
  private final GroupPager pager;

  public TraceService(LogStore store, ObjectMapper json, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.json = Objects.requireNonNull(json, "json");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.pager = new GroupPager(store.groups(), json);
  }

  /**
   * The trace with this id as a tree, or empty when nothing of it is stored.
   *
   * @throws io.llmlog.server.store.SearchFailedException when the engine refuses the search
   */
  public Optional<Trace> trace(String traceId) {
    GroupDocuments.Docs docs =
        store
            .groupDocuments()
            .read(
                Scope.all(IndexFamily.LOGS, IndexFamily.SPANS),
                TRACE_ID,
                List.of(traceId),
                TraceNode.SOURCE_FIELDS,
                GroupDocuments.Read.SOURCE,
                MAX_NODES + 1,
                null);
    List<TraceNode> nodes = nodes(docs.docs());
    if (nodes.isEmpty()) {
      return Optional.empty();
    }
    boolean truncated = nodes.size() > MAX_NODES;
    return Optional.of(
        TraceTree.build(traceId, truncated ? nodes.subList(0, MAX_NODES) : nodes, truncated));
  }

  /**
   * A stored step, as the call detail's stored call: the document as it was stored.
   *
   * @param document every field as stored (dotted names are objects)
   */
  public record StoredStep(String traceId, String spanId, ObjectNode document) {}

  /**
   * The step {@code spanId} of trace {@code traceId}, every field as stored, or empty.
   *
   * @throws io.llmlog.server.store.SearchFailedException when the engine refuses the search
   */
  public Optional<StoredStep> step(String traceId, String spanId) {
    GroupDocuments.Docs docs =
        store
            .groupDocuments()
            .read(
                Scope.all(IndexFamily.SPANS),
                "_id",
                List.of(traceId + "-" + spanId),
                null,
                GroupDocuments.Read.SOURCE,
                1,
                null);
    return docs.docs().isEmpty()
        ? Optional.empty()
        : Optional.of(new StoredStep(traceId, spanId, docs.docs().get(0).fields()));
  }

  /**
   * A page of traces: those with a call or step that matches {@code q} in the window, latest start
   * first (or earliest, with {@code sort=start:asc}), each summed over all its documents.
   *
   * @throws InvalidParameterException naming a parameter that cannot be used
   * @throws io.llmlog.server.query.kql.KqlSyntaxException when {@code q} is not valid KQL
   */
  public TraceSummary.Page list(ListRequest request) {
    Listing listing = Listing.of(json, clock, request, true, order(request.sort()));
    GroupPager.Page page = pager.page(listing, TRACE_ID);
    List<String> ids = page.groups().stream().map(GroupPager.Group::key).toList();
    Map<String, List<TraceNode>> byTrace = new LinkedHashMap<>();
    ids.forEach(id -> byTrace.put(id, new ArrayList<>()));
    boolean cut =
        summaryDocuments(listing.scope().of(IndexFamily.LOGS, IndexFamily.SPANS), ids, byTrace);
    List<TraceSummary> summaries = new ArrayList<>();
    for (Map.Entry<String, List<TraceNode>> trace : byTrace.entrySet()) {
      if (!trace.getValue().isEmpty()) {
        summaries.add(TraceSummary.of(TraceTree.build(trace.getKey(), trace.getValue(), cut)));
      }
    }
    return new TraceSummary.Page(summaries, Listing.token(json, listing.order(), page.next()));
  }

  /**
   * Reads the listed traces' documents (doc values only) into {@code byTrace}; true when the limit
   * cut them.
   */
  private boolean summaryDocuments(
      Scope scope, List<String> ids, Map<String, List<TraceNode>> byTrace) {
    JsonNode after = null;
    int read = 0;
    do {
      GroupDocuments.Docs docs =
          store
              .groupDocuments()
              .read(
                  scope,
                  TRACE_ID,
                  ids,
                  TraceNode.FIELDS,
                  GroupDocuments.Read.DOC_VALUES,
                  SUMMARY_BATCH,
                  after);
      for (Doc doc : docs.docs()) {
        TraceNode node = TraceNode.read(doc.family() == IndexFamily.LOGS, doc.fields());
        List<TraceNode> nodes = byTrace.get(TraceNode.text(doc.fields(), TRACE_ID));
        if (node != null && nodes != null) {
          nodes.add(node);
        }
      }
      read += docs.docs().size();
      after = docs.next();
    } while (after != null && read < MAX_SUMMARY_DOCUMENTS);
    return after != null;
  }

  private static List<TraceNode> nodes(List<Doc> docs) {
    List<TraceNode> nodes = new ArrayList<>(docs.size());
    for (Doc doc : docs) {
      TraceNode node = TraceNode.read(doc.family() == IndexFamily.LOGS, doc.fields());
      if (node != null) {
        nodes.add(node);
      }
    }
    return nodes;
  }

  private static GroupPager.Order order(String sort) {
    if (sort == null || sort.isBlank()) {
      return GroupPager.Order.START_DESC;
    }
    return switch (sort.trim().toLowerCase(Locale.ROOT)) {
      case "start:desc", "start" -> GroupPager.Order.START_DESC;
      case "start:asc" -> GroupPager.Order.START_ASC;
      default ->
          throw new InvalidParameterException(
              "sort",
              "traces are listed by start: start:desc (latest first, the default) or start:asc, was '"
                  + sort
                  + "'");
    };
  }
}

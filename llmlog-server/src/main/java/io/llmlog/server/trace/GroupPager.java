package io.llmlog.server.trace;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.server.store.GroupSearches;
import io.llmlog.server.store.GroupSearches.Extent;
import io.llmlog.server.store.GroupSearches.Position;
import io.llmlog.server.store.Scope;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pages through the groups (traces, sessions, users) that have documents matching a filter, without
 * aggregating over every group of the window: it reads the matching documents in time order, in
 * batches, as positions only (time and key), and looks up the few groups each batch brings.
 *
 * <ul>
 *   <li>{@link Order#LAST_DESC} (most recently active first) and {@link Order#START_ASC} (earliest
 *       start first): a group's place is where its first document appears in the stream read in
 *       that direction, so groups come out in the order they are met. On a later page, a group met
 *       again (it has documents on both sides of the page boundary) is recognised by one lookup of
 *       the batch's groups on the side already paged, and skipped.
 *   <li>{@link Order#START_DESC} (latest start first): the stream is read newest first, and a
 *       group's start is its oldest matching document, which may come much later in the stream.
 *       Each batch's groups are looked up for their first and last time; once the stream has been
 *       read back to a moment, every group that starts after that moment has been met, and those
 *       are emitted in order. Right for groups as short as traces; for long ones it reads further.
 * </ul>
 *
 * Ties in time are broken by the group's key (ascending, in the engine's byte order), so the order
 * is total and a page boundary never skips nor repeats a group. A page reads at most {@value
 * #MAX_SCANNED} documents' positions; when that is not enough to fill it, it ends early with a
 * token that continues where the reading stopped.
 */
final class GroupPager {
  static final int MAX_SCANNED = 20_000;
  private static final int FIRST_BATCH = 200;

  /**
   * Positions read first per group asked for. A page of traces newest first is ready once the
   * positions read reach back past the start of its traces, and at a million calls a day agent runs
   * interleave so that 50 of them span about 1,500 positions; every further batch costs a round
   * trip for the positions and one for the groups they bring, a larger first one only a few tens of
   * kilobytes more.
   */
  private static final int FIRST_BATCH_PER_GROUP = 30;

  private static final int MAX_BATCH = 2_000;

  /** The orders of a listing; {@code text} is how the API writes them. */
  enum Order {
    START_DESC("start:desc", true),
    START_ASC("start:asc", false),
    LAST_DESC("last:desc", true);

    final String text;
    final boolean descending;

    Order(String text, boolean descending) {
      this.text = text;
      this.descending = descending;
    }

    boolean natural() {
      return this != START_DESC;
    }
  }

  /**
   * A group of a page, with the time that places it ({@code first} or {@code last} of its matching
   * documents).
   */
  record Group(String key, long millis) {}

  /** A page of groups, and where the next one starts (null after the last). */
  record Page(List<Group> groups, Position next) {
    Page {
      groups = List.copyOf(groups);
    }
  }

  private final GroupSearches searches;
  private final ObjectMapper json;

  GroupPager(GroupSearches searches, ObjectMapper json) {
    this.searches = searches;
    this.json = json;
  }

  /** The page of groups that {@code listing} asks for, keyed by {@code keyField}. */
  Page page(Listing listing, String keyField) {
    Scope scope = listing.scope();
    ObjectNode filter = listing.filter();
    Order order = listing.order();
    Position cursor = listing.cursor();
    int size = listing.size();
    List<Group> page = new ArrayList<>();
    Map<String, Long> pending = new HashMap<>();
    Set<String> decided = new java.util.HashSet<>();
    Position after = cursor;
    int scanned = 0;
    int batchSize = Math.min(MAX_BATCH, Math.max(FIRST_BATCH, size * FIRST_BATCH_PER_GROUP));
    ObjectNode near = listing.near();
    while (true) {
      GroupSearches.Batch batch =
          searches.scan(
              scope, near != null ? near : filter, keyField, order.descending, after, batchSize);
      if (near != null && batch.last()) {
        // The near slice ran out: the rest of the window follows, in the same order.
        near = null;
        batch = new GroupSearches.Batch(batch.positions(), false);
      }
      scanned += batch.positions().size();
      Set<String> met = new LinkedHashSet<>();
      Map<String, Long> firstMet = new HashMap<>();
      for (Position position : batch.positions()) {
        if (!decided.contains(position.key()) && met.add(position.key())) {
          firstMet.put(position.key(), position.millis());
        }
      }
      decided.addAll(met);
      List<Group> ready =
          order.natural()
              ? natural(scope, filter, keyField, order, cursor, met, firstMet)
              : byStart(scope, filter, keyField, order, cursor, met, pending, batch);
      for (Group group : ready) {
        if (page.size() == size) {
          break;
        }
        page.add(group);
      }
      if (page.size() == size) {
        Group last = page.get(page.size() - 1);
        return new Page(page, new Position(last.millis(), last.key()));
      }
      if (batch.last()) {
        return new Page(page, null);
      }
      if (!batch.positions().isEmpty()) {
        after = batch.positions().get(batch.positions().size() - 1);
      }
      if (scanned >= MAX_SCANNED) {
        // Every group placed before this position is on this page or an earlier one.
        return new Page(page, after);
      }
      batchSize = Math.min(MAX_BATCH, batchSize * 2);
    }
  }

  /** Groups in the order they were met, less those met on the side of the cursor already paged. */
  private List<Group> natural(
      Scope scope,
      ObjectNode filter,
      String keyField,
      Order order,
      Position cursor,
      Set<String> met,
      Map<String, Long> firstMet) {
    Set<String> paged =
        cursor == null ? Set.of() : pagedAlready(scope, filter, keyField, order, cursor, met);
    List<Group> ready = new ArrayList<>();
    for (String key : met) {
      if (!paged.contains(key)) {
        ready.add(new Group(key, firstMet.get(key)));
      }
    }
    return ready;
  }

  /**
   * The groups among {@code keys} with a matching document at or before the cursor, in the order's
   * direction.
   */
  private Set<String> pagedAlready(
      Scope scope,
      ObjectNode filter,
      String keyField,
      Order order,
      Position cursor,
      Set<String> keys) {
    ObjectNode passed = json.createObjectNode();
    ArrayNode clauses = passed.putObject("bool").putArray("filter");
    if (filter != null) {
      clauses.add(filter);
    }
    clauses
        .addObject()
        .putObject("range")
        .putObject("timestamp")
        .put(order.descending ? "gte" : "lte", cursor.millis())
        .put("format", "epoch_millis");
    Set<String> paged = new java.util.HashSet<>();
    searches
        .extents(scope, passed, keyField, keys)
        .forEach(
            (key, extent) -> {
              long nearest = order.descending ? extent.last() : extent.first();
              if (nearest != cursor.millis() || compare(key, cursor.key()) <= 0) {
                paged.add(key);
              }
            });
    return paged;
  }

  /**
   * Latest start first: the groups whose start (oldest matching document) is known to come before
   * the last position read, in order; the rest wait for a later batch.
   */
  private List<Group> byStart(
      Scope scope,
      ObjectNode filter,
      String keyField,
      Order order,
      Position cursor,
      Set<String> met,
      Map<String, Long> pending,
      GroupSearches.Batch batch) {
    Map<String, Extent> extents = searches.extents(scope, filter, keyField, met);
    extents.forEach(
        (key, extent) -> {
          if (cursor == null || after(order, cursor, extent.first(), key)) {
            pending.put(key, extent.first());
          }
        });
    List<Group> ready = new ArrayList<>();
    Position reached =
        batch.positions().isEmpty() ? null : batch.positions().get(batch.positions().size() - 1);
    for (Map.Entry<String, Long> entry : pending.entrySet()) {
      if (batch.last()
          || reached == null
          || !after(order, reached, entry.getValue(), entry.getKey())) {
        ready.add(new Group(entry.getKey(), entry.getValue()));
      }
    }
    ready.sort(
        Comparator.<Group>comparingLong(
                group -> order.descending ? -group.millis() : group.millis())
            .thenComparing((a, b) -> compare(a.key(), b.key())));
    ready.forEach(group -> pending.remove(group.key()));
    return ready;
  }

  /** True when the group at {@code (millis, key)} comes after {@code position} in the order. */
  static boolean after(Order order, Position position, long millis, String key) {
    if (millis != position.millis()) {
      return order.descending ? millis < position.millis() : millis > position.millis();
    }
    return compare(key, position.key()) > 0;
  }

  /** The engine's order of keywords: their UTF-8 bytes, unsigned. */
  static int compare(String a, String b) {
    return Arrays.compareUnsigned(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}

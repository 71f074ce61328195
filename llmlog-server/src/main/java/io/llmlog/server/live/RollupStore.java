package io.llmlog.server.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.core.Timestamps;
import io.llmlog.server.store.EngineUnavailableException;
import io.llmlog.server.store.IndexAdmin;
import io.llmlog.server.store.IndexAdminException;
import io.llmlog.server.store.IndexFamily;
import io.llmlog.server.store.LogStore;
import io.llmlog.server.store.SearchAnswer;
import io.llmlog.server.store.SearchFailedException;
import io.llmlog.server.store.WriteOp;
import io.llmlog.server.store.WriteResult;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The live aggregates of every server, kept in the engine as one document per server, view, minute
 * and series in {@code llm-rollups-YYYY.MM.dd}. Each server overwrites its own documents (the id
 * names the server), so a document always holds the whole minute as that server saw it, and a
 * reader merges across servers without double counting.
 */
final class RollupStore {
  /**
   * Enough for an hour of a hundred series in a few views on a few servers; beyond it a read says
   * it is partial.
   */
  static final int MAX_DOCUMENTS = 200_000;

  private static final int PAGE = 2_000;

  private final LogStore store;
  private final ObjectMapper json;
  private final String serverId;

  RollupStore(LogStore store, ObjectMapper json, String serverId) {
    this.store = store;
    this.json = json;
    this.serverId = serverId;
  }

  /** One server's aggregate of one series of one view in one minute. */
  record Rollup(String view, long epochMinute, SeriesKey series, Accumulator accumulator) {}

  /** What a read found; {@code complete} is false when it stopped at {@link #MAX_DOCUMENTS}. */
  record Read(List<Rollup> rollups, boolean complete) {}

  /**
   * Writes this server's rollups. Not waiting for a refresh keeps an evaluation short; readers see
   * them within the rollup indices' refresh interval (1 s), well inside an evaluation interval.
   *
   * @return the rollups that were not stored
   */
  List<Rollup> write(List<Rollup> rollups, Instant now) {
    if (rollups.isEmpty()) {
      return List.of();
    }
    List<WriteOp> ops = new ArrayList<>(rollups.size());
    for (Rollup rollup : rollups) {
      Instant minute = Instant.ofEpochSecond(rollup.epochMinute() * 60);
      String id =
          serverId
              + "|"
              + rollup.view()
              + "|"
              + rollup.epochMinute()
              + "|"
              + rollup.series().text();
      ObjectNode doc = json.createObjectNode();
      doc.put("key", id);
      doc.put("server", serverId);
      doc.put("view", rollup.view());
      doc.put("minute", minute.toEpochMilli());
      doc.put("series", rollup.series().text());
      doc.put("fields", rollup.series().values().size());
      doc.put("published_at", now.toEpochMilli());
      doc.set("aggregate", rollup.accumulator().toJson());
      ops.add(new WriteOp(store.index(IndexFamily.ROLLUPS, minute), id, bytes(doc), false));
    }
    List<WriteResult> results = store.write(ops, false);
    List<Rollup> failed = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      if (!results.get(i).stored()) {
        failed.add(rollups.get(i));
      }
    }
    return failed;
  }

  /**
   * The other servers' rollups of some views for minutes {@code from..to} (inclusive).
   *
   * @throws EngineUnavailableException when the engine cannot answer
   */
  Read readOthers(Collection<String> views, long fromMinute, long toMinute) {
    List<Rollup> rollups = new ArrayList<>();
    JsonNode searchAfter = null;
    while (rollups.size() < MAX_DOCUMENTS) {
      ObjectNode body = json.createObjectNode();
      body.put("size", PAGE);
      ObjectNode bool = body.putObject("query").putObject("bool");
      ArrayNode filter = bool.putArray("filter");
      filter
          .addObject()
          .putObject("range")
          .putObject("minute")
          .put("gte", fromMinute * 60_000)
          .put("lte", toMinute * 60_000);
      ArrayNode viewIds = filter.addObject().putObject("terms").putArray("view");
      views.forEach(viewIds::add);
      bool.putArray("must_not").addObject().putObject("term").put("server", serverId);
      ArrayNode sort = body.putArray("sort");
      sort.addObject().put("minute", "asc");
      sort.addObject().put("key", "asc");
      if (searchAfter != null) {
        body.set("search_after", searchAfter);
      }
      SearchAnswer answer;
      try {
        answer = store.searches().search(IndexFamily.ROLLUPS, body);
      } catch (SearchFailedException e) {
        throw new EngineUnavailableException(
            "the search engine answered " + e.status() + " to a rollup search: " + e.getMessage(),
            e);
      }
      List<SearchAnswer.Hit> hits = answer.hits();
      for (SearchAnswer.Hit hit : hits) {
        JsonNode source = hit.source();
        try {
          rollups.add(
              new Rollup(
                  source.path("view").asText(),
                  source.path("minute").asLong() / 60_000,
                  SeriesKey.parse(source.path("series").asText(), source.path("fields").asInt()),
                  Accumulator.fromJson(source.path("aggregate"))));
        } catch (IllegalArgumentException unreadable) {
          // A document another version wrote and this one cannot read: skip it rather than stop
          // alerting.
        }
        searchAfter = hit.sort();
      }
      if (hits.size() < PAGE) {
        return new Read(rollups, true);
      }
    }
    return new Read(rollups, false);
  }

  /**
   * Deletes the rollup indices of days before {@code day}; rollups older than the retention are
   * never read.
   */
  void deleteBefore(Instant day) {
    String before = Timestamps.day(day);
    String stem = store.indexPrefix() + IndexFamily.ROLLUPS.stem();
    try {
      IndexAdmin indices = store.indices();
      for (String name : indices.names(store.pattern(IndexFamily.ROLLUPS))) {
        String rest = name.startsWith(stem) ? name.substring(stem.length()) : "";
        // Only the live rollups' own days: the stats rollups (llm-rollups-stats-*) are kept as
        // long as the calls they summarise.
        if (!rest.isEmpty() && Character.isDigit(rest.charAt(0)) && rest.compareTo(before) < 0) {
          indices.delete(name);
        }
      }
    } catch (IndexAdminException | EngineUnavailableException e) {
      // Old rollups are never read; the next clean-up tries again.
    }
  }

  private byte[] bytes(JsonNode node) {
    try {
      return json.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}

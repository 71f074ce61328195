package io.llmlog.server.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.core.Timestamps;
import io.llmlog.server.store.IndexAdmin;
import io.llmlog.server.store.IndexFamily;
import io.llmlog.server.store.LogStore;
import io.llmlog.server.store.SearchAnswer;
import io.llmlog.server.store.WriteOp;
import io.llmlog.server.store.WriteResult;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The stats rollups in the engine: per {@link RollupUnit}, one document of the total ({@code
 * series: "*"}) and one per grouping field with its values, their sketches as {@link Bins}, in
 * {@code llm-rollups-stats-YYYY.MM.dd} (the rollups' template; a name the live rollups' daily
 * clean-up leaves alone). A document is computed from the calls in the index, not from one server's
 * traffic, and its id names only the unit and the field: every server that rolls a unit up writes
 * the same document, so servers sharing an engine neither collide nor count twice.
 */
final class DurableRollups {
  static final String VIEW = "stats";
  static final String TOTAL = "*";
  static final String STEM = IndexFamily.ROLLUPS.stem() + VIEW + "-";

  private static final int PAGE = 2_000;

  private final LogStore store;
  private final ObjectMapper json;

  DurableRollups(LogStore store, ObjectMapper json) {
    this.store = store;
    this.json = json;
  }

  /**
   * Writes the documents of whole units.
   *
   * @return how many units were stored whole
   */
  int write(List<UnitFold> units, List<String> dimensions, Instant now) {
    List<WriteOp> ops = new ArrayList<>();
    for (UnitFold unit : units) {
      String index =
          store.indexPrefix() + STEM + Timestamps.day(Instant.ofEpochMilli(unit.unit.start()));
      ObjectNode total = document(unit.unit, TOTAL, now);
      total.putObject("aggregate").set("all", unit.total.toBinnedJson());
      ops.add(new WriteOp(index, id(unit.unit, TOTAL), bytes(total), false));
      for (String dimension : dimensions) {
        ObjectNode doc = document(unit.unit, dimension, now);
        ObjectNode aggregate = doc.putObject("aggregate");
        aggregate.put("overflow", unit.overflowing.contains(dimension));
        ArrayNode values = aggregate.putArray("values");
        unit.values
            .getOrDefault(dimension, Map.of())
            .forEach(
                (value, accumulator) ->
                    values.addObject().put("key", value).set("acc", accumulator.toBinnedJson()));
        ops.add(new WriteOp(index, id(unit.unit, dimension), bytes(doc), false));
      }
    }
    // Searchable before the answer that rolled them up returns, so that the next one reads them.
    List<WriteResult> results = store.write(ops, true);
    Set<Integer> failed = new HashSet<>();
    int perUnit = dimensions.size() + 1;
    for (int i = 0; i < results.size(); i++) {
      if (!results.get(i).stored()) {
        failed.add(i / perUnit);
      }
    }
    return units.size() - failed.size();
  }

  private ObjectNode document(RollupUnit unit, String series, Instant now) {
    ObjectNode doc = json.createObjectNode();
    doc.put("key", id(unit, series));
    doc.put("server", TOTAL);
    doc.put("view", VIEW);
    doc.put("series", series);
    doc.put("minute", unit.start());
    doc.put("width", unit.width());
    doc.put("published_at", now.toEpochMilli());
    return doc;
  }

  /** {@code stats|<series>|<start>|<width in minutes>m}. */
  private static String id(RollupUnit unit, String series) {
    return VIEW + "|" + series + "|" + unit.start() + "|" + unit.width() / RollupUnit.MINUTE + "m";
  }

  /**
   * The documents of some units: each unit that has any, with its total and the values of each
   * field of {@code dimensions} it has a document of; a unit missing one of them is listed in
   * {@code incomplete}.
   *
   * @throws io.llmlog.server.store.SearchFailedException when the engine refuses the search
   */
  Stored read(Collection<RollupUnit> wanted, List<String> dimensions) {
    Map<RollupUnit, UnitFold> units = new HashMap<>();
    Map<RollupUnit, Integer> documents = new HashMap<>();
    if (wanted.isEmpty()) {
      return new Stored(units, Set.of());
    }
    ObjectNode body = json.createObjectNode();
    body.put("size", PAGE);
    ArrayNode keys =
        body.putObject("query")
            .putObject("bool")
            .putArray("filter")
            .addObject()
            .putObject("terms")
            .putArray("key");
    Set<RollupUnit> asked = new HashSet<>(wanted);
    for (RollupUnit unit : asked) {
      keys.add(id(unit, TOTAL));
      for (String dimension : dimensions) {
        keys.add(id(unit, dimension));
      }
    }
    body.putArray("sort").addObject().put("key", "asc");
    while (true) {
      SearchAnswer answer = store.searches().search(IndexFamily.ROLLUPS, body);
      List<SearchAnswer.Hit> hits = answer.hits();
      for (SearchAnswer.Hit hit : hits) {
        JsonNode source = hit.source();
        RollupUnit unit =
            new RollupUnit(source.path("minute").asLong(), source.path("width").asLong());
        String series = source.path("series").asText();
        if (!asked.contains(unit) || !(TOTAL.equals(series) || dimensions.contains(series))) {
          continue;
        }
        try {
          add(units.computeIfAbsent(unit, UnitFold::new), source, series);
          documents.merge(unit, 1, Integer::sum);
        } catch (IllegalArgumentException unreadable) {
          // A document this version cannot read: the unit is then incomplete, and rolled up
          // again from its calls.
        }
      }
      if (hits.size() < PAGE) {
        Set<RollupUnit> incomplete = new HashSet<>();
        units.keySet().stream()
            .filter(u -> documents.getOrDefault(u, 0) != dimensions.size() + 1)
            .forEach(incomplete::add);
        return new Stored(units, incomplete);
      }
      body.set("search_after", hits.get(hits.size() - 1).sort());
    }
  }

  private static void add(UnitFold unit, JsonNode source, String series) {
    JsonNode aggregate = source.path("aggregate");
    if (TOTAL.equals(series)) {
      unit.total.merge(Accumulator.fromJson(aggregate.path("all")));
      return;
    }
    Map<String, Accumulator> byValue = new TreeMap<>();
    for (JsonNode entry : aggregate.path("values")) {
      byValue.put(entry.path("key").asText(), Accumulator.fromJson(entry.path("acc")));
    }
    if (aggregate.path("overflow").asBoolean()) {
      unit.overflowing.add(series);
    }
    unit.values.put(series, byValue);
  }

  /** The units read, and those missing a document of the total or of an asked field. */
  record Stored(Map<RollupUnit, UnitFold> units, Set<RollupUnit> incomplete) {}

  /**
   * Deletes the rollups of days whose calls are gone (archived, deleted): rollups are kept as long
   * as the calls they summarise, and a day restored later is rolled up again from its calls.
   */
  void deleteOrphans() {
    IndexAdmin indices = store.indices();
    String prefix = store.indexPrefix();
    Set<String> days = new HashSet<>();
    String logs = prefix + IndexFamily.LOGS.stem();
    for (String name : indices.names(store.pattern(IndexFamily.LOGS))) {
      if (name.startsWith(logs)) {
        days.add(name.substring(logs.length()));
      }
    }
    for (String name : indices.names(prefix + STEM + "*")) {
      if (!days.contains(name.substring(prefix.length() + STEM.length()))) {
        indices.delete(name);
      }
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

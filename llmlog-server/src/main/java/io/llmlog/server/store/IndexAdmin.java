package io.llmlog.server.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The engine's index administration as the lifecycle needs it: what indices exist and in which
 * state, write blocks, force-merge, streaming every document out, creating an index back and
 * deleting one. Like the rest of {@code store}, the only code that knows the engine's REST API.
 *
 * <p>Every method names one concrete index (never a wildcard) except {@link #indices}, so that a
 * bug elsewhere cannot turn into a pattern delete.
 */
public final class IndexAdmin {
  private static final String LENIENT = "ignore_unavailable=true&allow_no_indices=true";
  private static final Duration SCROLL_KEEP_ALIVE = Duration.ofMinutes(5);

  private final EngineClient client;
  private final EngineAnswers answers;
  private final ObjectMapper json;
  private final Duration timeout;

  public IndexAdmin(LogStore store, ObjectMapper json, Duration requestTimeout) {
    this.client = store.client();
    this.answers = store.answers();
    this.json = json;
    this.timeout = requestTimeout;
  }

  /**
   * What the lifecycle needs to know about one index.
   *
   * @param documents documents in the primaries, as of the last refresh
   * @param storeBytes the primaries' size on disk
   * @param segments Lucene segments over all primary shards
   * @param meta the {@code _meta.llmlog} object of its mapping, or null
   */
  public record IndexStatus(
      String name,
      String uuid,
      long documents,
      long storeBytes,
      long segments,
      int shards,
      int replicas,
      boolean writeBlocked,
      JsonNode meta) {
    /** Blocked for writes and merged down to one segment per shard. */
    public boolean warmDone() {
      return writeBlocked && segments <= shards;
    }
  }

  /**
   * The distribution behind the REST API: {@code opensearch} or {@code elasticsearch}, and its
   * version.
   */
  public record EngineInfo(String distribution, String version) {
    public boolean openSearch() {
      return distribution.equals("opensearch");
    }
  }

  /** One document as the engine returns it. */
  @FunctionalInterface
  public interface HitConsumer {
    /**
     * @param source the document's {@code _source} as compact JSON (numbers kept as written), or
     *     null when the scan asked for ids only
     */
    void hit(String id, byte[] source) throws IOException;
  }

  /** The open indices matching {@code pattern}, by name. */
  public Map<String, IndexStatus> indices(String pattern) {
    JsonNode settings =
        tree(
            send(
                "GET",
                "/"
                    + pattern
                    + "/_settings/index.uuid,index.blocks.write,index.number_of_shards,index.number_of_replicas?flat_settings=true&"
                    + LENIENT,
                null,
                timeout),
            "list settings of " + pattern);
    JsonNode stats =
        tree(
            send(
                "GET",
                "/" + pattern + "/_stats/docs,store,segments?level=indices&" + LENIENT,
                null,
                timeout),
            "list stats of " + pattern);
    JsonNode mappings =
        tree(
            send(
                "GET",
                "/" + pattern + "/_mapping?filter_path=*.mappings._meta&" + LENIENT,
                null,
                timeout),
            "list mappings of " + pattern);
    Map<String, IndexStatus> result = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = settings.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String name = entry.getKey();
      JsonNode flat = entry.getValue().path("settings");
      JsonNode primaries = stats.path("indices").path(name).path("primaries");
      if (primaries.isMissingNode()) {
        continue; // Created between the two calls: the next run sees it whole.
      }
      JsonNode meta = mappings.path(name).path("mappings").path("_meta").path("llmlog");
      result.put(
          name,
          new IndexStatus(
              name,
              flat.path("index.uuid").asText(),
              primaries.path("docs").path("count").asLong(),
              primaries.path("store").path("size_in_bytes").asLong(),
              primaries.path("segments").path("count").asLong(),
              flat.path("index.number_of_shards").asInt(1),
              flat.path("index.number_of_replicas").asInt(0),
              flat.path("index.blocks.write").asText("false").equals("true"),
              meta.isMissingNode() || meta.isNull() ? null : meta));
    }
    return result;
  }

  /** Refuses further writes to the index; reads and metadata changes still work. */
  public void blockWrites(String index) {
    putSettings(index, json.createObjectNode().put("index.blocks.write", true));
  }

  /** Changes index settings, given flat ({@code index.number_of_replicas}). */
  public void putSettings(String index, ObjectNode flatSettings) {
    expectOk(
        send("PUT", "/" + exact(index) + "/_settings", bytes(flatSettings), timeout),
        "update settings of " + index);
  }

  /**
   * Merges the index down to one segment per shard and waits for it (up to {@code wait}; a merge
   * that takes longer goes on in the engine, and the next run sees whether it finished).
   */
  public void forceMerge(String index, Duration wait) {
    expectOk(
        send("POST", "/" + exact(index) + "/_forcemerge?max_num_segments=1", null, wait),
        "force-merge " + index);
    refresh(index);
  }

  /**
   * Merges the index down to one segment per shard, as {@link #forceMerge(String, Duration)}, first
   * giving it {@code codec} unless that is {@code default} or already its codec (see {@link
   * #changeCodec}), so that the merge writes every document anew in that codec.
   *
   * @return true when the codec was changed
   */
  public boolean forceMerge(String index, String codec, Duration wait) {
    boolean change = !codec.equals("default") && !codec.equals(codec(index));
    if (change) {
      changeCodec(index, codec);
    }
    forceMerge(index, wait);
    return change;
  }

  /** The index's {@code index.codec}, {@code default} when it was never set. */
  public String codec(String index) {
    return settings(index).path("index.codec").asText("default");
  }

  /**
   * Closes the index, sets its codec and opens it again (its codec can change only while it is
   * closed), so that the next merge writes the index in that codec. Searches skip the index while
   * it is closed, for about a second. Should the process die in between, {@link #closedIndices}
   * finds the index and {@link #open} brings it back.
   */
  public void changeCodec(String index, String codec) {
    expectOk(send("POST", "/" + exact(index) + "/_close", null, timeout), "close " + index);
    try {
      putSettings(index, json.createObjectNode().put("index.codec", codec));
    } finally {
      open(index);
    }
  }

  /** Opens a closed index and waits until its primaries are assigned. */
  public void open(String index) {
    expectOk(
        send("POST", "/" + exact(index) + "/_open?wait_for_active_shards=1", null, timeout),
        "open " + index);
    expectOk(
        send(
            "GET",
            "/_cluster/health/"
                + exact(index)
                + "?wait_for_status=yellow&timeout="
                + timeout.toSeconds()
                + "s",
            null,
            timeout),
        "wait for " + index);
  }

  /**
   * The names of the indices matching {@code pattern}, open or not, without reading their settings
   * or stats.
   */
  public java.util.List<String> names(String pattern) {
    JsonNode answer =
        tree(
            send(
                "GET",
                "/_cat/indices/" + pattern + "?h=index&format=json&expand_wildcards=all&" + LENIENT,
                null,
                timeout),
            "list the indices of " + pattern);
    java.util.List<String> names = new java.util.ArrayList<>();
    answer.forEach(index -> names.add(index.path("index").asText()));
    return names;
  }

  /**
   * The closed indices matching {@code pattern}: llmlog closes an index only to change its codec.
   */
  public java.util.List<String> closedIndices(String pattern) {
    JsonNode answer =
        tree(
            send(
                "GET",
                "/_cat/indices/"
                    + pattern
                    + "?h=index,status&format=json&expand_wildcards=closed&"
                    + LENIENT,
                null,
                timeout),
            "list closed indices of " + pattern);
    java.util.List<String> closed = new java.util.ArrayList<>();
    for (JsonNode index : answer) {
      if ("close".equals(index.path("status").asText())) {
        closed.add(index.path("index").asText());
      }
    }
    return closed;
  }

  /** Makes everything written so far searchable. */
  public void refresh(String index) {
    expectOk(send("POST", "/" + exact(index) + "/_refresh", null, timeout), "refresh " + index);
  }

  /** Exact number of documents, as of the last refresh. */
  public long count(String index) {
    return tree(
            expectOk(send("GET", "/" + exact(index) + "/_count", null, timeout), "count " + index),
            "count " + index)
        .path("count")
        .asLong();
  }

  /** The earliest and latest value of a date field as the engine formats them; nulls when none. */
  public String[] range(String index, String field) {
    ObjectNode query = json.createObjectNode().put("size", 0);
    ObjectNode aggs = query.putObject("aggs");
    aggs.putObject("min").putObject("min").put("field", field);
    aggs.putObject("max").putObject("max").put("field", field);
    JsonNode answer =
        tree(
            expectOk(
                send("POST", "/" + exact(index) + "/_search", bytes(query), timeout),
                "search " + index),
            "search " + index);
    return new String[] {
      text(answer.path("aggregations").path("min")), text(answer.path("aggregations").path("max"))
    };
  }

  private static String text(JsonNode agg) {
    JsonNode value = agg.path("value_as_string");
    return value.isMissingNode() || value.isNull() ? null : value.asText();
  }

  /** The index's settings as the engine reports them, flat ({@code index.number_of_shards}). */
  public ObjectNode settings(String index) {
    JsonNode answer =
        tree(
            expectOk(
                send("GET", "/" + exact(index) + "/_settings?flat_settings=true", null, timeout),
                "read settings of " + index),
            "read settings of " + index);
    return (ObjectNode) answer.path(index).path("settings");
  }

  /** The index's mapping ({@code properties}, {@code dynamic_templates}, {@code _meta}, ...). */
  public ObjectNode mappings(String index) {
    JsonNode answer =
        tree(
            expectOk(
                send("GET", "/" + exact(index) + "/_mapping", null, timeout),
                "read mapping of " + index),
            "read mapping of " + index);
    JsonNode mappings = answer.path(index).path("mappings");
    return mappings.isObject() ? (ObjectNode) mappings : json.createObjectNode();
  }

  /** Creates an index with explicit (flat) settings and mapping. */
  public void create(String index, ObjectNode flatSettings, ObjectNode mappings) {
    ObjectNode body = json.createObjectNode();
    body.set("settings", flatSettings);
    body.set("mappings", mappings);
    expectOk(send("PUT", "/" + exact(index), bytes(body), timeout), "create " + index);
  }

  /**
   * Replaces the {@code _meta.llmlog} object of the index's mapping; allowed on write-blocked
   * indices.
   */
  public void putMeta(String index, JsonNode llmlogMeta) {
    ObjectNode body = json.createObjectNode();
    body.putObject("_meta").set("llmlog", llmlogMeta);
    expectOk(
        send("PUT", "/" + exact(index) + "/_mapping", bytes(body), timeout),
        "update the mapping of " + index);
  }

  /** Deletes one index, named exactly. */
  public void delete(String index) {
    EngineResponse response = send("DELETE", "/" + exact(index), null, timeout);
    if (response.status() != 404) {
      expectOk(response, "delete " + index);
    }
  }

  /**
   * Streams every document of the index, {@code batch} at a time, in index order, with a scroll
   * (which both OpenSearch and Elasticsearch have): memory holds one batch, never the index.
   *
   * @param withSource false to read ids only
   * @return the number of documents seen
   */
  public long scan(String index, int batch, boolean withSource, HitConsumer consumer)
      throws IOException {
    ObjectNode query = json.createObjectNode().put("size", batch);
    query.putArray("sort").add("_doc");
    query.put("_source", withSource);
    String keepAlive = SCROLL_KEEP_ALIVE.toSeconds() + "s";
    EngineResponse response =
        send("POST", "/" + exact(index) + "/_search?scroll=" + keepAlive, bytes(query), timeout);
    long seen = 0;
    String scrollId = null;
    try {
      while (true) {
        expectOk(response, "scan " + index);
        Batch page = readBatch(response.body(), withSource, consumer);
        scrollId = page.scrollId() == null ? scrollId : page.scrollId();
        if (page.failedShards() > 0) {
          throw new IndexAdminException(
              "scanning "
                  + index
                  + " failed on "
                  + page.failedShards()
                  + " shard(s); retry when the index is healthy");
        }
        seen += page.hits();
        if (page.hits() == 0 || scrollId == null) {
          return seen;
        }
        ObjectNode next =
            json.createObjectNode().put("scroll", keepAlive).put("scroll_id", scrollId);
        response = send("POST", "/_search/scroll", bytes(next), timeout);
      }
    } finally {
      if (scrollId != null) {
        ObjectNode clear = json.createObjectNode();
        clear.putArray("scroll_id").add(scrollId);
        try {
          send("DELETE", "/_search/scroll", bytes(clear), timeout);
        } catch (RuntimeException ignored) {
          // The scroll expires by itself after its keep-alive.
        }
      }
    }
  }

  private record Batch(String scrollId, int failedShards, int hits) {}

  private Batch readBatch(byte[] body, boolean withSource, HitConsumer consumer)
      throws IOException {
    String scrollId = null;
    int failed = 0;
    int hits = 0;
    try (JsonParser p = json.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IndexAdminException("the engine's scroll answer is not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        switch (name) {
          case "_scroll_id" -> scrollId = p.getText();
          case "_shards" ->
              failed =
                  p.readValueAsTree() instanceof JsonNode shards
                      ? shards.path("failed").asInt()
                      : 0;
          case "hits" -> hits = readHits(p, withSource, consumer);
          default -> p.skipChildren();
        }
      }
    }
    return new Batch(scrollId, failed, hits);
  }

  private int readHits(JsonParser p, boolean withSource, HitConsumer consumer) throws IOException {
    int hits = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      if (!name.equals("hits")) {
        p.skipChildren();
        continue;
      }
      while (p.nextToken() == JsonToken.START_OBJECT) {
        String id = null;
        byte[] source = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          p.nextToken();
          if (field.equals("_id")) {
            id = p.getText();
          } else if (field.equals("_source") && withSource) {
            source = copyExact(p, json.getFactory());
          } else {
            p.skipChildren();
          }
        }
        consumer.hit(id, source);
        hits++;
      }
    }
    return hits;
  }

  /**
   * The JSON value at the parser as compact bytes, numbers exactly as written ({@code 2340.50}
   * stays so). Copying its own output gives the same bytes again, which is what lets an archive's
   * digests be recomputed from its files and from a restored index alike.
   */
  public static byte[] copyExact(JsonParser p, JsonFactory factory) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try (JsonGenerator g = factory.createGenerator(out)) {
      int depth = 0;
      JsonToken token = p.currentToken();
      while (true) {
        g.copyCurrentEventExact(p);
        if (token.isStructStart()) {
          depth++;
        } else if (token.isStructEnd()) {
          depth--;
        }
        if (depth == 0) {
          break;
        }
        token = p.nextToken();
      }
    }
    return out.toByteArray();
  }

  /** {@code GET /}: which engine this is. */
  public EngineInfo info() {
    JsonNode answer =
        tree(
            expectOk(send("GET", "/", null, timeout), "identify the engine"),
            "identify the engine");
    JsonNode version = answer.path("version");
    return new EngineInfo(
        version.path("distribution").asText("elasticsearch"),
        version.path("number").asText("unknown"));
  }

  /**
   * Installs or replaces an ISM policy (OpenSearch). Replacing needs the stored policy's sequence
   * number, so an existing one is read first.
   */
  public void putIsmPolicy(String id, JsonNode policy) {
    String path = "/_plugins/_ism/policies/" + URLEncoder.encode(id, StandardCharsets.UTF_8);
    EngineResponse existing = send("GET", path, null, timeout);
    if (existing.ok()) {
      JsonNode stored = tree(existing, "read ISM policy " + id);
      path +=
          "?if_seq_no="
              + stored.path("_seq_no").asLong()
              + "&if_primary_term="
              + stored.path("_primary_term").asLong();
    }
    expectOk(send("PUT", path, bytes(policy), timeout), "install ISM policy " + id);
  }

  /**
   * Attaches an ISM policy to the existing indices of a pattern (new ones get it from the policy's
   * ism_template).
   */
  public void addIsmPolicy(String pattern, String id) {
    ObjectNode body = json.createObjectNode().put("policy_id", id);
    expectOk(
        send("POST", "/_plugins/_ism/add/" + pattern, bytes(body), timeout),
        "attach ISM policy " + id + " to " + pattern);
  }

  /** Installs or replaces an ILM policy (Elasticsearch). */
  public void putIlmPolicy(String id, JsonNode policy) {
    expectOk(
        send(
            "PUT",
            "/_ilm/policy/" + URLEncoder.encode(id, StandardCharsets.UTF_8),
            bytes(policy),
            timeout),
        "install ILM policy " + id);
  }

  /**
   * Sets {@code index.lifecycle.name} on a pattern's existing indices, and on the family's index
   * template for new ones.
   */
  public void attachIlmPolicy(String prefix, IndexFamily family, String id) {
    String pattern = family.pattern(prefix);
    String templateName = IndexTemplates.name(prefix, family);
    ObjectNode setting =
        json.createObjectNode()
            .put("index.lifecycle.name", id)
            .put("index.lifecycle.parse_origination_date", true);
    expectOk(
        send("PUT", "/" + pattern + "/_settings?" + LENIENT, bytes(setting), timeout),
        "attach ILM policy " + id + " to " + pattern);
    EngineResponse template = send("GET", "/_index_template/" + templateName, null, timeout);
    if (!template.ok()) {
      throw new IndexAdminException(
          "cannot read index template "
              + templateName
              + " to attach ILM policy "
              + id
              + ": "
              + template.status());
    }
    JsonNode stored =
        tree(template, "read index template " + templateName)
            .path("index_templates")
            .path(0)
            .path("index_template");
    if (!(stored instanceof ObjectNode body)) {
      throw new IndexAdminException(
          "index template "
              + templateName
              + " not found; start llmlog once so that it installs its templates");
    }
    ObjectNode templateSettings = body.with("template").with("settings");
    // Ages from the day in the index name (llm-logs-2026.08.01), not from when the index was
    // created.
    templateSettings
        .with("index")
        .putObject("lifecycle")
        .put("name", id)
        .put("parse_origination_date", true);
    expectOk(
        send("PUT", "/_index_template/" + templateName, bytes(body), timeout),
        "attach ILM policy " + id + " to template " + templateName);
  }

  private EngineResponse send(String method, String path, byte[] body, Duration wait) {
    return client.send(method, path, body, "application/json", wait);
  }

  private EngineResponse expectOk(EngineResponse response, String what) {
    if (!response.ok()) {
      throw new IndexAdminException(
          "the search engine refused to "
              + what
              + " ("
              + response.status()
              + "): "
              + answers.reason(response));
    }
    return response;
  }

  private JsonNode tree(EngineResponse response, String what) {
    return answers.tree(expectOk(response, what));
  }

  private byte[] bytes(JsonNode node) {
    return answers.bytes(node);
  }

  /** Refuses anything that could name more than one index. */
  static String exact(String index) {
    if (index.isEmpty()
        || index.contains("*")
        || index.contains(",")
        || index.startsWith("_")
        || index.contains("/")) {
      throw new IllegalArgumentException("not a single index name: '" + index + "'");
    }
    return index;
  }
}

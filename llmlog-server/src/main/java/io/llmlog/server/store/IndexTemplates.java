package io.llmlog.server.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.core.FieldType;
import io.llmlog.core.LogField;
import io.llmlog.core.QualityField;
import io.llmlog.core.SpanField;
import io.llmlog.server.config.LlmlogConfig;
import java.util.Set;

/**
 * The composable index templates llmlog installs at start. {@code llm-logs-*} holds the brief's
 * template (its eight fields with its types) extended with every field of {@link LogField}; the
 * mapping of each field follows from its {@link FieldType}, so the schema is written once.
 */
final class IndexTemplates {
  /**
   * Longer keyword values are kept in the source but not indexed, instead of failing the document.
   */
  static final int KEYWORD_IGNORE_ABOVE = 1024;

  /**
   * The analyzer of every text field: the standard analyzer's words, with runs of Han and Hiragana
   * characters cut into overlapping pairs.
   */
  static final String TEXT_ANALYZER = "llmlog_text";

  /**
   * The long texts of calls and steps, indexed without positions ({@code match_only_text}) where
   * the engine takes it with an analyzer ({@link #takesMatchOnlyText}): a phrase is checked against
   * the stored text of the documents that hold all its words, which with pairs of Chinese
   * characters as words are few. The short texts (error messages, feedback, explanations) keep
   * their positions, which cost little there.
   */
  static final Set<String> LONG_TEXTS =
      Set.of(
          LogField.PROMPT.jsonName(),
          LogField.SYSTEM_PROMPT.jsonName(),
          LogField.RESPONSE.jsonName(),
          SpanField.INPUT.jsonName(),
          SpanField.OUTPUT.jsonName(),
          SpanField.TOOL_ARGUMENTS.jsonName(),
          SpanField.TOOL_RESULT.jsonName());

  private final ObjectMapper json;
  private final LlmlogConfig.Engine engine;

  IndexTemplates(ObjectMapper json, LlmlogConfig.Engine engine) {
    this.json = json;
    this.engine = engine;
  }

  /** The template name for a family, carrying the index prefix. */
  String name(IndexFamily family) {
    return name(engine.indexPrefix(), family);
  }

  static String name(String prefix, IndexFamily family) {
    return prefix + "llmlog-" + family.stem().replace("llm-", "").replace("-", "");
  }

  /**
   * True when the engine maps {@code match_only_text} with a custom analyzer: OpenSearch from 2.12
   * on. Elasticsearch's {@code match_only_text} takes no analyzer and older OpenSearch has none;
   * there the long texts keep their positions, analysed the same way.
   */
  static boolean takesMatchOnlyText(String distribution, String version) {
    if (!distribution.equals("opensearch")) {
      return false;
    }
    String[] parts = version.split("\\.");
    try {
      int major = Integer.parseInt(parts[0]);
      int minor = parts.length > 1 ? Integer.parseInt(parts[1].replaceAll("[^0-9].*", "")) : 0;
      return major > 2 || (major == 2 && minor >= 12);
    } catch (NumberFormatException unknown) {
      return false;
    }
  }

  /**
   * @param matchOnlyText whether the long texts go without positions ({@link #takesMatchOnlyText})
   */
  ObjectNode logs(boolean matchOnlyText) {
    ObjectNode properties = json.createObjectNode();
    for (LogField field : LogField.values()) {
      if (field == LogField.METADATA) {
        properties.putObject("metadata").put("type", "object").put("dynamic", true);
      } else {
        put(properties, field.jsonName(), mapping(field.jsonName(), field.type(), matchOnlyText));
      }
    }
    return closed(template(IndexFamily.LOGS, properties));
  }

  /** Steps of agent runs: every field of {@link SpanField}, closed like calls, metadata dynamic. */
  ObjectNode spans(boolean matchOnlyText) {
    ObjectNode properties = json.createObjectNode();
    for (SpanField field : SpanField.values()) {
      if (field == SpanField.METADATA) {
        properties.putObject("metadata").put("type", "object").put("dynamic", true);
      } else {
        put(properties, field.jsonName(), mapping(field.jsonName(), field.type(), matchOnlyText));
      }
    }
    return closed(template(IndexFamily.SPANS, properties));
  }

  /** Quality records: every field of {@link QualityField}, closed, scores dynamic. */
  ObjectNode quality() {
    ObjectNode properties = json.createObjectNode();
    for (QualityField field : QualityField.values()) {
      if (field == QualityField.SCORES) {
        properties.putObject("scores").put("type", "object").put("dynamic", true);
      } else {
        put(properties, field.jsonName(), mapping(field.type()));
      }
    }
    return closed(template(IndexFamily.QUALITY, properties));
  }

  /**
   * Fields outside the schema are kept in each document's source but not indexed: one record with
   * thousands of made-up keys would otherwise fill the day's field limit and get every later record
   * with a new metadata key rejected until midnight. Custom attributes belong in {@code metadata}
   * (scores in {@code scores}), which stay dynamic and are bounded per record.
   */
  private static ObjectNode closed(ObjectNode template) {
    ((ObjectNode) template.path("template").path("mappings")).put("dynamic", false);
    return template;
  }

  ObjectNode deadLetters() {
    ObjectNode properties = json.createObjectNode();
    properties.set("timestamp", mapping(FieldType.DATE));
    properties.set("filter", mapping(FieldType.KEYWORD));
    properties.set("reason", mapping(FieldType.TEXT));
    properties.set("request_id", mapping(FieldType.KEYWORD));
    // The failed record as JSON text: stored for inspection and replay, not indexed field by field,
    // since what broke a filter may well break a mapping too.
    properties.putObject("record").put("type", "text").put("index", false);
    return template(IndexFamily.DEAD_LETTERS, properties);
  }

  /** Alert transitions: one document per change of state of an alert instance. */
  ObjectNode alerts() {
    ObjectNode properties = json.createObjectNode();
    properties.set("timestamp", mapping(FieldType.DATE));
    for (String keyword : new String[] {"alert", "severity", "from", "to", "window", "server"}) {
      properties.set(keyword, mapping(FieldType.KEYWORD));
    }
    properties.set("condition", mapping(FieldType.KEYWORD));
    properties.set("summary", mapping(FieldType.TEXT));
    properties.set("value", mapping(FieldType.DOUBLE));
    properties.set("threshold", mapping(FieldType.DOUBLE));
    properties.set("calls", mapping(FieldType.DOUBLE));
    // Labels are the rule's own and its group_by values: strings, mapped as keywords dynamically.
    properties.putObject("labels").put("type", "object").put("dynamic", true);
    return template(IndexFamily.ALERTS, properties);
  }

  /**
   * Live rollups: only what a reader filters and sorts on is indexed; the aggregate (counts and
   * encoded sketches) is kept in the source for the reader to merge. A short refresh interval,
   * since the alert evaluator reads what the other servers wrote seconds ago.
   */
  ObjectNode rollups() {
    ObjectNode properties = json.createObjectNode();
    for (String keyword : new String[] {"key", "server", "view", "series"}) {
      properties.set(keyword, mapping(FieldType.KEYWORD));
    }
    properties.set("minute", mapping(FieldType.DATE));
    // The stats rollups' unit width in milliseconds (a minute to a day).
    properties.putObject("width").put("type", "long");
    properties.set("published_at", mapping(FieldType.DATE));
    properties.putObject("aggregate").put("type", "object").put("enabled", false);
    ObjectNode template = template(IndexFamily.ROLLUPS, properties);
    ObjectNode settings = (ObjectNode) template.path("template").path("settings").path("index");
    settings.put("refresh_interval", "1s");
    ((ObjectNode) template.path("template").path("mappings")).put("dynamic", false);
    return template;
  }

  /**
   * The one index of the alert evaluator's lease document (holder, expiry, committed alert states).
   */
  ObjectNode alerting(String index) {
    ObjectNode properties = json.createObjectNode();
    properties.set("holder", mapping(FieldType.KEYWORD));
    properties.set("expires", mapping(FieldType.DATE));
    ObjectNode template = template(index, properties);
    ((ObjectNode) template.path("template").path("mappings")).put("dynamic", false);
    ((ObjectNode) template.path("template").path("settings").path("index"))
        .put("number_of_shards", 1);
    return template;
  }

  /**
   * The one index of the quality capability's shared state: review leases (who reviews which call
   * until when) and the checkpoints of scoring runs, so that several servers agree on both.
   */
  ObjectNode qualityState(String index) {
    ObjectNode properties = json.createObjectNode();
    for (String keyword :
        new String[] {"kind", "queue", "request_id", "holder", "session", "evaluator", "state"}) {
      properties.set(keyword, mapping(FieldType.KEYWORD));
    }
    properties.putObject("expires_at").put("type", "long");
    properties.set("updated", mapping(FieldType.DATE));
    ObjectNode template = template(index, properties);
    ((ObjectNode) template.path("template").path("mappings")).put("dynamic", false);
    ObjectNode settings = (ObjectNode) template.path("template").path("settings").path("index");
    settings.put("number_of_shards", 1);
    // A lease must be visible to the next reviewer's search within a second.
    settings.put("refresh_interval", "1s");
    return template;
  }

  private ObjectNode template(IndexFamily family, ObjectNode properties) {
    return template(family.pattern(engine.indexPrefix()), properties);
  }

  private ObjectNode template(String pattern, ObjectNode properties) {
    ObjectNode root = json.createObjectNode();
    root.putArray("index_patterns").add(pattern);
    // Configurable: an engine may already hold another tool's template for the same pattern at 200.
    root.put("priority", engine.templatePriority());
    ObjectNode template = root.putObject("template");
    ObjectNode index = template.putObject("settings").putObject("index");
    index.put("number_of_shards", engine.shards());
    index.put("number_of_replicas", engine.replicas());
    index.put("refresh_interval", engine.refreshInterval());
    index.put("mapping.total_fields.limit", 2000);
    // Explicit, so that an acknowledged write is on disk even if a user changes the engine's
    // defaults.
    index.put("translog.durability", "request");
    analysis(index);
    ObjectNode mappings = template.putObject("mappings");
    mappings.set("dynamic_templates", dynamicTemplates());
    mappings.set("properties", properties);
    root.putObject("_meta").put("managed_by", "llmlog").put("schema_version", IndexSchema.VERSION);
    return root;
  }

  /**
   * Text is cut into words by the standard tokenizer, which emits Han and Hiragana one character at
   * a time; such a run becomes its overlapping pairs ({@code 申请退款}: 申请 请退 退款), so that a
   * two-character word, the commonest length of a Chinese word, is one term, found without
   * positions. A character with no neighbour of its script stays a term of its own. Katakana and
   * Hangul words stay whole, as the standard tokenizer emits them; full-width Latin letters and
   * digits are folded to their ASCII forms, as the search side folds them too (the same analyzer).
   */
  private static void analysis(ObjectNode index) {
    ObjectNode analysis = index.putObject("analysis");
    ObjectNode bigrams = analysis.putObject("filter").putObject("llmlog_cjk_bigram");
    bigrams.put("type", "cjk_bigram");
    bigrams.putArray("ignored_scripts").add("katakana").add("hangul");
    ObjectNode analyzer = analysis.putObject("analyzer").putObject(TEXT_ANALYZER);
    analyzer.put("type", "custom").put("tokenizer", "standard");
    analyzer.putArray("filter").add("cjk_width").add("lowercase").add("llmlog_cjk_bigram");
  }

  /**
   * Dynamic fields (metadata, labels) are keywords whatever their JSON type, so that a key sent as
   * a number by one application and as text by another does not fail the second one's records.
   * Scores stay numbers.
   */
  private ArrayNode dynamicTemplates() {
    ArrayNode templates = json.createArrayNode();
    ObjectNode scores = templates.addObject().putObject("scores_as_doubles");
    scores.put("path_match", "scores.*");
    scores.set("mapping", mapping(FieldType.DOUBLE));
    for (String type : new String[] {"string", "long", "double", "boolean"}) {
      ObjectNode keywords = templates.addObject().putObject(type + "_as_keyword");
      keywords.put("match_mapping_type", type);
      keywords.set("mapping", mapping(FieldType.KEYWORD));
    }
    return templates;
  }

  private static void put(ObjectNode properties, String dottedName, ObjectNode mapping) {
    int dot = dottedName.indexOf('.');
    if (dot < 0) {
      properties.set(dottedName, mapping);
      return;
    }
    ObjectNode parent = (ObjectNode) properties.get(dottedName.substring(0, dot));
    if (parent == null) {
      parent = properties.putObject(dottedName.substring(0, dot));
    }
    ObjectNode children =
        parent.has("properties")
            ? (ObjectNode) parent.get("properties")
            : parent.putObject("properties");
    put(children, dottedName.substring(dot + 1), mapping);
  }

  private ObjectNode mapping(String name, FieldType type, boolean matchOnlyText) {
    if (matchOnlyText && type == FieldType.TEXT && LONG_TEXTS.contains(name)) {
      return json.createObjectNode().put("type", "match_only_text").put("analyzer", TEXT_ANALYZER);
    }
    return mapping(type);
  }

  private ObjectNode mapping(FieldType type) {
    ObjectNode mapping = json.createObjectNode();
    switch (type) {
      case DATE -> mapping.put("type", "date");
      case KEYWORD -> mapping.put("type", "keyword").put("ignore_above", KEYWORD_IGNORE_ABOVE);
      // No norms: llmlog never ranks by relevance (its searches are filters, sorted by time or a
      // field), and without them the engine indexes an LLM call with a tenth less CPU.
      case TEXT -> mapping.put("type", "text").put("norms", false).put("analyzer", TEXT_ANALYZER);
      case INTEGER -> mapping.put("type", "integer");
      case FLOAT -> mapping.put("type", "float");
      case DOUBLE -> mapping.put("type", "double");
      case BOOLEAN -> mapping.put("type", "boolean");
      // Kept in the source for the dashboard and exports; their text is indexed through the
      // prompt, system_prompt and response fields rendered from them, so indexing it twice would
      // only cost disk and ingest CPU.
      case MESSAGES -> mapping.put("type", "object").put("enabled", false);
    }
    return mapping;
  }
}

package io.llmlog.server.query.kql;

import io.llmlog.core.FieldType;
import io.llmlog.core.LogField;

/**
 * Tells the KQL translator how a field is indexed, which decides the query it gets: {@code term}
 * for keywords, {@code match} for text, numbers checked and compared for numeric fields.
 *
 * <p>The server may wrap {@link #logFields()} to add fields it learns about later, e.g.
 * {@code name -> extra.containsKey(name) ? extra.get(name) : FieldResolver.logFields().typeOf(name)}.
 */
@FunctionalInterface
public interface FieldResolver {

  /** The field's type, or null when it is not known; unknown fields are queried as Kibana does. */
  FieldType typeOf(String field);

  /**
   * True for a field that is not on the call but on its quality records ({@code scores.relevance},
   * {@code rating}, ...): the translator marks its clause ({@link KqlParser#QUALITY_JOIN}) for the
   * searcher to turn into the calls whose records match.
   */
  default boolean joined(String field) {
    return false;
  }

  /** The llm-logs schema: every {@link LogField} by its JSON name, and {@code metadata.<key>} as keyword. */
  static FieldResolver logFields() {
    return LogFieldResolver.INSTANCE;
  }

  /**
   * The llm-logs schema and the fields of the calls' quality records: {@code scores.<name>},
   * {@code rating}, {@code feedback}, {@code annotations}, {@code reviewer_id}, {@code evaluator},
   * {@code label}, {@code explanation}, {@code queue}.
   */
  static FieldResolver callsWithQuality() {
    return QualityJoinedResolver.INSTANCE;
  }
}

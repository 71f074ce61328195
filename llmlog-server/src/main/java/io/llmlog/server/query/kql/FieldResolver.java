package io.llmlog.server.query.kql;

import io.llmlog.core.FieldType;
import io.llmlog.core.LogField;
import io.llmlog.core.SpanField;
import java.util.List;

/**
 * Tells the KQL translator how a field is indexed, which decides the query it gets: {@code term}
 * for keywords, {@code match} for text, numbers checked and compared for numeric fields.
 *
 * <p>The server may wrap {@link #logFields()} to add fields it learns about later, e.g. {@code name
 * -> extra.containsKey(name) ? extra.get(name) : FieldResolver.logFields().typeOf(name)}.
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

  /**
   * Where a value without a field is searched. The calls' texts by default: the prompt, system
   * prompt and response, not the error message.
   */
  default List<String> freeTextFields() {
    return DslWriter.FREE_TEXT_FIELDS;
  }

  /**
   * The llm-logs schema: every {@link LogField} by its JSON name, and {@code metadata.<key>} as
   * keyword.
   */
  static FieldResolver logFields() {
    return LogFieldResolver.INSTANCE;
  }

  /**
   * The llm-logs schema and the fields of the calls' quality records: {@code scores.<name>}, {@code
   * rating}, {@code feedback}, {@code annotations}, {@code reviewer_id}, {@code evaluator}, {@code
   * label}, {@code explanation}, {@code queue}.
   */
  static FieldResolver callsWithQuality() {
    return QualityJoinedResolver.INSTANCE;
  }

  /**
   * Calls and steps together ({@code llm-logs-*} and {@code llm-spans-*}): a field of either schema
   * ({@link LogField}, {@link SpanField}; the names they share have the same type), and free text
   * in the calls' texts and the steps' (tool arguments and results, retrieval queries, inputs and
   * outputs). A field only one family has matches only there.
   */
  static FieldResolver callsAndSteps() {
    return StepFieldResolver.CALLS_AND_STEPS;
  }

  /** The llm-spans schema alone: every {@link SpanField}, free text in the steps' texts. */
  static FieldResolver stepFields() {
    return StepFieldResolver.STEPS;
  }
}

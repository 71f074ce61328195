/**
 * KQL, the Kibana Query Language, for searching LLM call logs: {@link
 * io.llmlog.server.query.kql.KqlParser#toQuery(String)} turns a query typed into the search box
 * into the engine's query DSL.
 *
 * <pre>{@code
 * model:gpt-4 and latency_ms > 5000 and user_id:user_123 and 退款
 * }</pre>
 *
 * <p>finds the gpt-4 calls slower than 5 s for user 123 whose prompt, system prompt or response
 * mentions 退款 (refund).
 *
 * <h2>Syntax</h2>
 *
 * The grammar is Kibana's ({@code kbn-es-query/src/kuery/grammar/grammar.peggy}):
 *
 * <pre>
 * query      = [ or ]                        empty query: everything
 * or         = and { "or" and }
 * and        = not { "and" not }
 * not        = [ "not" ] sub                 precedence: not, then and, then or
 * sub        = "(" or ")" | expression
 * expression = field ":" values              level:error   model:(gpt-4 or claude-3*)
 *            | field ( "&lt;" | "&lt;=" | "&gt;" | "&gt;=" ) value   latency_ms &gt;= 5000
 *            | value                         free text: 退款   "refund please"
 * values     = "(" value-or ")" | value      value-or/-and/-not: the same and/or/not, over values
 * value      = "quoted string" | unquoted value
 * </pre>
 *
 * <ul>
 *   <li><b>Keywords</b> {@code and}, {@code or}, {@code not} are case-insensitive whole words.
 *       Precedence: {@code not} &gt; {@code and} &gt; {@code or}; use parentheses for the rest.
 *       There is no implicit operator: an unquoted value runs across spaces, so {@code
 *       prompt:refund please} is the one value "refund please" (every word must occur), and two
 *       values side by side ({@code "a" "b"}) are an error.
 *   <li><b>Unquoted values</b> end at whitespace followed by a keyword, at one of {@code ( ) : < >
 *       " { }}, or at the end; leading and trailing spaces are dropped. {@code *} is a wildcard.
 *       Escape with a backslash: {@code \( \) \: \< \> \" \* \{ \} \\}, {@code \t \r \n}, {@code
 *       \}{@code uXXXX}, and {@code \and \or \not} for the words. Any other backslash is an error.
 *       Times contain {@code :}, so quote them: {@code timestamp > "2026-05-01T08:30:00Z"}.
 *   <li><b>Quoted values</b> are exact phrases; {@code *} is a plain star there. Escapes: {@code \"
 *       \\ \t \r \n \}{@code uXXXX}; other backslashes are kept as typed.
 *   <li><b>Fields</b> are the names of {@link io.llmlog.core.LogField} ({@code model}, {@code
 *       latency_ms}, {@code error.type}, ...) and {@code metadata.<key>}; a field may be quoted.
 *       {@code *} as the field means the free-text fields.
 * </ul>
 *
 * <h2>Mapping to the query DSL</h2>
 *
 * <table>
 *   <caption>KQL construct → query DSL</caption>
 *   <tr><th>KQL</th><th>field type</th><th>DSL</th></tr>
 *   <tr><td>(empty), {@code *}, {@code *:*}</td><td></td><td>{@code match_all}</td></tr>
 *   <tr><td>{@code a and b}</td><td></td><td>{@code bool.filter [a, b]}</td></tr>
 *   <tr><td>{@code a or b}</td><td></td><td>{@code bool.should [a, b]}, {@code minimum_should_match: 1}</td></tr>
 *   <tr><td>{@code not a}</td><td></td><td>{@code bool.must_not [a]}</td></tr>
 *   <tr><td>{@code f:v}, {@code f:"v"}</td><td>keyword</td><td>{@code term {f: v}}</td></tr>
 *   <tr><td>{@code f:v*}</td><td>keyword</td><td>{@code wildcard {f: "v*"}} (literal {@code \ * ?}
 *       escaped)</td></tr>
 *   <tr><td>{@code f:v}</td><td>text, unknown</td><td>{@code match {f: {query: v, operator: and}}}</td></tr>
 *   <tr><td>{@code f:"v w"}</td><td>text, unknown</td><td>{@code match_phrase {f: "v w"}}</td></tr>
 *   <tr><td>{@code f:退款}</td><td>text, unknown</td><td>{@code match_phrase {f: "退款"}}: each unquoted
 *       word holding Han or Hiragana characters is a phrase, several words are a {@code bool.filter}</td></tr>
 *   <tr><td>{@code f:v*}</td><td>text, unknown</td><td>{@code query_string {fields: [f], query: "v*",
 *       default_operator: and}} (reserved characters escaped)</td></tr>
 *   <tr><td>{@code f:5000}</td><td>integer, float, double</td><td>{@code term {f: 5000}}; a value
 *       that is not a number is an error</td></tr>
 *   <tr><td>{@code f:true}</td><td>boolean</td><td>{@code term {f: true}}</td></tr>
 *   <tr><td>{@code f:2026-05-01}</td><td>date</td><td>{@code range {f: {gte: v, lte: v}}}: the whole
 *       day, since the engine rounds the upper bound up</td></tr>
 *   <tr><td>{@code f:*}</td><td>any</td><td>{@code exists {field: f}}</td></tr>
 *   <tr><td>{@code f >= v} ({@code > < <=})</td><td>numeric</td><td>{@code range {f: {gte: 5000}}}</td></tr>
 *   <tr><td>{@code f >= v}</td><td>date</td><td>{@code range {f: {gte: "now-1h"}}}: ISO-8601
 *       ({@code 2026-05-01}, {@code "2026-05-01T08:30:00Z"}), epoch millis or date math
 *       ({@code now-1h}, {@code now/d}, {@code 2026-05-01||+1M}) passed through, UTC unless the value
 *       names an offset</td></tr>
 *   <tr><td>{@code f >= v}</td><td>keyword, text, boolean</td><td>error: "range needs a numeric or date
 *       field: f"</td></tr>
 *   <tr><td>{@code f >= v}</td><td>unknown</td><td>{@code range} as typed (a number when it is one)</td></tr>
 *   <tr><td>{@code f:(a or b*)}</td><td></td><td>the and/or/not of {@code f:a} and {@code f:b*}</td></tr>
 *   <tr><td>{@code v}</td><td>free text</td><td>{@code multi_match {query: v, fields: [prompt,
 *       system_prompt, response], type: best_fields, operator: and}}</td></tr>
 *   <tr><td>{@code "v w"}, {@code 退款}</td><td>free text</td><td>{@code multi_match} with
 *       {@code type: phrase} (per word for Chinese/Japanese, as above)</td></tr>
 *   <tr><td>{@code v*}</td><td>free text</td><td>{@code query_string} over the same three fields</td></tr>
 * </table>
 *
 * <p>Why unquoted Chinese and Japanese text becomes a phrase: days written since index schema
 * version 4 index a run of Han or Hiragana characters as its overlapping pairs ({@code 退款} is one
 * term, {@code 机器学习} the phrase 机器 器学 学习), older days one character per token, where {@code 退款} as
 * words would match any call that contains 退 and 款 anywhere; a phrase matches the word on both. A
 * single such character ({@code 款}) is a {@code bool.should} of the phrase of itself (a character
 * standing alone, or any token on an older day), a {@code prefix} and a {@code wildcard ?款} (the
 * pairs it starts or ends), since inside a run it is no term of its own. Katakana and Hangul runs
 * are single tokens and need no such care. What matches, with examples, is in docs/search.md.
 *
 * <p>Keyword queries are exact (case-sensitive) by default, as in Kibana; {@code new
 * KqlParser(resolver, true)} adds {@code case_insensitive: true} to keyword {@code term} and {@code
 * wildcard} queries.
 *
 * <h2>Where llmlog differs from Kibana</h2>
 *
 * <ul>
 *   <li>Text {@code match} queries use {@code operator: and}, and wildcard {@code query_string}
 *       queries {@code default_operator: and} (Kibana: any word), so {@code prompt:refund please}
 *       needs both words, like a search box; unquoted Chinese and Japanese words are phrases
 *       (above).
 *   <li>Free text searches {@code prompt}, {@code system_prompt} and {@code response}, not every
 *       field ({@code index.query.default_field}), and without {@code lenient}, which only numeric
 *       fields needed.
 *   <li>A single-field query is the bare query, not wrapped in {@code bool.should} with one clause;
 *       the results are the same.
 *   <li>Values are checked against the field's type: a range on a keyword or text field, a word for
 *       a number or a date, or a wildcard on a numeric or date field is an error with its position
 *       (Kibana sends them and the engine fails or finds nothing).
 *   <li>Operators KQL does not have are errors: {@code latency_ms = 5}, {@code latency_ms != 5},
 *       {@code latency_ms => 5}, {@code <>} (Kibana reads them as free text, or as a field named
 *       "latency_ms ="). Field names cannot contain spaces ({@code error happened: timeout} asks to
 *       quote the text) or wildcards ({@code *} alone means the free-text fields).
 *   <li>Keywords: a keyword also ends at {@code (}, {@code )} or the end of the query, so {@code
 *       not(level:info)} works and {@code level:error or} is an error rather than a search for
 *       "error or"; {@code not} inside a word ({@code cannot}) is not a keyword (Kibana's grammar
 *       cuts {@code cannot be} there); {@code \not} is the word "not" (Kibana reads {@code \n}
 *       first). A value cannot start with {@code and}/{@code or} after whitespace ({@code f: and
 *       x}); escape it.
 *   <li>{@code null}, {@code true}, {@code false} are plain values; they are typed by the field.
 *   <li>Not supported: nested queries ({@code f:{...}}, llmlog has no nested fields), wildcards in
 *       field names other than {@code *}, scripted fields, time zones for dates without an offset
 *       (UTC is used), and "leading wildcard" switches (they are always allowed).
 * </ul>
 *
 * <h2>Limits</h2>
 *
 * Queries longer than {@value io.llmlog.server.query.kql.KqlParser#MAX_QUERY_LENGTH} characters and
 * parentheses nested deeper than {@value io.llmlog.server.query.kql.KqlParser#MAX_DEPTH} levels are
 * refused with a {@link io.llmlog.server.query.kql.KqlSyntaxException}; the lexer is linear and
 * recursion is bounded by the nesting limit. Every error carries the 0-based {@link
 * io.llmlog.server.query.kql.KqlSyntaxException#position() position} (UTF-16 index, as in
 * JavaScript) and what was {@link io.llmlog.server.query.kql.KqlSyntaxException#expected()
 * expected}.
 */
package io.llmlog.server.query.kql;

/**
 * PII redaction: finds personal data and secrets in text and replaces them, for the server's {@code
 * redact} pipeline filter (on strings) and the SDK's redactor hook (on entries). The brief's 隐私保护:
 * 对用户输入进行脱敏处理, 移除PII信息.
 *
 * <p>Entry point: {@link io.llmlog.core.redact.PiiRedactor} ({@code defaults()}, {@code builder()},
 * {@code fromConfig(Map)}), returning a {@link io.llmlog.core.redact.Redaction} (text, counts per
 * type, failed). Types: {@link io.llmlog.core.redact.PiiType}; replacement: {@link
 * io.llmlog.core.redact.RedactionMode}.
 *
 * <h2>Why hand-written scanners</h2>
 *
 * A log pipeline redacts text it does not control, so the cost must not depend on what the text
 * holds: a regular expression that backtracks turns one hostile prompt into a stalled pipeline. The
 * built-in recognizers are scanners whose work is linear in the input, by construction:
 *
 * <ul>
 *   <li>The pass visits each position once and tries a recognizer only where one can start (after a
 *       non-word character, at its trigger character). After a match it resumes at the match's end.
 *   <li>Phone, resident id, bank card and IPv4 read a bounded number of characters from a start
 *       (under 50), whatever follows: a run longer than 19 digits is rejected after reading 20.
 *   <li>IPv6 reads at most 8 groups of at most 5 characters (about 45), and is tried only within
 *       four characters of a {@code :}.
 *   <li>Secrets check a fixed prefix, then read one run of their body class; a secret can only
 *       start after a character outside that class, so a failed body is never re-read by a later
 *       attempt. A PEM body is read up to the next {@code -----}, where the next header (if any)
 *       takes over: each body is read once.
 *   <li>E-mail candidates come from the {@code '@'}s: each looks back over its local-part run,
 *       which ends at the previous {@code '@'}, so the look-backs are disjoint; the forward check
 *       reads that run and the domain once more.
 * </ul>
 *
 * {@code RedactorBenchmark} in llmlog-bench runs every recognizer over 100 KB of input built to
 * defeat naive scanners (long digit runs, {@code aaaa…@}, {@code 1-1-1-…}, {@code ....}, {@code
 * ::::}, a PEM header with no end).
 *
 * <p>Custom patterns from configuration are {@link java.util.regex} and may backtrack; they run
 * under a character-read budget and the text fails closed when it is spent.
 *
 * <h2>Decisions worth knowing</h2>
 *
 * <ul>
 *   <li>Overlaps: leftmost, then longest, then secret, cn_id, bank_card, phone, email, ip, then
 *       custom recognizers in order. A valid resident id that also passes Luhn is an id.
 *   <li>Numbers need digit boundaries: an 11-digit mobile number inside a longer run, a decimal or
 *       a hyphenated order number is not a phone number.
 *   <li>Cards need Luhn and an issuer prefix that fits the length; epoch milliseconds and order
 *       numbers starting with 1 or 20 are never cards.
 *   <li>{@code 1.2.3} is never an address, nor {@code v1.2.3.4}, {@code Chrome/120.0.0.0}, {@code
 *       10.0.0.1-SNAPSHOT} or {@code 1.2.3.4.5}; a bare {@code 1.2.3.4} is.
 *   <li>Escaped line breaks ({@code \n} as two characters, as in JSON) count as whitespace for
 *       boundaries.
 * </ul>
 */
package io.llmlog.core.redact;

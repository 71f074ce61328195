/**
 * The messages of a chat call, in the shape of OpenTelemetry's GenAI conventions ({@code
 * gen_ai.input.messages}, {@code gen_ai.output.messages}): a list of messages, each a role and a
 * list of typed parts (text, tool calls, tool results, reasoning, anything else kept as it came).
 * Every source of calls — the SDK and its integrations, OTLP, the logging gateway — stores this one
 * shape, and renders it with {@link io.llmlog.core.message.Messages} into the flat {@code prompt},
 * {@code system_prompt} and {@code response} texts that search, redaction and the brief's index
 * work on.
 */
package io.llmlog.core.message;

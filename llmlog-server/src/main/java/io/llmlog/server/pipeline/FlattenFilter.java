package io.llmlog.server.pipeline;

import io.llmlog.core.codec.RecordShapes;

/**
 * Brings the shapes applications send onto llmlog's flat fields, as the brief's Logstash {@code
 * ruby} filter does: the brief's nested {@code metrics} and {@code config}, its {@code model_name}
 * and {@code first_token_latency_ms}, an {@code llm} wrapper, OpenAI and Anthropic {@code usage}
 * objects, OpenTelemetry GenAI attributes and ECS {@code service.name}; structured {@code
 * input_messages} and {@code output_messages} are rendered into {@code prompt}, {@code
 * system_prompt} and {@code response}. The table is llmlog-core's {@link RecordShapes}, the one the
 * SDK's reader uses too, so a record means the same wherever it is read. A flat field that is
 * already set is never overwritten.
 */
final class FlattenFilter implements Filter {
  @Override
  public String name() {
    return "flatten";
  }

  @Override
  public boolean apply(Event event) {
    RecordShapes.normalise(event.fields());
    RecordShapes.renderMessages(event.fields());
    return true;
  }
}

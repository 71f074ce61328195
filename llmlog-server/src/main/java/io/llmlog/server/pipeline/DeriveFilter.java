package io.llmlog.server.pipeline;

import io.llmlog.core.InvalidFieldException;
import io.llmlog.core.Performance;
import io.llmlog.core.TokenUsage;

/**
 * Fills in what follows from what was measured, without overwriting a value that was sent: {@code
 * total_tokens}, {@code generation_ms} and {@code tokens_per_second}, by the same rules as the SDK
 * ({@link TokenUsage#totalTokens()}, {@link Performance#derive(Integer)}). Values that break the
 * schema are left for validation to reject with a clear message.
 */
final class DeriveFilter implements Filter {
  @Override
  public String name() {
    return "derive";
  }

  @Override
  public boolean apply(Event event) {
    try {
      Integer output = integer(event, "output_tokens");
      if (!event.has("total_tokens")) {
        Integer total =
            new TokenUsage(integer(event, "input_tokens"), output, null, null).totalTokens();
        if (total != null) {
          event.set("total_tokens", total);
        }
      }
      Performance measured =
          new Performance(
              number(event, "latency_ms"),
              number(event, "ttft_ms"),
              number(event, "queue_wait_ms"),
              number(event, "generation_ms"),
              number(event, "tokens_per_second"));
      Performance derived = measured.derive(output);
      setIfAbsent(event, "generation_ms", derived.generationMs());
      setIfAbsent(event, "tokens_per_second", derived.tokensPerSecond());
    } catch (InvalidFieldException | NumberFormatException invalid) {
      // Validation after the pipeline names the field; deriving from bad values would only hide it.
    }
    return true;
  }

  private static void setIfAbsent(Event event, String field, Double value) {
    if (value != null && !event.has(field)) {
      event.set(field, value);
    }
  }

  /** A numeric field, reading numbers sent as text; null when absent. */
  static Double number(Event event, String field) {
    Object value = event.get(field);
    if (value instanceof Number number) {
      return number.doubleValue();
    }
    if (value instanceof String text) {
      return Double.parseDouble(text.trim());
    }
    return null;
  }

  private static Integer integer(Event event, String field) {
    Double value = number(event, field);
    if (value == null) {
      return null;
    }
    if (value != Math.rint(value) || Math.abs(value) > Integer.MAX_VALUE) {
      throw new NumberFormatException(field);
    }
    return value.intValue();
  }
}

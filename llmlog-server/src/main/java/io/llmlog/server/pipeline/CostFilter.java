package io.llmlog.server.pipeline;

import io.llmlog.core.LogField;
import io.llmlog.core.cost.PriceTable;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.LongAdder;

/**
 * Prices each call from its model and token counts ({@link PriceTable}: input, cached input, output
 * and reasoning tokens), unless the application sent {@code cost_usd} itself. A model the table
 * does not know gets no cost and is counted, so the gap is visible rather than a silent zero.
 */
final class CostFilter implements Filter {
  private final PriceTable prices;
  private final LongAdder priced = new LongAdder();
  private final LongAdder unknownModel = new LongAdder();

  CostFilter(PriceTable prices) {
    this.prices = prices;
  }

  @Override
  public String name() {
    return "cost";
  }

  @Override
  public boolean apply(Event event) {
    String model = event.getString(LogField.MODEL.jsonName());
    if (model == null || event.has(LogField.COST_USD.jsonName())) {
      return true;
    }
    Double input = number(event, LogField.INPUT_TOKENS);
    Double output = number(event, LogField.OUTPUT_TOKENS);
    if (input == null && output == null) {
      return true;
    }
    OptionalDouble cost =
        prices.costUsd(
            model,
            whole(input),
            whole(number(event, LogField.CACHED_INPUT_TOKENS)),
            whole(output),
            whole(number(event, LogField.REASONING_TOKENS)));
    if (cost.isPresent()) {
      event.set(LogField.COST_USD.jsonName(), cost.getAsDouble());
      priced.increment();
    } else {
      unknownModel.increment();
    }
    return true;
  }

  @Override
  public java.util.Map<String, Object> details() {
    return java.util.Map.of(
        "priced", priced(), "unknown_model", unknownModel(), "prices_as_of", prices.asOf());
  }

  long priced() {
    return priced.sum();
  }

  long unknownModel() {
    return unknownModel.sum();
  }

  private static Double number(Event event, LogField field) {
    try {
      return DeriveFilter.number(event, field.jsonName());
    } catch (NumberFormatException notANumber) {
      return null;
    }
  }

  private static long whole(Double value) {
    return value == null || value < 0 ? 0 : value.longValue();
  }
}

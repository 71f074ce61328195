/**
 * The cost of a call: {@link io.llmlog.core.cost.PriceTable} maps model names to {@link
 * io.llmlog.core.cost.ModelPrice}s (USD per million input, cached input, output and reasoning
 * tokens). The shipped prices are in {@code model-prices.json} with the date they were taken;
 * deployments override them from configuration, through the same reader.
 */
package io.llmlog.core.cost;

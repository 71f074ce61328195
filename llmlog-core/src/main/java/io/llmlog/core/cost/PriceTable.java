package io.llmlog.core.cost;

import io.llmlog.core.LlmLogEntry;
import io.llmlog.core.NearestName;
import io.llmlog.core.TokenUsage;
import io.llmlog.core.codec.JsonMaps;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Model prices, and the cost of a call from its token counts. Immutable and thread-safe.
 *
 * <p>{@link #defaults()} are list prices of common OpenAI, Anthropic, Google, DeepSeek, Qwen and
 * Mistral models as of {@link #asOf()}, from {@code model-prices.json} next to this class. Prices
 * change: deployments override them with {@link #withOverrides}.
 *
 * <h2>Finding a model's price</h2>
 *
 * The name is lower-cased and anything up to its last {@code /} dropped ({@code openai/gpt-4o},
 * {@code models/gemini-1.5-pro}). Then: the exact name; else the longest known prefix that ends
 * where the name has a {@code -}, {@code _}, {@code :}, {@code @} or space, so that dated snapshots
 * and variants find their family ({@code gpt-4o-2024-08-06} → {@code gpt-4o}, {@code
 * gpt-4o-mini-2024-07-18} → {@code gpt-4o-mini}, {@code claude-3-5-sonnet@20240620} → {@code
 * claude-3-5-sonnet}) but a different version never does ({@code gpt-4.5-x} is not {@code gpt-4},
 * {@code gpt-4o-x} is not {@code gpt-4}). Else, when the name starts with a provider or region
 * prefix made of letters and a dot ({@code anthropic.}, {@code us.anthropic.}), the same without
 * it. Else the model is unknown.
 */
public final class PriceTable {
  private static final String RESOURCE = "model-prices.json";
  private static final Set<String> ENTRY_KEYS =
      Set.of("input", "cached_input", "output", "reasoning", "same_as");
  private static final String BOUNDARIES = "-_:@ ";

  private final Map<String, ModelPrice> prices;
  private final String asOf;

  private PriceTable(Map<String, ModelPrice> prices, String asOf) {
    this.prices = Collections.unmodifiableMap(prices);
    this.asOf = asOf;
  }

  /** The shipped prices. */
  public static PriceTable defaults() {
    return Defaults.TABLE;
  }

  /** A table of exactly these prices; names are matched case-insensitively. */
  public static PriceTable of(Map<String, ModelPrice> prices) {
    Map<String, ModelPrice> copy = new LinkedHashMap<>();
    prices.forEach(
        (model, price) ->
            copy.put(normalizedKey(model, model), Objects.requireNonNull(price, model)));
    return new PriceTable(copy, null);
  }

  private static final class Defaults {
    static final PriceTable TABLE = load();

    private static PriceTable load() {
      try (InputStream in = PriceTable.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(RESOURCE + " is missing from the classpath");
        }
        Map<String, Object> document = JsonMaps.readObject(in);
        @SuppressWarnings("unchecked")
        Map<String, ?> models = (Map<String, ?>) document.get("models");
        return new PriceTable(new LinkedHashMap<>(), (String) document.get("as_of"))
            .withOverrides(models);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + RESOURCE, e);
      }
    }
  }

  /**
   * This table with prices added or replaced, from configuration (YAML parsed into maps):
   *
   * <pre>
   * gpt-4o: {input: 2.5, cached_input: 1.25, output: 10}   # USD per 1M tokens
   * my-azure-deployment: {same_as: gpt-4o}                  # price it as another model
   * </pre>
   *
   * {@code input} and {@code output} are required; {@code cached_input} defaults to {@code input}
   * and {@code reasoning} to {@code output}. An entry replaces the model's price as a whole. {@code
   * same_as} names any model this table (with the overrides) can price.
   *
   * @throws IllegalArgumentException whose message starts with the offending key, such as {@code
   *     gpt-4o.input}
   */
  public PriceTable withOverrides(Map<String, ?> overrides) {
    Map<String, ModelPrice> merged = new LinkedHashMap<>(prices);
    Map<String, String> aliases = new LinkedHashMap<>();
    overrides.forEach(
        (name, value) -> {
          String model = normalizedKey(String.valueOf(name), String.valueOf(name));
          if (!(value instanceof Map)) {
            throw new IllegalArgumentException(
                name + ": must be a map with input and output, or same_as; was " + value);
          }
          Map<?, ?> entry = (Map<?, ?>) value;
          for (Object key : entry.keySet()) {
            if (!ENTRY_KEYS.contains(String.valueOf(key))) {
              throw new IllegalArgumentException(
                  name
                      + "."
                      + key
                      + ": unknown key"
                      + NearestName.hint(String.valueOf(key), ENTRY_KEYS));
            }
          }
          if (entry.containsKey("same_as")) {
            if (entry.size() > 1) {
              throw new IllegalArgumentException(name + ".same_as: cannot be combined with prices");
            }
            if (!(entry.get("same_as") instanceof String)) {
              throw new IllegalArgumentException(
                  name + ".same_as: must be a model name, was " + entry.get("same_as"));
            }
            aliases.put(model, (String) entry.get("same_as"));
            return;
          }
          double input = price(name, entry, "input", null);
          double output = price(name, entry, "output", null);
          try {
            merged.put(
                model,
                new ModelPrice(
                    input,
                    price(name, entry, "cached_input", input),
                    output,
                    price(name, entry, "reasoning", output)));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + "." + e.getMessage(), e);
          }
        });
    // Aliases may point at models priced in the same overrides, or at other aliases.
    while (!aliases.isEmpty()) {
      int before = aliases.size();
      PriceTable sofar = new PriceTable(merged, asOf);
      aliases
          .entrySet()
          .removeIf(
              alias -> {
                Optional<ModelPrice> target = sofar.find(alias.getValue());
                target.ifPresent(price -> merged.put(alias.getKey(), price));
                return target.isPresent();
              });
      if (aliases.size() == before) {
        Map.Entry<String, String> unresolved = aliases.entrySet().iterator().next();
        throw new IllegalArgumentException(
            unresolved.getKey() + ".same_as: unknown model \"" + unresolved.getValue() + "\"");
      }
    }
    return new PriceTable(merged, asOf);
  }

  private static double price(Object model, Map<?, ?> entry, String key, Double fallback) {
    Object value = entry.get(key);
    if (value == null) {
      if (fallback == null) {
        throw new IllegalArgumentException(model + "." + key + ": is required");
      }
      return fallback;
    }
    if (!(value instanceof Number)
        || !(((Number) value).doubleValue() >= 0)
        || Double.isInfinite(((Number) value).doubleValue())) {
      throw new IllegalArgumentException(
          model + "." + key + ": must be a number >= 0 (USD per 1M tokens), was " + value);
    }
    return ((Number) value).doubleValue();
  }

  private static String normalizedKey(String model, String name) {
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("model names must not be blank, was \"" + name + "\"");
    }
    return model.trim().toLowerCase(Locale.ROOT);
  }

  /** The price of a model, found as the class comment describes, or empty when it is unknown. */
  public Optional<ModelPrice> find(String model) {
    if (model == null || model.isBlank()) {
      return Optional.empty();
    }
    String name = model.trim().toLowerCase(Locale.ROOT);
    name = name.substring(name.lastIndexOf('/') + 1);
    while (!name.isEmpty()) {
      ModelPrice price = longestPrefix(name);
      if (price != null) {
        return Optional.of(price);
      }
      int dot = providerPrefixEnd(name);
      if (dot < 0) {
        return Optional.empty();
      }
      name = name.substring(dot + 1);
    }
    return Optional.empty();
  }

  private ModelPrice longestPrefix(String name) {
    int end = name.length();
    while (end > 0) {
      ModelPrice price = prices.get(name.substring(0, end));
      if (price != null) {
        return price;
      }
      do {
        end--;
      } while (end > 0 && BOUNDARIES.indexOf(name.charAt(end)) < 0);
    }
    return null;
  }

  /** The index of the dot after a leading run of letters ({@code anthropic.}), or -1. */
  private static int providerPrefixEnd(String name) {
    int k = 0;
    while (k < name.length() && name.charAt(k) >= 'a' && name.charAt(k) <= 'z') {
      k++;
    }
    return k > 0 && k < name.length() - 1 && name.charAt(k) == '.' ? k : -1;
  }

  /**
   * What a call cost, or empty when the model is unknown.
   *
   * @see ModelPrice#costUsd
   */
  public OptionalDouble costUsd(
      String model,
      long inputTokens,
      long cachedInputTokens,
      long outputTokens,
      long reasoningTokens) {
    Optional<ModelPrice> price = find(model);
    return price.isPresent()
        ? OptionalDouble.of(
            price.get().costUsd(inputTokens, cachedInputTokens, outputTokens, reasoningTokens))
        : OptionalDouble.empty();
  }

  /**
   * What an entry's call cost from its model and token usage (counts not reported count as 0), or
   * empty when the model is unknown or neither input nor output tokens were reported. The entry's
   * own {@code cost_usd} is not looked at: whether to trust it is the caller's call.
   */
  public OptionalDouble costUsd(LlmLogEntry entry) {
    TokenUsage usage = entry.usage();
    if (usage.inputTokens() == null && usage.outputTokens() == null) {
      return OptionalDouble.empty();
    }
    return costUsd(
        entry.model(),
        orZero(usage.inputTokens()),
        orZero(usage.cachedInputTokens()),
        orZero(usage.outputTokens()),
        orZero(usage.reasoningTokens()));
  }

  private static long orZero(Integer count) {
    return count == null ? 0 : count;
  }

  /** Every priced model by lower-case name, aliases included. */
  public Map<String, ModelPrice> prices() {
    return prices;
  }

  /**
   * The date of the shipped prices ({@code 2025-08}), or null for a table built with {@link #of}.
   */
  public String asOf() {
    return asOf;
  }
}

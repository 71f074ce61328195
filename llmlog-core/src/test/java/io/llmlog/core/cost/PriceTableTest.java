package io.llmlog.core.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.llmlog.core.LlmLogEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PriceTableTest {
  private static final PriceTable DEFAULTS = PriceTable.defaults();

  private static ModelPrice price(String model) {
    return DEFAULTS.find(model).orElseThrow(() -> new AssertionError("no price for " + model));
  }

  @Test
  void defaults_coverTheCommonModelsAndSayWhenTheyWereTaken() {
    assertThat(DEFAULTS.asOf()).isEqualTo("2025-08");
    for (String model :
        List.of(
            "gpt-4o",
            "gpt-4o-mini",
            "gpt-4.1",
            "gpt-4.1-mini",
            "gpt-4.1-nano",
            "o1",
            "o3",
            "o3-mini",
            "o4-mini",
            "gpt-4",
            "gpt-4-turbo",
            "gpt-3.5-turbo",
            "claude-3-5-sonnet",
            "claude-3-7-sonnet",
            "claude-sonnet-4",
            "claude-3-5-haiku",
            "claude-opus-4",
            "gemini-1.5-pro",
            "gemini-1.5-flash",
            "gemini-2.0-flash",
            "gemini-2.5-pro",
            "gemini-2.5-flash",
            "deepseek-chat",
            "deepseek-reasoner",
            "qwen-max",
            "qwen-plus",
            "mistral-large",
            "mistral-small")) {
      assertThat(DEFAULTS.find(model)).as(model).isPresent();
    }
    assertThat(price("gpt-4o")).isEqualTo(new ModelPrice(2.50, 1.25, 10.00, 10.00));
    assertThat(price("gpt-4")).isEqualTo(ModelPrice.of(30, 60));
  }

  @Test
  void find_datedSnapshotsAndVariants_findTheirFamily() {
    assertThat(price("gpt-4o-2024-08-06")).isEqualTo(price("gpt-4o"));
    assertThat(price("gpt-4o-mini-2024-07-18"))
        .isEqualTo(price("gpt-4o-mini"))
        .isNotEqualTo(price("gpt-4o"));
    assertThat(price("gpt-4-turbo-2024-04-09"))
        .isEqualTo(price("gpt-4-turbo"))
        .isNotEqualTo(price("gpt-4"));
    assertThat(price("gpt-4-0613")).isEqualTo(price("gpt-4"));
    assertThat(price("gpt-4.1-mini-2025-04-14")).isEqualTo(price("gpt-4.1-mini"));
    assertThat(price("o3-mini-2025-01-31")).isEqualTo(price("o3-mini")).isNotEqualTo(price("o3"));
    assertThat(price("claude-3-5-sonnet-20241022")).isEqualTo(price("claude-3-5-sonnet"));
    assertThat(price("claude-3-5-sonnet-v2@20241022")).isEqualTo(price("claude-3-5-sonnet"));
    assertThat(price("gemini-2.5-flash-lite-preview-06-17"))
        .isEqualTo(price("gemini-2.5-flash-lite"))
        .isNotEqualTo(price("gemini-2.5-flash"));
    assertThat(price("mistral-large-latest")).isEqualTo(price("mistral-large"));
  }

  @Test
  void find_exactNameBeatsItsFamily() {
    assertThat(price("gpt-4o-2024-05-13")).isEqualTo(ModelPrice.of(5, 15));
    assertThat(price("gpt-4-1106-preview")).isEqualTo(price("gpt-4-turbo"));
  }

  @Test
  void find_caseAndProviderPrefixes_areIgnored() {
    assertThat(price("GPT-4o")).isEqualTo(price("gpt-4o"));
    assertThat(price("openai/gpt-4o-mini")).isEqualTo(price("gpt-4o-mini"));
    assertThat(price("models/gemini-1.5-pro-002")).isEqualTo(price("gemini-1.5-pro"));
    assertThat(price("anthropic/claude-3.5-sonnet")).isEqualTo(price("claude-3-5-sonnet"));
    assertThat(price("anthropic.claude-3-5-sonnet-20240620-v1:0"))
        .isEqualTo(price("claude-3-5-sonnet"));
    assertThat(price("us.anthropic.claude-3-7-sonnet-20250219-v1:0"))
        .isEqualTo(price("claude-3-7-sonnet"));
    assertThat(price("  gpt-4o  ")).isEqualTo(price("gpt-4o"));
  }

  @Test
  void find_otherVersionsAndUnknownModels_areEmpty() {
    assertThat(DEFAULTS.find("gpt-4.7")).isEmpty();
    assertThat(DEFAULTS.find("gpt-4omni")).isEmpty();
    assertThat(DEFAULTS.find("llama-3-70b")).isEmpty();
    assertThat(DEFAULTS.find("my-azure-deployment")).isEmpty();
    assertThat(DEFAULTS.find("")).isEmpty();
    assertThat(DEFAULTS.find(null)).isEmpty();
    assertThat(DEFAULTS.costUsd("llama-3-70b", 1000, 0, 1000, 0)).isEmpty();
  }

  @Test
  void costUsd_cachedAndReasoningTokens_arePricedApart() {
    // o4-mini: input 1.10, cached 0.275, output 4.40 (reasoning as output).
    double cost = DEFAULTS.costUsd("o4-mini", 10_000, 4_000, 3_000, 2_000).orElseThrow();
    double expected = (6_000 * 1.10 + 4_000 * 0.275 + 1_000 * 4.40 + 2_000 * 4.40) / 1e6;
    assertThat(cost).isCloseTo(expected, within(1e-12));
  }

  @Test
  void costUsd_separateReasoningPrice_isUsed() {
    ModelPrice price = new ModelPrice(1, 0.5, 4, 8);
    assertThat(price.costUsd(1_000_000, 0, 1_000_000, 250_000)).isCloseTo(1 + 3 + 2, within(1e-9));
  }

  @Test
  void costUsd_partsLargerThanTheirWhole_countAsTheWhole() {
    ModelPrice price = new ModelPrice(2, 1, 10, 10);
    assertThat(price.costUsd(100, 500, 10, 50)).isCloseTo((100 * 1 + 10 * 10) / 1e6, within(1e-12));
    assertThatThrownBy(() -> price.costUsd(-1, 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void costUsd_entry_usesItsModelAndUsage() {
    LlmLogEntry entry =
        LlmLogEntry.builder()
            .timestamp(Instant.parse("2026-11-28T08:30:15Z"))
            .requestId("r")
            .model("gpt-4o-2024-11-20")
            .inputTokens(1_000_000)
            .cachedInputTokens(200_000)
            .outputTokens(100_000)
            .build();
    assertThat(DEFAULTS.costUsd(entry).orElseThrow())
        .isCloseTo(0.8 * 2.5 + 0.2 * 1.25 + 0.1 * 10, within(1e-9));
    LlmLogEntry noUsage =
        entry.toBuilder().inputTokens(null).cachedInputTokens(null).outputTokens(null).build();
    assertThat(DEFAULTS.costUsd(noUsage)).isEmpty();
  }

  @Test
  void withOverrides_addsReplacesAndAliases() {
    PriceTable table =
        DEFAULTS.withOverrides(
            Map.of(
                "gpt-4o", Map.of("input", 2, "output", 8),
                "My-Deployment", Map.of("same_as", "gpt-4o-2024-08-06"),
                "local-llama", Map.of("input", 0, "output", 0),
                "alias-of-alias", Map.of("same_as", "my-deployment")));
    assertThat(table.find("gpt-4o")).contains(ModelPrice.of(2, 8));
    assertThat(table.find("gpt-4o-2024-08-06")).contains(ModelPrice.of(2, 8));
    assertThat(table.find("my-deployment")).contains(ModelPrice.of(2, 8));
    assertThat(table.find("alias-of-alias")).contains(ModelPrice.of(2, 8));
    assertThat(table.costUsd("local-llama-3", 100, 0, 100, 0)).hasValue(0.0);
    assertThat(table.find("gpt-4o-mini")).isEqualTo(DEFAULTS.find("gpt-4o-mini"));
    assertThat(DEFAULTS.find("gpt-4o")).contains(new ModelPrice(2.50, 1.25, 10.00, 10.00));
  }

  @Test
  void withOverrides_mistakes_nameTheKey() {
    assertError(Map.of("m", Map.of("input", 1)), "m.output: is required");
    assertError(Map.of("m", Map.of("input", -1, "output", 1)), "m.input: must be a number >= 0");
    assertError(
        Map.of("m", Map.of("input", "cheap", "output", 1)), "m.input: must be a number >= 0");
    assertError(
        Map.of("m", Map.of("input", 1, "output", 1, "currency", "EUR")), "m.currency: unknown key");
    assertError(Map.of("m", Map.of("same_as", "nothing-like-it")), "m.same_as: unknown model");
    assertError(Map.of("m", 3), "m: must be a map");
  }

  private static void assertError(Map<String, ?> overrides, String message) {
    assertThatThrownBy(() -> DEFAULTS.withOverrides(overrides))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void of_exactPrices_matchCaseInsensitively() {
    PriceTable table = PriceTable.of(Map.of("Custom-Model", ModelPrice.of(1, 2)));
    assertThat(table.find("custom-model-v2")).contains(ModelPrice.of(1, 2));
    assertThat(table.asOf()).isNull();
  }
}

package io.llmlog.core.redact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactorConfigTest {
  @Test
  void fromConfig_allKeys_buildTheDescribedRedactor() {
    PiiRedactor redactor =
        PiiRedactor.fromConfig(
            Map.of(
                "recognizers",
                List.of("email", "phone", "secret"),
                "mode",
                "mask",
                "modes",
                Map.of("email", "hash"),
                "hmac_key",
                "config-key-0123456789",
                "custom",
                List.of(Map.of("name", "employee_id", "pattern", "EMP-\\d{6}", "mode", "token")),
                "regex_budget_per_char",
                64));

    String text = redactor.redact("a@b.cn 13812345678 EMP-123456 192.168.1.1").text();
    assertThat(text)
        .matches("\\[EMAIL:[0-9a-f]{12}] 138\\*\\*\\*\\*5678 \\[EMPLOYEE_ID] 192\\.168\\.1\\.1");
  }

  @Test
  void fromConfig_emptyOrNull_isTheDefaults() {
    assertThat(PiiRedactor.fromConfig(Map.of()).redact("a@b.cn").text()).isEqualTo("[EMAIL]");
    assertThat(PiiRedactor.fromConfig(null)).isSameAs(PiiRedactor.defaults());
  }

  @Test
  void fromConfig_mistakes_nameTheKey() {
    assertError(Map.of("recognisers", List.of("email")), "recognisers: unknown key");
    assertError(
        Map.of("recognizers", List.of("email", "passport")),
        "recognizers[1]: unknown recognizer \"passport\"");
    assertError(Map.of("recognizers", "email"), "recognizers: must be a list");
    assertError(Map.of("mode", "blur"), "mode: must be token, mask or hash");
    assertError(
        Map.of("modes", Map.of("phone", "blur")), "modes.phone: must be token, mask or hash");
    assertError(Map.of("modes", Map.of("passport", "mask")), "modes.passport: unknown recognizer");
    assertError(Map.of("mode", "hash"), "hmac_key: hash mode needs an hmac key");
    assertError(Map.of("hmac_key", "short"), "hmac_key: hmac key must be at least 16 bytes");
    assertError(Map.of("custom", List.of(Map.of("name", "x"))), "custom[0].pattern: is required");
    assertError(
        Map.of("custom", List.of(Map.of("name", "x", "pattern", "(unclosed"))),
        "custom[0].pattern: invalid pattern");
    assertError(
        Map.of("custom", List.of(Map.of("name", "X Y", "pattern", "a"))), "custom[0].name:");
    assertError(
        Map.of("custom", List.of(Map.of("name", "x", "pattern", "a", "flags", "i"))),
        "custom[0].flags: unknown key");
    assertError(
        Map.of("regex_budget_per_char", 0), "regex_budget_per_char: must be a whole number >= 1");
  }

  private static void assertError(Map<String, ?> config, String message) {
    assertThatThrownBy(() -> PiiRedactor.fromConfig(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }
}

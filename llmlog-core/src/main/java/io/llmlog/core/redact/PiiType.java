package io.llmlog.core.redact;

import java.util.Locale;

/**
 * The kinds of personal data and secrets the built-in recognizers find. Each has a config name
 * ({@code email}, {@code cn_id}, ...), which is also its key in {@link Redaction#counts()}, and a
 * replacement token ({@code [EMAIL]}, {@code [CN_ID]}, ...).
 *
 * <p>The declaration order is the tie-break when two recognizers match the same span: a secret
 * beats everything, a resident id beats a bank card (a valid id is the stronger evidence, and
 * UnionPay's 62 is also Gansu's region code), a card beats a phone number.
 */
public enum PiiType {
  /** API keys, access tokens, JWTs, private key blocks. */
  SECRET,
  /** Chinese resident identity numbers, check digit verified. */
  CN_ID,
  /** Payment card numbers, Luhn and issuer prefix verified. */
  BANK_CARD,
  /** Chinese mobile numbers and international E.164 numbers. */
  PHONE,
  /** E-mail addresses. */
  EMAIL,
  /** IPv4 and IPv6 addresses. */
  IP;

  private final String configName = name().toLowerCase(Locale.ROOT);
  private final String token = "[" + name() + "]";

  /** The name used in configuration and as the count key: {@code bank_card}. */
  public String configName() {
    return configName;
  }

  /** The replacement in {@link RedactionMode#TOKEN} mode: {@code [BANK_CARD]}. */
  public String token() {
    return token;
  }

  /**
   * The type with this config name, case-insensitive.
   *
   * @throws IllegalArgumentException listing the known names
   */
  public static PiiType fromConfigName(String name) {
    for (PiiType type : values()) {
      if (type.configName.equalsIgnoreCase(name)) {
        return type;
      }
    }
    throw new IllegalArgumentException(
        "unknown recognizer \"" + name + "\"; known: email, phone, cn_id, bank_card, ip, secret");
  }
}

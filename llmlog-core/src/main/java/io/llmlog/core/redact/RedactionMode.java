package io.llmlog.core.redact;

import java.util.Locale;

/** What a recognized value is replaced with. */
public enum RedactionMode {
  /** The type's token: {@code [EMAIL]}. Nothing of the value survives. */
  TOKEN,
  /**
   * A partial mask that keeps what helps a reader and nothing that identifies: {@code 138****5678},
   * {@code a***@example.com}, {@code 6222 **** **** 1234}, {@code 110101********1234}.
   */
  MASK,
  /**
   * A keyed pseudonym, {@code [EMAIL:3f2a9c1d0b7e]}: the first 12 hex digits of HMAC-SHA256(key,
   * type + ":" + normalized value). The same value gets the same pseudonym in every record and on
   * every server sharing the key, so logs can still be grouped by user; without the key the
   * pseudonym cannot be reversed by trying all phone numbers.
   */
  HASH;

  /**
   * Parses {@code token}, {@code mask} or {@code hash}, case-insensitive.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static RedactionMode parse(String text) {
    if (text != null) {
      for (RedactionMode mode : values()) {
        if (mode.name().equalsIgnoreCase(text.trim())) {
          return mode;
        }
      }
    }
    throw new IllegalArgumentException(
        "must be token, mask or hash, was " + (text == null ? "null" : "\"" + text + "\""));
  }

  /** The config spelling: {@code token}, {@code mask} or {@code hash}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}

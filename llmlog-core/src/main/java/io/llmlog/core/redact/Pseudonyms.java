package io.llmlog.core.redact;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed pseudonyms: the first 6 bytes (12 hex digits) of
 * {@code HMAC-SHA256(key, UTF-8(type + ":" + normalizedValue))}. The type is part of the input so
 * that the same digits as a phone number and as a card number do not link.
 *
 * <p>48 bits: two distinct values share a pseudonym with probability about n²/2⁴⁹, one in a
 * million for 17,000 distinct values — fine for grouping, not for joining.
 */
final class Pseudonyms {
  static final int HEX_DIGITS = 12;
  private static final String ALGORITHM = "HmacSHA256";
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final SecretKeySpec key;
  private final Mac prototype;

  Pseudonyms(byte[] key) {
    this.key = new SecretKeySpec(key, ALGORITHM);
    this.prototype = newMac(this.key);
  }

  /** A Mac for one redaction call; Macs are not thread-safe, the prototype is only cloned. */
  Mac mac() {
    try {
      return (Mac) prototype.clone();
    } catch (CloneNotSupportedException notCloneable) {
      return newMac(key);
    }
  }

  static String of(Mac mac, String type, String normalized) {
    mac.update(type.getBytes(StandardCharsets.UTF_8));
    mac.update((byte) ':');
    byte[] digest = mac.doFinal(normalized.getBytes(StandardCharsets.UTF_8));
    char[] hex = new char[HEX_DIGITS];
    for (int k = 0; k < HEX_DIGITS / 2; k++) {
      hex[2 * k] = HEX[(digest[k] >> 4) & 0xF];
      hex[2 * k + 1] = HEX[digest[k] & 0xF];
    }
    return new String(hex);
  }

  private static Mac newMac(SecretKeySpec key) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      // Every Java platform must provide HmacSHA256.
      throw new IllegalStateException(ALGORITHM + " is not available", e);
    }
  }
}

package io.llmlog.core.redact;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Keyed pseudonyms: the first 6 bytes (12 hex digits) of {@code HMAC-SHA256(key, UTF-8(type + ":" +
 * normalizedValue))}. The type is part of the input so that the same digits as a phone number and
 * as a card number do not link.
 *
 * <p>HMAC is computed as RFC 2104 defines it, {@code H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ m))}, from two
 * SHA-256 states that have absorbed {@code K ⊕ ipad} and {@code K ⊕ opad} once, here; each
 * pseudonym clones them. That halves the hashing of {@link javax.crypto.Mac}, which re-absorbs the
 * padded key for every message, and needs no per-thread state. The immutable prototypes are only
 * ever cloned, so sharing them between threads is safe.
 *
 * <p>48 bits: two distinct values share a pseudonym with probability about n²/2⁴⁹, one in a million
 * for 17,000 distinct values — fine for grouping, not for joining.
 */
final class Pseudonyms {
  static final int HEX_DIGITS = 12;
  private static final int BLOCK = 64;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final MessageDigest inner;
  private final MessageDigest outer;

  Pseudonyms(byte[] key) {
    byte[] k = key.length > BLOCK ? sha256().digest(key) : key;
    byte[] ipad = new byte[BLOCK];
    byte[] opad = new byte[BLOCK];
    for (int i = 0; i < BLOCK; i++) {
      byte b = i < k.length ? k[i] : 0;
      ipad[i] = (byte) (b ^ 0x36);
      opad[i] = (byte) (b ^ 0x5c);
    }
    inner = sha256();
    inner.update(ipad);
    outer = sha256();
    outer.update(opad);
    Arrays.fill(ipad, (byte) 0);
    Arrays.fill(opad, (byte) 0);
  }

  String of(String type, String normalized) {
    MessageDigest in = copy(inner);
    in.update(type.getBytes(StandardCharsets.US_ASCII));
    in.update((byte) ':');
    in.update(normalized.getBytes(StandardCharsets.UTF_8));
    MessageDigest out = copy(outer);
    byte[] digest = out.digest(in.digest());
    char[] hex = new char[HEX_DIGITS];
    for (int k = 0; k < HEX_DIGITS / 2; k++) {
      hex[2 * k] = HEX[(digest[k] >> 4) & 0xF];
      hex[2 * k + 1] = HEX[digest[k] & 0xF];
    }
    return new String(hex);
  }

  private static MessageDigest copy(MessageDigest prototype) {
    try {
      return (MessageDigest) prototype.clone();
    } catch (CloneNotSupportedException e) {
      // The JDK's SHA-256 is cloneable; a provider whose is not cannot serve HASH mode.
      throw new IllegalStateException("SHA-256 digests of this platform cannot be cloned", e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256.
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}

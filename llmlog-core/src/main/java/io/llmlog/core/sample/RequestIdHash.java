package io.llmlog.core.sample;

/**
 * The sampling hash of a request id. The SDKs (in any language) and every server version must
 * compute the same value forever, so it is spelled out here and pinned by golden tests:
 *
 * <ol>
 *   <li>Encode the request id as UTF-8. An unpaired surrogate is encoded as {@code '?'} (0x3F),
 *       which is what {@code String.getBytes(UTF_8)} does.
 *   <li>FNV-1a, 64 bit: {@code h = 0xcbf29ce484222325}; for each byte {@code b}: {@code h = (h XOR
 *       b) * 0x100000001b3} (mod 2⁶⁴).
 *   <li>Finalize with MurmurHash3's fmix64, which makes every output bit depend on every input bit:
 *       {@code h ^= h >>> 33; h *= 0xff51afd7ed558ccd; h ^= h >>> 33; h *= 0xc4ceb9fe1a85ec53; h ^=
 *       h >>> 33}.
 *   <li>The position of the id on [0, 1) is the top 53 bits: {@code (h >>> 11) * 2⁻⁵³}, exact in a
 *       double.
 * </ol>
 *
 * FNV-1a alone has weak high bits for short, similar ids ({@code req-1}, {@code req-2}); the
 * finalizer fixes that. Both steps are a few lines in any language, unlike xxHash, and run in tens
 * of nanoseconds, unlike SHA-256.
 */
final class RequestIdHash {
  static final long FNV_OFFSET = 0xcbf29ce484222325L;
  static final long FNV_PRIME = 0x100000001b3L;
  private static final double TWO_TO_MINUS_53 = 0x1.0p-53;

  private RequestIdHash() {}

  static long hash(String requestId) {
    long h = FNV_OFFSET;
    int length = requestId.length();
    for (int i = 0; i < length; i++) {
      char c = requestId.charAt(i);
      if (c < 0x80) {
        h = (h ^ c) * FNV_PRIME;
      } else if (c < 0x800) {
        h = (h ^ (0xC0 | (c >> 6))) * FNV_PRIME;
        h = (h ^ (0x80 | (c & 0x3F))) * FNV_PRIME;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < length
          && Character.isLowSurrogate(requestId.charAt(i + 1))) {
        int codePoint = Character.toCodePoint(c, requestId.charAt(++i));
        h = (h ^ (0xF0 | (codePoint >> 18))) * FNV_PRIME;
        h = (h ^ (0x80 | ((codePoint >> 12) & 0x3F))) * FNV_PRIME;
        h = (h ^ (0x80 | ((codePoint >> 6) & 0x3F))) * FNV_PRIME;
        h = (h ^ (0x80 | (codePoint & 0x3F))) * FNV_PRIME;
      } else if (Character.isSurrogate(c)) {
        h = (h ^ '?') * FNV_PRIME;
      } else {
        h = (h ^ (0xE0 | (c >> 12))) * FNV_PRIME;
        h = (h ^ (0x80 | ((c >> 6) & 0x3F))) * FNV_PRIME;
        h = (h ^ (0x80 | (c & 0x3F))) * FNV_PRIME;
      }
    }
    return fmix64(h);
  }

  static long fmix64(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  /** The id's position on [0, 1). */
  static double position(String requestId) {
    return (hash(requestId) >>> 11) * TWO_TO_MINUS_53;
  }
}

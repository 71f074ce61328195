package io.llmlog.client;

import java.util.concurrent.ThreadLocalRandom;

/**
 * W3C trace context ids, as OpenTelemetry makes them: 32 lowercase hex digits for a trace, 16 for a
 * span, never all zeros. Random from {@link ThreadLocalRandom}, as request ids are: an id must be
 * unique, not unguessable.
 */
final class W3cIds {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private W3cIds() {}

  static String newTraceId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    char[] id = new char[32];
    write(id, 0, nonZero(random));
    write(id, 16, random.nextLong());
    return new String(id);
  }

  static String newSpanId() {
    char[] id = new char[16];
    write(id, 0, nonZero(ThreadLocalRandom.current()));
    return new String(id);
  }

  /** {@code id} in lower case when it is {@code digits} hex digits and not all zeros; else null. */
  static String valid(String id, int digits) {
    if (id == null || id.length() != digits) {
      return null;
    }
    boolean zero = true;
    for (int i = 0; i < digits; i++) {
      char c = Character.toLowerCase(id.charAt(i));
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return null;
      }
      zero &= c == '0';
    }
    return zero ? null : id.toLowerCase(java.util.Locale.ROOT);
  }

  private static long nonZero(ThreadLocalRandom random) {
    long value;
    do {
      value = random.nextLong();
    } while (value == 0);
    return value;
  }

  private static void write(char[] into, int at, long value) {
    for (int i = 15; i >= 0; i--) {
      into[at + i] = HEX[(int) (value & 0xf)];
      value >>>= 4;
    }
  }
}

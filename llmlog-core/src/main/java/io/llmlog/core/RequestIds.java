package io.llmlog.core;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Random (version 4) UUIDs for request ids, as {@link LlmLogEntry#builder()} and the SDK make them.
 */
public final class RequestIds {
  private RequestIds() {}

  /**
   * A version 4 UUID from {@link ThreadLocalRandom}. {@link UUID#randomUUID()} draws from one
   * shared {@code SecureRandom}, which threads contend on; a request id needs to be unique, not
   * unguessable.
   */
  public static String next() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long most = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
    long least = (random.nextLong() & ~(0xC000000000000000L)) | 0x8000000000000000L; // IETF variant
    return new UUID(most, least).toString();
  }
}

package io.llmlog.server.gateway;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The bytes of a body as they passed through the gateway, kept for the record up to a limit, with
 * when each chunk arrived (a stream's time to first token is read from them later, off the call's
 * path). Beyond the limit the first bytes are kept, and the last {@link #TAIL} bytes as well: a
 * JSON answer ends with its usage, which is still found in a cut answer's tail.
 *
 * <p>Written by one thread at a time while the body passes, read after the call ended.
 */
final class Capture {
  static final int TAIL = 16 * 1024;

  private final int limit;
  private byte[] head = new byte[0];
  private int headLength;
  private byte[] tail;
  private int tailEnd;
  private long total;
  private long[] chunkEnds = new long[16];
  private long[] chunkNanos = new long[16];
  private int chunks;

  Capture(long limit) {
    this.limit = (int) Math.min(Integer.MAX_VALUE - 16, limit);
  }

  /** A capture of bytes already in memory. */
  static Capture of(byte[] bytes, long limit) {
    Capture capture = new Capture(limit);
    capture.add(ByteBuffer.wrap(bytes), System.nanoTime());
    return capture;
  }

  /** Keeps what fits of a chunk; the buffer's position is left as it was. */
  void add(ByteBuffer chunk, long nanos) {
    int length = chunk.remaining();
    if (length == 0) {
      return;
    }
    int position = chunk.position();
    int room = limit - headLength;
    if (room > 0) {
      int kept = Math.min(room, length);
      if (headLength + kept > head.length) {
        head =
            Arrays.copyOf(
                head,
                Math.min(limit, Math.max(headLength + kept, Math.max(1024, head.length * 2))));
      }
      chunk.get(position, head, headLength, kept);
      headLength += kept;
    }
    if (total + length > limit) {
      keepTail(chunk, position, length);
    }
    total += length;
    if (chunks == chunkEnds.length) {
      chunkEnds = Arrays.copyOf(chunkEnds, chunks * 2);
      chunkNanos = Arrays.copyOf(chunkNanos, chunks * 2);
    }
    chunkEnds[chunks] = total;
    chunkNanos[chunks] = nanos;
    chunks++;
  }

  private void keepTail(ByteBuffer chunk, int position, int length) {
    if (tail == null) {
      tail = new byte[TAIL];
    }
    for (int i = Math.max(0, length - TAIL); i < length; i++) {
      tail[tailEnd] = chunk.get(position + i);
      tailEnd = (tailEnd + 1) % TAIL;
    }
  }

  /** The bytes kept from the start. */
  byte[] head() {
    return head;
  }

  /** How many bytes of {@link #head()} are used. */
  int headLength() {
    return headLength;
  }

  /** True when everything that passed was kept. */
  boolean complete() {
    return total <= limit;
  }

  /** How many bytes passed. */
  long total() {
    return total;
  }

  /** The last bytes that passed, when the body was longer than the limit; else null. */
  byte[] tail() {
    if (complete()) {
      return null;
    }
    int size = (int) Math.min(TAIL, total);
    byte[] last = new byte[size];
    for (int i = 0; i < size; i++) {
      last[i] = tail[Math.floorMod(tailEnd - size + i, TAIL)];
    }
    return last;
  }

  /** When the byte at {@code offset} arrived (System.nanoTime), or -1 when it never did. */
  long arrival(long offset) {
    for (int i = 0; i < chunks; i++) {
      if (chunkEnds[i] > offset) {
        return chunkNanos[i];
      }
    }
    return -1;
  }

  /** Roughly what this capture holds in memory, for the queue's byte bound. */
  long footprint() {
    return head.length + (tail == null ? 0 : TAIL) + chunkEnds.length * 16L;
  }
}

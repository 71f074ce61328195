package io.llmlog.server.lifecycle;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An order-independent digest of a multiset of documents: the sum, lane by lane modulo 2^64, of
 * each document's SHA-256. An index scanned in any order and an archive read file by file give the
 * same value when they hold the same documents; a missing, extra or duplicated document changes it
 * (a sum, unlike an XOR, counts duplicates).
 */
final class Digest {
  private final long[] lanes = new long[4];
  private final MessageDigest sha;
  private long count;

  Digest() {
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Adds a document by id alone. */
  void addId(String id) {
    add(id.getBytes(StandardCharsets.UTF_8), null);
  }

  /** Adds a document by id and source bytes. */
  void add(String id, byte[] source) {
    add(id.getBytes(StandardCharsets.UTF_8), source);
  }

  private void add(byte[] id, byte[] source) {
    sha.reset();
    sha.update(id);
    if (source != null) {
      sha.update((byte) 0);
      sha.update(source);
    }
    ByteBuffer hash = ByteBuffer.wrap(sha.digest());
    for (int i = 0; i < lanes.length; i++) {
      lanes[i] += hash.getLong();
    }
    count++;
  }

  long count() {
    return count;
  }

  String hex() {
    ByteBuffer out = ByteBuffer.allocate(32);
    for (long lane : lanes) {
      out.putLong(lane);
    }
    return HexFormat.of().formatHex(out.array());
  }
}

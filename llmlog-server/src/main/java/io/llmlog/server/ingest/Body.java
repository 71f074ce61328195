package io.llmlog.server.ingest;

import io.llmlog.server.config.LlmlogConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * A request body read within the limits: at most {@code max_body_bytes} on the wire and {@code
 * max_decompressed_bytes} after gzip. Reading stops the moment a limit is passed, so a compression
 * bomb costs at most the decompressed limit of memory, never its inflated size. The bytes are kept
 * in fixed chunks so that nothing is copied or over-allocated while growing.
 */
public final class Body {
  private static final int CHUNK = 64 * 1024;

  private final List<byte[]> chunks;
  private final long size;

  private Body(List<byte[]> chunks, long size) {
    this.chunks = chunks;
    this.size = size;
  }

  /** A body that is already in memory. */
  public static Body of(byte[] bytes) {
    return new Body(List.of(bytes), bytes.length);
  }

  /**
   * Reads a request body.
   *
   * @param contentEncoding the request's {@code Content-Encoding}, or null
   * @param contentLength the declared length, or -1
   * @throws PayloadTooLargeException naming the limit that was passed
   * @throws BadRequestException when the encoding is unknown or the gzip data is corrupt
   */
  public static Body read(
      InputStream in, String contentEncoding, long contentLength, LlmlogConfig.Limits limits)
      throws IOException {
    if (contentLength > limits.maxBodyBytes()) {
      throw tooLarge("request body", contentLength, limits.maxBodyBytes(), "limits.max_body_bytes");
    }
    String encoding =
        contentEncoding == null ? "identity" : contentEncoding.trim().toLowerCase(Locale.ROOT);
    CountingInputStream wire =
        new CountingInputStream(in, limits.maxBodyBytes(), "request body", "limits.max_body_bytes");
    switch (encoding) {
      case "", "identity" -> {
        if (contentLength > 0) {
          return readDeclared(wire, (int) contentLength, limits.maxBodyBytes());
        }
        return readAll(wire, limits.maxBodyBytes(), "request body", "limits.max_body_bytes");
      }
      case "gzip", "x-gzip" -> {
        try (InputStream inflated = new GZIPInputStream(wire, 8192)) {
          return readAll(
              inflated,
              limits.maxDecompressedBytes(),
              "decompressed request body",
              "limits.max_decompressed_bytes");
        } catch (ZipException | java.io.EOFException e) {
          throw new BadRequestException("the gzip body is corrupt or truncated: " + e.getMessage());
        }
      }
      default ->
          throw new BadRequestException(
              "Content-Encoding '"
                  + contentEncoding
                  + "' is not supported; send gzip or no encoding");
    }
  }

  /**
   * A body whose length was declared (and checked against the limit): one array of that length,
   * which the parsers then use without copying chunks together. Whatever follows a body shorter
   * than declared, or longer, is read as chunks as usual.
   */
  private static Body readDeclared(InputStream in, int length, long limit) throws IOException {
    byte[] bytes = new byte[length];
    int filled = 0;
    while (filled < length) {
      int read = in.read(bytes, filled, length - filled);
      if (read < 0) {
        return new Body(List.of(java.util.Arrays.copyOf(bytes, filled)), filled);
      }
      filled += read;
    }
    Body rest = readAll(in, limit - length, "request body", "limits.max_body_bytes");
    if (rest.isEmpty()) {
      return new Body(List.of(bytes), length);
    }
    List<byte[]> chunks = new ArrayList<>();
    chunks.add(bytes);
    chunks.addAll(rest.chunks);
    return new Body(Collections.unmodifiableList(chunks), length + rest.size);
  }

  private static Body readAll(InputStream in, long limit, String what, String key)
      throws IOException {
    List<byte[]> chunks = new ArrayList<>();
    long total = 0;
    while (true) {
      byte[] chunk = new byte[CHUNK];
      int filled = 0;
      while (filled < CHUNK) {
        int read = in.read(chunk, filled, CHUNK - filled);
        if (read < 0) {
          break;
        }
        filled += read;
        if (total + filled > limit) {
          throw tooLarge(what, total + filled, limit, key);
        }
      }
      if (filled > 0) {
        chunks.add(filled == CHUNK ? chunk : java.util.Arrays.copyOf(chunk, filled));
        total += filled;
      }
      if (filled < CHUNK) {
        return new Body(Collections.unmodifiableList(chunks), total);
      }
    }
  }

  static PayloadTooLargeException tooLarge(String what, long size, long limit, String key) {
    return new PayloadTooLargeException(
        what + " exceeds " + limit + " bytes" + " (the limit " + key + ")");
  }

  public long size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** The bytes as a stream, read from the chunks without copying. */
  public InputStream stream() {
    List<InputStream> streams = new ArrayList<>(chunks.size());
    for (byte[] chunk : chunks) {
      streams.add(new ByteArrayInputStream(chunk));
    }
    return new SequenceInputStream(Collections.enumeration(streams));
  }

  /** The bytes as one array (copied when the body spans several chunks). */
  public byte[] bytes() {
    if (chunks.size() == 1) {
      return chunks.get(0);
    }
    byte[] all = new byte[(int) size];
    int offset = 0;
    for (byte[] chunk : chunks) {
      System.arraycopy(chunk, 0, all, offset, chunk.length);
      offset += chunk.length;
    }
    return all;
  }

  /** Stops reading the wire once more than the limit has arrived, whatever Content-Length said. */
  private static final class CountingInputStream extends java.io.FilterInputStream {
    private final long limit;
    private final String what;
    private final String key;
    private long count;

    CountingInputStream(InputStream in, long limit, String what, String key) {
      super(in);
      this.limit = limit;
      this.what = what;
      this.key = key;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int read = super.read(buffer, offset, length);
      if (read > 0) {
        count(read);
      }
      return read;
    }

    private void count(int read) {
      count += read;
      if (count > limit) {
        throw tooLarge(what, count, limit, key);
      }
    }
  }
}

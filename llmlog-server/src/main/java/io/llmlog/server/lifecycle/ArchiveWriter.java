package io.llmlog.server.lifecycle;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes one archive set's part files: NDJSON lines {@code {"_id": ..., "_source": {...}}},
 * compressed, a new part once a part holds {@code partBytes} of NDJSON. Each part is written under
 * a temporary name and renamed into place when finished and fsynced; the caller writes the manifest
 * after {@link #finish()}.
 */
final class ArchiveWriter implements AutoCloseable {
  private static final byte[] ID = "{\"_id\":".getBytes(StandardCharsets.UTF_8);
  private static final byte[] SOURCE = ",\"_source\":".getBytes(StandardCharsets.UTF_8);
  private static final byte[] END = "}\n".getBytes(StandardCharsets.UTF_8);

  private final Path dir;
  private final Compression compression;
  private final long partBytes;
  private final ObjectMapper json;
  private final Digest ids = new Digest();
  private final Digest content = new Digest();
  private final List<Manifest.FileEntry> files = new ArrayList<>();
  private Part part;

  ArchiveWriter(Path dir, Compression compression, long partBytes, ObjectMapper json) {
    this.dir = dir;
    this.compression = compression;
    this.partBytes = partBytes;
    this.json = json;
  }

  /** The name of part {@code n}: {@code part-00000.ndjson.gz}. */
  static String partName(int n, Compression compression) {
    return String.format("part-%05d%s", n, compression.extension());
  }

  void add(String id, byte[] source) throws IOException {
    if (id == null || source == null) {
      throw new ArchiveException("a document without id or source cannot be archived");
    }
    if (part == null) {
      part = new Part(files.size());
    }
    part.write(ID);
    part.write(json.writeValueAsBytes(id));
    part.write(SOURCE);
    part.write(source);
    part.write(END);
    part.documents++;
    ids.addId(id);
    content.add(id, source);
    if (part.raw >= partBytes) {
      files.add(part.finish());
      part = null;
    }
  }

  /** Closes the last part; returns every part written. */
  List<Manifest.FileEntry> finish() throws IOException {
    if (part != null) {
      files.add(part.finish());
      part = null;
    }
    return List.copyOf(files);
  }

  Digest ids() {
    return ids;
  }

  Digest content() {
    return content;
  }

  /**
   * Leaves an unfinished part's temporary file behind; the set has no manifest and will be cleaned
   * up.
   */
  @Override
  public void close() throws IOException {
    if (part != null) {
      part.abandon();
      part = null;
    }
  }

  /**
   * One part being written: NDJSON → compressor → SHA-256 and byte count of the stored bytes →
   * file.
   */
  private final class Part {
    private final String name;
    private final Path temporary;
    private final FileChannel channel;
    private final MessageDigest sha;
    private final Counting stored;
    private final OutputStream out;
    long raw;
    long documents;

    Part(int number) throws IOException {
      this.name = partName(number, compression);
      this.temporary = dir.resolve("." + name + ".tmp");
      this.channel =
          FileChannel.open(
              temporary,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE);
      try {
        this.sha = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
      this.stored =
          new Counting(new DigestOutputStream(new ArchiveStore.SyncingOutputStream(channel), sha));
      this.out = new BufferedOutputStream(compression.compress(stored), 64 * 1024);
    }

    void write(byte[] bytes) throws IOException {
      out.write(bytes);
      raw += bytes.length;
    }

    Manifest.FileEntry finish() throws IOException {
      out.close(); // compressor trailer, then fsync and close of the file
      ArchiveStore.moveIntoPlace(temporary, dir.resolve(name));
      return new Manifest.FileEntry(
          name, documents, raw, stored.count, HexFormat.of().formatHex(sha.digest()));
    }

    void abandon() throws IOException {
      channel.close();
    }
  }

  private static final class Counting extends FilterOutputStream {
    long count;

    Counting(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}

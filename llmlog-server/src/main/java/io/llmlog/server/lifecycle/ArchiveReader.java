package io.llmlog.server.lifecycle;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.server.store.IndexAdmin;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads an archive set's documents back, part by part, one line at a time. A part read to its end
 * is checked against the manifest (SHA-256 of its stored bytes and its number of documents); a
 * mismatch is an {@link ArchiveException}, never silently skipped.
 */
final class ArchiveReader {
  private final ObjectMapper json;

  ArchiveReader(ObjectMapper json) {
    this.json = json;
  }

  /** Told each document; returns false to stop reading. */
  @FunctionalInterface
  interface Visitor {
    boolean visit(int file, long line, String id, byte[] source) throws IOException;
  }

  /** Reads every document of the set, checking every part. */
  void readAll(ArchiveStore.ArchiveSet set, Visitor visitor) throws IOException {
    read(set, 0, 0, visitor);
  }

  /**
   * Reads from line {@code fromLine} (0-based) of part {@code fromFile} on, until the visitor says
   * stop. Parts are checked when they are read to their end.
   *
   * @return true when the whole set was read
   */
  boolean read(ArchiveStore.ArchiveSet set, int fromFile, long fromLine, Visitor visitor)
      throws IOException {
    Manifest manifest = set.manifest();
    List<Manifest.FileEntry> files = manifest.files();
    for (int f = fromFile; f < files.size(); f++) {
      Manifest.FileEntry entry = files.get(f);
      Path file = set.dir().resolve(entry.name());
      MessageDigest sha = sha256();
      long line = 0;
      try (InputStream stored =
              new DigestInputStream(
                  new BufferedInputStream(Files.newInputStream(file), 64 * 1024), sha);
          InputStream in = manifest.compression().decompress(stored)) {
        Lines lines = new Lines(in);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(8192);
        while (lines.next(buffer)) {
          if (f == fromFile && line < fromLine) {
            line++;
            continue;
          }
          byte[] bytes = buffer.toByteArray();
          String id = null;
          byte[] source = null;
          try (JsonParser p = json.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
              throw corrupt(file, line, "not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String name = p.currentName();
              p.nextToken();
              if (name.equals("_id")) {
                id = p.getText();
              } else if (name.equals("_source")) {
                source = IndexAdmin.copyExact(p, json.getFactory());
              } else {
                p.skipChildren();
              }
            }
          } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw corrupt(file, line, e.getOriginalMessage());
          }
          if (id == null || source == null) {
            throw corrupt(file, line, "no _id or no _source");
          }
          if (!visitor.visit(f, line, id, source)) {
            return false;
          }
          line++;
        }
        // The rest of the stored bytes (a compressor's trailer) still counts for the checksum.
        stored.transferTo(java.io.OutputStream.nullOutputStream());
      } catch (NoSuchFileException e) {
        throw new ArchiveException("archive file " + file + " is missing; the manifest lists it");
      } catch (java.util.zip.ZipException | java.io.EOFException e) {
        throw new ArchiveException("archive file " + file + " is damaged: " + e.getMessage(), e);
      }
      String actual = HexFormat.of().formatHex(sha.digest());
      if (!actual.equals(entry.sha256())) {
        throw new ArchiveException(
            "archive file "
                + file
                + " has SHA-256 "
                + actual
                + ", the manifest says "
                + entry.sha256());
      }
      if (line != entry.documents()) {
        throw new ArchiveException(
            "archive file "
                + file
                + " holds "
                + line
                + " documents, the manifest says "
                + entry.documents());
      }
    }
    return true;
  }

  private static ArchiveException corrupt(Path file, long line, String why) {
    return new ArchiveException(
        "archive file " + file + " line " + (line + 1) + " is not an archived document: " + why);
  }

  /** Splits a stream into lines without a byte-at-a-time read per character. */
  private static final class Lines {
    private final InputStream in;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;

    Lines(InputStream in) {
      this.in = in;
    }

    /** Reads one line without its newline into {@code line}; false at the end. */
    boolean next(ByteArrayOutputStream line) throws IOException {
      line.reset();
      while (true) {
        if (position == limit) {
          limit = in.read(buffer);
          position = 0;
          if (limit <= 0) {
            limit = 0;
            return line.size() > 0;
          }
        }
        for (int i = position; i < limit; i++) {
          if (buffer[i] == '\n') {
            line.write(buffer, position, i - position);
            position = i + 1;
            return true;
          }
        }
        line.write(buffer, position, limit - position);
        position = limit;
      }
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

package io.llmlog.server.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The archive directory on disk:
 *
 * <pre>
 * archive_dir/
 *   llm-logs-2026.08.01/          one folder per day index (with the index prefix)
 *     0001/                       one set per export of that day (usually just one)
 *       part-00000.ndjson.gz
 *       part-00001.ndjson.gz
 *       manifest.json             written last: the set is complete
 *       verification.json         written after the set was checked against the index
 * </pre>
 *
 * Every file is written to a temporary name, fsynced, renamed into place and its folder fsynced, so
 * a crash leaves either the whole file or none. A set without a manifest is an interrupted export;
 * folders are deleted by renaming them to {@code .trash-*} first, so a half-deleted set never looks
 * complete.
 */
final class ArchiveStore {
  static final String VERIFICATION = "verification.json";
  private static final String TRASH = ".trash-";

  private final Path root;
  private final String prefix;
  private final ObjectMapper json;

  ArchiveStore(Path root, String prefix, ObjectMapper json) {
    this.root = root;
    this.prefix = prefix;
    this.json = json;
  }

  Path root() {
    return root;
  }

  /**
   * One export of a day: complete when it has a manifest, checked against its index when it has a
   * verification.
   */
  record ArchiveSet(DayIndex day, int number, Path dir, Manifest manifest, JsonNode verification) {
    boolean complete() {
      return manifest != null;
    }
  }

  /** Every day with at least one set folder, by index name; sets in number order. */
  Map<String, List<ArchiveSet>> scan() {
    Map<String, List<ArchiveSet>> days = new TreeMap<>();
    if (!Files.isDirectory(root)) {
      return days;
    }
    try (DirectoryStream<Path> folders = Files.newDirectoryStream(root)) {
      for (Path folder : folders) {
        DayIndex day = DayIndex.parse(prefix, folder.getFileName().toString());
        if (day != null && Files.isDirectory(folder)) {
          List<ArchiveSet> sets = sets(day, folder);
          if (!sets.isEmpty()) {
            days.put(day.name(), sets);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the archive directory " + root, e);
    }
    return days;
  }

  /** The sets of one day, in number order; empty when there are none. */
  List<ArchiveSet> sets(DayIndex day) {
    Path folder = root.resolve(day.name());
    return Files.isDirectory(folder) ? sets(day, folder) : List.of();
  }

  private List<ArchiveSet> sets(DayIndex day, Path folder) {
    List<ArchiveSet> sets = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (!name.matches("\\d{4,9}") || !Files.isDirectory(entry)) {
          continue;
        }
        Manifest manifest = null;
        Path manifestFile = entry.resolve(Manifest.FILE);
        if (Files.exists(manifestFile)) {
          manifest = Manifest.fromJson(readJson(manifestFile), manifestFile.toString());
        }
        Path verificationFile = entry.resolve(VERIFICATION);
        JsonNode verification = Files.exists(verificationFile) ? readJson(verificationFile) : null;
        sets.add(new ArchiveSet(day, Integer.parseInt(name), entry, manifest, verification));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder, e);
    }
    sets.sort(Comparator.comparingInt(ArchiveSet::number));
    return sets;
  }

  /** Creates the folder of a new set, numbered after the day's last one. */
  Path newSet(DayIndex day) throws IOException {
    Path folder = root.resolve(day.name());
    boolean created = !Files.isDirectory(folder);
    Files.createDirectories(folder);
    if (created) {
      syncDirectory(root);
    }
    int next = sets(day, folder).stream().mapToInt(ArchiveSet::number).max().orElse(0) + 1;
    Path set = folder.resolve(String.format("%04d", next));
    Files.createDirectory(set);
    syncDirectory(folder);
    return set;
  }

  /** What writes the content of a file. */
  @FunctionalInterface
  interface Content {
    void write(OutputStream out) throws IOException;
  }

  /**
   * Writes {@code target} whole or not at all: temporary name, fsync, rename, fsync of the folder.
   */
  static void writeAtomically(Path target, Content content) throws IOException {
    Path temporary = target.resolveSibling("." + target.getFileName() + ".tmp");
    try (FileChannel channel =
            FileChannel.open(
                temporary,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        OutputStream out = new SyncingOutputStream(channel)) {
      content.write(out);
    }
    moveIntoPlace(temporary, target);
  }

  /** Renames a finished temporary file into place and makes the rename durable. */
  static void moveIntoPlace(Path temporary, Path target) throws IOException {
    try {
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException(
          "the archive directory's file system cannot rename atomically; archives need a local file system",
          e);
    }
    syncDirectory(target.getParent());
  }

  void writeJson(Path target, JsonNode document) throws IOException {
    writeAtomically(
        target,
        out -> out.write(json.writerWithDefaultPrettyPrinter().writeValueAsBytes(document)));
  }

  private JsonNode readJson(Path file) {
    try {
      return json.readTree(file.toFile());
    } catch (IOException e) {
      throw new ArchiveException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Deletes a set: renamed out of the day first, so that it stops counting before its files go. */
  void delete(ArchiveSet set) throws IOException {
    trash(set.dir());
  }

  /** Deletes a whole day of archives. */
  void deleteDay(DayIndex day) throws IOException {
    Path folder = root.resolve(day.name());
    if (Files.exists(folder)) {
      trash(folder);
    }
  }

  private void trash(Path folder) throws IOException {
    Path trash = root.resolve(TRASH + folder.getFileName() + "-" + System.nanoTime());
    Files.move(folder, trash, StandardCopyOption.ATOMIC_MOVE);
    syncDirectory(folder.getParent());
    deleteRecursively(trash);
  }

  /** Finishes deletions a crash interrupted. */
  void emptyTrash() throws IOException {
    if (!Files.isDirectory(root)) {
      return;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, TRASH + "*")) {
      for (Path entry : entries) {
        deleteRecursively(entry);
      }
    }
  }

  /**
   * Holds the archive directory for one run, so that two llmlog processes on this machine never
   * work on it at once. Null when another holds it.
   */
  FileLock lock() throws IOException {
    Files.createDirectories(root);
    FileChannel channel =
        FileChannel.open(
            root.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
      }
      return lock;
    } catch (OverlappingFileLockException e) {
      channel.close();
      return null;
    }
  }

  /** Free and total bytes of the archive directory's file system. */
  long usableSpace() throws IOException {
    Files.createDirectories(root);
    return Files.getFileStore(root).getUsableSpace();
  }

  static void syncDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some file systems cannot open a directory for fsync; the rename is then as durable as they
      // make it.
      if (!(e instanceof NoSuchFileException)
          && !String.valueOf(e.getMessage()).contains("Is a directory")) {
        throw e;
      }
    }
  }

  static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    Files.walkFileTree(
        path,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /** An output stream over a file channel whose close forces the content to disk first. */
  static final class SyncingOutputStream extends OutputStream {
    private final FileChannel channel;
    private final OutputStream out;

    SyncingOutputStream(FileChannel channel) {
      this.channel = channel;
      this.out = java.nio.channels.Channels.newOutputStream(channel);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      if (channel.isOpen()) {
        channel.force(true);
        channel.close();
      }
    }
  }
}

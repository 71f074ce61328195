package io.llmlog.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The pid of the process whose engine holds a data directory. OpenSearch's own lock says only that
 * the directory is taken; this file lets the error say by whom. It is written only while the lock
 * is held, so a file left behind by a killed process is simply overwritten by the next owner.
 */
final class PidFile {
  private PidFile() {}

  static void write(Path file) throws IOException {
    Files.writeString(
        file, Long.toString(ProcessHandle.current().pid()) + "\n", StandardCharsets.US_ASCII);
  }

  static OptionalLong read(Path file) {
    try {
      return OptionalLong.of(
          Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip()));
    } catch (IOException | NumberFormatException e) {
      // Missing or half-written: the holder is then simply unknown.
      return OptionalLong.empty();
    }
  }

  static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // Harmless: the next owner overwrites it.
    }
  }

  /** "another llmlog process (pid 42)", or what is known of the holder. */
  static String describeHolder(Path file) {
    OptionalLong pid = read(file);
    if (pid.isEmpty() || ProcessHandle.of(pid.getAsLong()).isEmpty()) {
      return "another llmlog or OpenSearch process";
    }
    if (pid.getAsLong() == ProcessHandle.current().pid()) {
      return "another engine in this same process (pid " + pid.getAsLong() + ")";
    }
    return "another llmlog process (pid " + pid.getAsLong() + ")";
  }
}

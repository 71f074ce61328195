package io.llmlog.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** What a result was measured on: cores, CPU model, memory, JDK and the load average right now. */
final class Machine {
  private Machine() {}

  static String describe() {
    return String.format(
        Locale.ROOT,
        "nproc %d, CPU \"%s\", %s memory, JDK %s %s (%s), heap -Xmx%d m; load average %s",
        Runtime.getRuntime().availableProcessors(),
        cpuModel(),
        memory(),
        System.getProperty("java.vm.vendor"),
        System.getProperty("java.runtime.version"),
        System.getProperty("java.vm.name"),
        Runtime.getRuntime().maxMemory() >> 20,
        load());
  }

  /** The 1-, 5- and 15-minute load averages, as /proc/loadavg has them. */
  static String load() {
    String line = read("/proc/loadavg");
    if (line == null) {
      return "unknown";
    }
    String[] parts = line.trim().split("\\s+");
    return parts[0] + " " + parts[1] + " " + parts[2];
  }

  /** The 1-minute load average, or NaN. */
  static double load1() {
    try {
      return Double.parseDouble(load().split(" ")[0]);
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  private static String cpuModel() {
    String info = read("/proc/cpuinfo");
    if (info != null) {
      for (String line : info.split("\n")) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    }
    return System.getProperty("os.arch");
  }

  private static String memory() {
    String info = read("/proc/meminfo");
    if (info != null) {
      for (String line : info.split("\n")) {
        if (line.startsWith("MemTotal:")) {
          long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
          return String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
        }
      }
    }
    return "unknown";
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}

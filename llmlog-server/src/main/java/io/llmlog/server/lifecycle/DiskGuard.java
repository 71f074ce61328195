package io.llmlog.server.lifecycle;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Pauses ingest before the disk under the data directory is full. The engine protects itself only
 * at its flood-stage watermark (95% used), by making every index read-only, which then needs a
 * person to undo; llmlog stops taking records earlier (by default below 8% free), answers 503 with
 * the reason, and takes them again by itself once there is room.
 *
 * <p>For alerting: {@link #paused()}, the gauges {@code llmlog.disk.free.ratio}, {@code
 * llmlog.disk.free.bytes} and {@code llmlog.ingest.paused} (1 while paused), and the {@code disk}
 * object of {@code /health}.
 */
public final class DiskGuard {
  private static final Logger LOG = LogManager.getLogger(DiskGuard.class);

  /**
   * Free and total space of a file system; {@link #of(Path)} asks the real one, tests pass their
   * own.
   */
  public interface Probe {
    long usable() throws IOException;

    long total() throws IOException;

    static Probe of(Path directory) {
      return new Probe() {
        private FileStore store() throws IOException {
          Path existing = directory.toAbsolutePath();
          while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
          }
          return Files.getFileStore(
              existing == null ? directory.toAbsolutePath().getRoot() : existing);
        }

        @Override
        public long usable() throws IOException {
          return store().getUsableSpace();
        }

        @Override
        public long total() throws IOException {
          return store().getTotalSpace();
        }
      };
    }
  }

  /** The last measurement. */
  public record Status(
      boolean enabled,
      String path,
      long freeBytes,
      long totalBytes,
      double freeRatio,
      String minFree,
      boolean paused,
      String reason) {}

  private final LifecycleSettings.Disk settings;
  private final Path directory;
  private final Probe probe;
  private volatile Status status;

  public DiskGuard(
      LifecycleSettings.Disk settings, Path directory, Probe probe, MeterRegistry meters) {
    this.settings = settings;
    this.directory = directory;
    this.probe = probe;
    this.status =
        new Status(
            settings.enabled(), directory.toString(), -1, -1, Double.NaN, minFree(), false, null);
    Gauge.builder("llmlog.disk.free.ratio", this, guard -> guard.status.freeRatio())
        .description("Free share of the file system under the data directory")
        .register(meters);
    Gauge.builder("llmlog.disk.free.bytes", this, guard -> guard.status.freeBytes())
        .description("Free bytes of the file system under the data directory")
        .baseUnit("bytes")
        .register(meters);
    Gauge.builder("llmlog.ingest.paused", this, guard -> guard.status.paused() ? 1 : 0)
        .description("1 while ingest is paused because the disk is almost full")
        .register(meters);
    check();
  }

  /** Measures now; called every {@code lifecycle.disk.check_interval}. */
  public Status check() {
    long free;
    long total;
    try {
      free = probe.usable();
      total = probe.total();
    } catch (IOException e) {
      LOG.warn("cannot measure free space under {}: {}", directory, e.toString());
      return status;
    }
    double ratio = total <= 0 ? 1.0 : (double) free / total;
    boolean low =
        settings.enabled()
            && (settings.minFreeBytes() > 0
                ? free < settings.minFreeBytes()
                : ratio < settings.minFreeRatio());
    String reason =
        low
            ? String.format(
                Locale.ROOT,
                "disk almost full: %s free of %s (%.1f%%) under the data directory %s; ingest paused until %s is free — free space, or archive sooner by lowering lifecycle.<family>.cold_after",
                size(free),
                size(total),
                ratio * 100,
                directory,
                minFree())
            : null;
    Status previous = status;
    status =
        new Status(
            settings.enabled(), directory.toString(), free, total, ratio, minFree(), low, reason);
    if (low && !previous.paused()) {
      LOG.error(reason);
    } else if (!low && previous.paused()) {
      LOG.info(
          "disk space under {} is back above {}: ingest resumed ({} free)",
          directory,
          minFree(),
          size(free));
    }
    return status;
  }

  public Status status() {
    return status;
  }

  /** True while ingest is paused. */
  public boolean paused() {
    return status.paused();
  }

  /** Why ingest is paused, or null when it is not. */
  public String pauseReason() {
    return status.reason();
  }

  private String minFree() {
    return settings.minFreeBytes() > 0
        ? size(settings.minFreeBytes())
        : java.math.BigDecimal.valueOf(Math.round(settings.minFreeRatio() * 10_000) / 100.0)
                .stripTrailingZeros()
                .toPlainString()
            + "%";
  }

  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KB", "MB", "GB", "TB", "PB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}

package io.llmlog.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DiskGuardTest {
  static final long GB = 1L << 30;

  /** A file system whose free space the test sets. */
  static final class FakeDisk implements DiskGuard.Probe {
    volatile long free;
    final long total;

    FakeDisk(long free, long total) {
      this.free = free;
      this.total = total;
    }

    @Override
    public long usable() {
      return free;
    }

    @Override
    public long total() {
      return total;
    }
  }

  @Test
  void check_belowMinFreeRatio_pausesWithAReasonSayingHowMuchAndWhatToDo() {
    FakeDisk disk = new FakeDisk(31 * GB / 10, 250 * GB);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    DiskGuard guard =
        new DiskGuard(
            new LifecycleSettings.Disk(true, 0.08, 0, Duration.ofSeconds(5)),
            Path.of("/var/lib/llmlog"),
            disk,
            meters);

    assertThat(guard.paused()).isTrue();
    assertThat(guard.pauseReason())
        .isEqualTo(
            "disk almost full: 3.1 GB free of 250.0 GB (1.2%) under the data directory /var/lib/llmlog; "
                + "ingest paused until 8% is free — free space, or archive sooner by lowering lifecycle.<family>.cold_after");
    assertThat(meters.get("llmlog.ingest.paused").gauge().value()).isEqualTo(1.0);
    assertThat(meters.get("llmlog.disk.free.ratio").gauge().value())
        .isCloseTo(0.0124, org.assertj.core.data.Offset.offset(0.0001));

    disk.free = 30 * GB;
    guard.check();

    assertThat(guard.paused()).isFalse();
    assertThat(guard.pauseReason()).isNull();
    assertThat(meters.get("llmlog.ingest.paused").gauge().value()).isZero();
  }

  @Test
  void check_minFreeInBytes_comparesBytes() {
    FakeDisk disk = new FakeDisk(15 * GB, 1000 * GB);
    DiskGuard guard =
        new DiskGuard(
            new LifecycleSettings.Disk(true, 0, 20 * GB, Duration.ofSeconds(5)),
            Path.of("/d"),
            disk,
            new SimpleMeterRegistry());

    assertThat(guard.paused()).isTrue();
    assertThat(guard.pauseReason()).contains("until 20.0 GB is free");
  }

  @Test
  void check_disabled_neverPausesButStillMeasures() {
    FakeDisk disk = new FakeDisk(1, 250 * GB);
    DiskGuard guard =
        new DiskGuard(
            new LifecycleSettings.Disk(false, 0.08, 0, Duration.ofSeconds(5)),
            Path.of("/d"),
            disk,
            new SimpleMeterRegistry());

    assertThat(guard.paused()).isFalse();
    assertThat(guard.status().freeBytes()).isEqualTo(1);
  }
}

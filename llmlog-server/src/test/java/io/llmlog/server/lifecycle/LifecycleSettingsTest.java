package io.llmlog.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmlog.server.config.ConfigException;
import io.llmlog.server.config.Settings;
import io.llmlog.server.store.IndexFamily;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LifecycleSettingsTest {
  private static LifecycleSettings read(Map<String, Object> lifecycle, boolean embedded) {
    return LifecycleSettings.from(
        Settings.of(Map.of("lifecycle", lifecycle), name -> null), Path.of("/data"), embedded);
  }

  @Test
  void from_nothingSet_isTheBriefsPolicyWithGzipArchivesKeptForever() {
    LifecycleSettings settings = read(Map.of(), true);

    assertThat(settings.enabled()).isTrue();
    assertThat(settings.mode()).isEqualTo(LifecycleSettings.Mode.LLMLOG);
    assertThat(settings.archiveDir()).isEqualTo(Path.of("/data/archive"));
    assertThat(settings.compression()).isEqualTo(Compression.GZIP);
    for (IndexFamily family :
        new IndexFamily[] {
          IndexFamily.LOGS, IndexFamily.QUALITY, IndexFamily.ALERTS, IndexFamily.DEAD_LETTERS
        }) {
      assertThat(settings.policy(family))
          .isEqualTo(new LifecycleSettings.Policy(Duration.ofDays(30), Duration.ofDays(90), null));
    }
    assertThat(settings.disk().enabled()).isTrue();
    assertThat(settings.disk().minFreeRatio()).isEqualTo(0.08);
    assertThat(settings.warmCodec()).isEqualTo("best_compression");
  }

  @Test
  void from_warmCodec_isReadAndChecked() {
    assertThat(read(Map.of("warm", Map.of("codec", "default")), true).warmCodec())
        .isEqualTo(LifecycleSettings.KEEP_CODEC);
    assertThatThrownBy(() -> read(Map.of("warm", Map.of("codec", "best compression")), true))
        .hasMessageContaining("lifecycle.warm.codec must be a codec name");
  }

  @Test
  void from_familyOverrides_applyToThatFamilyOnly() {
    LifecycleSettings settings =
        read(
            Map.of(
                "compression",
                "zstd",
                "quality",
                Map.of("warm_after", "7d", "cold_after", "never", "delete_archive_after", "400d")),
            false);

    assertThat(settings.compression()).isEqualTo(Compression.ZSTD);
    assertThat(settings.policy(IndexFamily.QUALITY))
        .isEqualTo(new LifecycleSettings.Policy(Duration.ofDays(7), null, Duration.ofDays(400)));
    assertThat(settings.policy(IndexFamily.LOGS)).isEqualTo(LifecycleSettings.Policy.BRIEF);
    assertThat(settings.disk().enabled())
        .as("an external engine's disk is not this machine's")
        .isFalse();
  }

  @Test
  void from_coldBeforeWarm_namesBothKeys() {
    assertThatThrownBy(
            () -> read(Map.of("logs", Map.of("warm_after", "30d", "cold_after", "10d")), true))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "lifecycle.logs.cold_after (10d) must not be shorter than lifecycle.logs.warm_after (30d)");
  }

  @Test
  void from_deleteBeforeCold_isRefused() {
    assertThatThrownBy(() -> read(Map.of("logs", Map.of("delete_archive_after", "60d")), true))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "lifecycle.logs.delete_archive_after (60d) must be longer than lifecycle.logs.cold_after (90d)");
  }

  @Test
  void from_typoInAKey_listsTheKnownKeys() {
    assertThatThrownBy(() -> read(Map.of("logs", Map.of("warm_afer", "30d")), true))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("lifecycle.logs.warm_afer is not a lifecycle setting")
        .hasMessageContaining("warm_after");
  }

  @Test
  void from_engineModeWithEmbeddedEngine_isRefusedWithWhatToDo() {
    assertThatThrownBy(() -> read(Map.of("mode", "engine"), true))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("embedded engine has no ISM plugin");
    assertThat(read(Map.of("mode", "engine"), false).mode())
        .isEqualTo(LifecycleSettings.Mode.ENGINE);
  }

  @Test
  void from_minFreeAsBytesOrPercent_isRead() {
    assertThat(read(Map.of("disk", Map.of("min_free", "20GB")), true).disk().minFreeBytes())
        .isEqualTo(20L << 30);
    assertThat(read(Map.of("disk", Map.of("min_free", "5%")), true).disk().minFreeRatio())
        .isEqualTo(0.05);
    assertThatThrownBy(() -> read(Map.of("disk", Map.of("min_free", "150%")), true))
        .hasMessageContaining("lifecycle.disk.min_free");
    assertThatThrownBy(() -> read(Map.of("compression", "lz4"), true))
        .hasMessageContaining("gzip or zstd");
  }
}

package io.llmlog.server.lifecycle;

import io.llmlog.server.config.ConfigException;
import io.llmlog.server.config.Settings;
import io.llmlog.server.config.Units;
import io.llmlog.server.store.IndexFamily;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code lifecycle:} section of {@code llmlog.yaml}. Defaults are the brief's: hot for 30 days,
 * warm until 90, then a gzip archive kept forever.
 *
 * <pre>
 * lifecycle:
 *   enabled: true
 *   mode: llmlog            # or engine: install ISM/ILM on an external cluster instead
 *   interval: 1h
 *   archive_dir: ./data/archive
 *   compression: gzip       # or zstd
 *   logs:    {warm_after: 30d, cold_after: 90d, delete_archive_after: null}
 *   spans: {...}  quality: {...}  alerts: {...}  dead_letters: {...}
 *   disk: {min_free: 8%}
 * </pre>
 */
public record LifecycleSettings(
    boolean enabled,
    Mode mode,
    Duration interval,
    Path archiveDir,
    Compression compression,
    long partBytes,
    int exportBatch,
    Duration restoreKeep,
    Duration forceMergeTimeout,
    Map<String, String> warmRequire,
    Integer warmReplicas,
    String warmCodec,
    Duration exportPause,
    Map<IndexFamily, Policy> policies,
    Disk disk) {

  /**
   * The codec warm indices are merged with: DEFLATE for the stored documents, about two thirds the
   * size of the LZ4 they are written with (BENCHMARKS.md, "Storage"). Not for hot indices: DEFLATE
   * costs the engine a third more CPU per document while writing.
   */
  public static final String WARM_CODEC = "best_compression";

  /** The {@code lifecycle.warm.codec} value that keeps the codec indices were written with. */
  public static final String KEEP_CODEC = "default";

  /** Who moves indices through the phases. */
  public enum Mode {
    /** llmlog's own manager: warm, archive, verify, delete. */
    LLMLOG,
    /** The engine's ISM (OpenSearch) or ILM (Elasticsearch) policy: warm and delete, no archive. */
    ENGINE
  }

  /** The families a policy can be set for, by their config key, in {@link IndexFamily}'s order. */
  static final Map<String, IndexFamily> FAMILIES = families();

  private static Map<String, IndexFamily> families() {
    Map<String, IndexFamily> families = new LinkedHashMap<>();
    for (IndexFamily family : IndexFamily.managedFamilies()) {
      families.put(family.key(), family);
    }
    return Collections.unmodifiableMap(families);
  }

  /**
   * One family's policy; a null duration means "never".
   *
   * @param warmAfter age at which the index is force-merged and made read-only
   * @param coldAfter age at which it is archived and, once the archive is verified, deleted
   * @param deleteArchiveAfter age at which the archive (and any index of that day) is deleted
   */
  public record Policy(Duration warmAfter, Duration coldAfter, Duration deleteArchiveAfter) {
    public static final Policy BRIEF = new Policy(Duration.ofDays(30), Duration.ofDays(90), null);
  }

  /**
   * The disk guard: ingest pauses while free space on the data directory's file system is below
   * {@code minFreeRatio} or {@code minFreeBytes} (whichever is set).
   */
  public record Disk(
      boolean enabled, double minFreeRatio, long minFreeBytes, Duration checkInterval) {}

  public LifecycleSettings {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(archiveDir, "archiveDir");
    policies = Map.copyOf(policies);
    warmRequire = Map.copyOf(warmRequire);
  }

  public Policy policy(IndexFamily family) {
    return policies.get(family);
  }

  /**
   * Reads and checks the section.
   *
   * @param dataDir the server's data directory, home of the default archive directory
   * @param embedded whether the engine is embedded (the engine mode needs an external cluster; the
   *     disk guard defaults to on only for the embedded engine, whose disk is this machine's)
   * @throws ConfigException naming the key and what would be valid
   */
  public static LifecycleSettings from(Settings settings, Path dataDir, boolean embedded) {
    Mode mode =
        switch (settings.string("lifecycle.mode", "llmlog").trim().toLowerCase(Locale.ROOT)) {
          case "llmlog" -> Mode.LLMLOG;
          case "engine" -> Mode.ENGINE;
          default ->
              throw new ConfigException(
                  "lifecycle.mode must be llmlog (llmlog archives and deletes) or engine (the cluster's ISM/ILM policy), was '"
                      + settings.string("lifecycle.mode", "")
                      + "'");
        };
    boolean enabled = settings.bool("lifecycle.enabled", true);
    if (enabled && mode == Mode.ENGINE && embedded) {
      throw new ConfigException(
          "lifecycle.mode: engine needs an external OpenSearch or Elasticsearch cluster (engine.url): the embedded engine has no "
              + "ISM plugin. Use lifecycle.mode: llmlog (the default), which also archives.");
    }
    Duration interval = positive(settings, "lifecycle.interval", Duration.ofHours(1));
    String compressionName =
        settings.string("lifecycle.compression", "gzip").trim().toLowerCase(Locale.ROOT);
    Compression compression = Compression.byName(compressionName);
    if (compression == null) {
      throw new ConfigException(
          "lifecycle.compression must be gzip or zstd, was '" + compressionName + "'");
    }
    long partBytes = settings.bytes("lifecycle.part_size", 128L << 20);
    if (partBytes < 1024) {
      throw new ConfigException(
          "lifecycle.part_size must be at least 1KB (it bounds each archive file's NDJSON before compression), was "
              + partBytes);
    }
    int batch = settings.integer("lifecycle.export_batch", 500);
    if (batch < 1 || batch > 10_000) {
      throw new ConfigException(
          "lifecycle.export_batch must be between 1 and 10000 documents, was " + batch);
    }
    Map<String, String> require = new LinkedHashMap<>();
    settings
        .map("lifecycle.warm.require")
        .forEach((attribute, value) -> require.put(attribute, String.valueOf(value)));
    Integer replicas = null;
    if (settings.raw("lifecycle.warm.replicas") != null) {
      replicas = settings.integer("lifecycle.warm.replicas", 0);
      if (replicas < 0) {
        throw new ConfigException("lifecycle.warm.replicas must be 0 or more, was " + replicas);
      }
    }
    String codec =
        settings.string("lifecycle.warm.codec", WARM_CODEC).trim().toLowerCase(Locale.ROOT);
    if (!codec.matches("[a-z0-9_]+")) {
      throw new ConfigException(
          "lifecycle.warm.codec must be a codec name such as best_compression, or default to keep the codec the index "
              + "was written with, was '"
              + codec
              + "'");
    }
    Map<IndexFamily, Policy> policies = new EnumMap<>(IndexFamily.class);
    for (Map.Entry<String, IndexFamily> family : FAMILIES.entrySet()) {
      policies.put(family.getValue(), policy(settings, "lifecycle." + family.getKey()));
    }
    LifecycleSettings read =
        new LifecycleSettings(
            enabled,
            mode,
            interval,
            Path.of(
                settings.string("lifecycle.archive_dir", dataDir.resolve("archive").toString())),
            compression,
            partBytes,
            batch,
            positive(settings, "lifecycle.restore_keep", Duration.ofDays(7)),
            positive(settings, "lifecycle.force_merge_timeout", Duration.ofHours(1)),
            require,
            replicas,
            codec,
            settings.duration("lifecycle.export_pause", Duration.ZERO),
            policies,
            disk(settings, embedded));
    settings.rejectUnknown("lifecycle");
    return read;
  }

  private static Policy policy(Settings settings, String prefix) {
    Duration warm = optional(settings, prefix + ".warm_after", Policy.BRIEF.warmAfter());
    Duration cold = optional(settings, prefix + ".cold_after", Policy.BRIEF.coldAfter());
    Duration delete = optional(settings, prefix + ".delete_archive_after", null);
    if (warm != null && cold != null && cold.compareTo(warm) < 0) {
      throw new ConfigException(
          prefix
              + ".cold_after ("
              + Units.formatDuration(cold)
              + ") must not be shorter than "
              + prefix
              + ".warm_after ("
              + Units.formatDuration(warm)
              + "): an index is made read-only before it is archived");
    }
    if (delete != null && cold != null && delete.compareTo(cold) <= 0) {
      throw new ConfigException(
          prefix
              + ".delete_archive_after ("
              + Units.formatDuration(delete)
              + ") must be longer than "
              + prefix
              + ".cold_after ("
              + Units.formatDuration(cold)
              + "), or null to keep archives forever");
    }
    return new Policy(warm, cold, delete);
  }

  /** A duration, or null for {@code never}/{@code null}/{@code off}; the default when unset. */
  private static Duration optional(Settings settings, String key, Duration defaultValue) {
    String text =
        settings
            .string(key, defaultValue == null ? "never" : Units.formatDuration(defaultValue))
            .trim()
            .toLowerCase(Locale.ROOT);
    if (text.equals("never")
        || text.equals("null")
        || text.equals("off")
        || text.equals("none")
        || text.equals("~")) {
      return null;
    }
    Duration value;
    try {
      value = Units.parseDuration(text);
    } catch (IllegalArgumentException e) {
      throw settings.invalid(key, text, "a duration such as 250ms, 5s, 10m, 2h or 30d, or never");
    }
    if (value.isNegative() || value.isZero()) {
      throw new ConfigException(
          key + " must be a positive duration such as 30d, or never, was '" + text + "'");
    }
    return value;
  }

  /** {@code null} in YAML comes through as a present key with no value: the caller's default. */
  private static Duration positive(Settings settings, String key, Duration defaultValue) {
    Duration value = settings.duration(key, defaultValue);
    if (value.isNegative() || value.isZero()) {
      throw new ConfigException(
          key + " must be a positive duration such as 1h, was '" + settings.raw(key) + "'");
    }
    return value;
  }

  private static Disk disk(Settings settings, boolean embedded) {
    boolean enabled = settings.bool("lifecycle.disk.enabled", embedded);
    String minFree = settings.string("lifecycle.disk.min_free", "8%").trim();
    double ratio = 0;
    long bytes = 0;
    try {
      if (minFree.endsWith("%")) {
        ratio = Double.parseDouble(minFree.substring(0, minFree.length() - 1).trim()) / 100.0;
        if (!(ratio > 0 && ratio < 1)) {
          throw new NumberFormatException();
        }
      } else {
        bytes = Units.parseBytes(minFree);
        if (bytes <= 0) {
          throw new NumberFormatException();
        }
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          "lifecycle.disk.min_free must be a percentage of the disk such as 8% or a size such as 20GB, was '"
              + minFree
              + "'");
    }
    return new Disk(
        enabled,
        ratio,
        bytes,
        positive(settings, "lifecycle.disk.check_interval", Duration.ofSeconds(5)));
  }
}

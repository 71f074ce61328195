package io.llmlog.server.lifecycle;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * How archive files are compressed. gzip is the brief's choice and readable everywhere ({@code zcat
 * part-00000.ndjson.gz | jq}); zstd compresses better and faster and is read with {@code zstdcat}.
 * Both at their usual default levels (gzip 6, zstd 3).
 */
public enum Compression {
  GZIP("gzip", ".ndjson.gz", 6),
  ZSTD("zstd", ".ndjson.zst", 3);

  private static final int BUFFER = 64 * 1024;

  private final String configName;
  private final String extension;
  private final int level;

  Compression(String configName, String extension, int level) {
    this.configName = configName;
    this.extension = extension;
    this.level = level;
  }

  /** The name in config files and manifests: {@code gzip}, {@code zstd}. */
  public String configName() {
    return configName;
  }

  /** The file name ending of a part, such as {@code .ndjson.gz}. */
  public String extension() {
    return extension;
  }

  /** The level archives are written with. */
  public int level() {
    return level;
  }

  /** The compression named so in a config file or manifest, or null. */
  public static Compression byName(String name) {
    for (Compression compression : values()) {
      if (compression.configName.equals(name)) {
        return compression;
      }
    }
    return null;
  }

  /** Compresses into {@code out} at this compression's archive level. */
  public OutputStream compress(OutputStream out) throws IOException {
    return compress(out, level);
  }

  /**
   * Compresses into {@code out} at {@code level} (for the benchmark; archives use {@link
   * #level()}).
   */
  public OutputStream compress(OutputStream out, int level) throws IOException {
    return switch (this) {
      case GZIP ->
          new GZIPOutputStream(out, BUFFER) {
            {
              def.setLevel(level);
            }
          };
      case ZSTD -> new ZstdOutputStream(out, level);
    };
  }

  /** Decompresses {@code in}. */
  public InputStream decompress(InputStream in) throws IOException {
    return switch (this) {
      case GZIP -> new GZIPInputStream(in, BUFFER);
      case ZSTD -> new ZstdInputStream(in);
    };
  }
}

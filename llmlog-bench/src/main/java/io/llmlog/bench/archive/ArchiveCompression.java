package io.llmlog.bench.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.bench.data.LlmLogGenerator;
import io.llmlog.bench.data.NaturalText;
import io.llmlog.bench.data.StoredDocuments;
import io.llmlog.core.LlmLogEntry;
import io.llmlog.core.codec.LlmLogJson;
import io.llmlog.server.lifecycle.Compression;
import io.llmlog.server.pipeline.Event;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;

/**
 * {@code ./llmlog bench archive-compression [calls] [seed]}: how much smaller the lifecycle's cold
 * archives are than raw NDJSON. Realistic calls from {@link LlmLogGenerator} (Chinese and English
 * prompts and responses of 0.2-8 KB, personal data sprinkled in) go through the server's default
 * pipeline, as stored documents do, and are written as archive lines ({@code
 * {"_id":...,"_source":{...}}}, the format of the lifecycle's ArchiveWriter); that NDJSON is
 * compressed with {@link Compression} at the archive's levels (gzip 6, zstd 3) and at a few others
 * for comparison. Speeds are one pass on one thread, indicative only.
 */
public final class ArchiveCompression {
  private ArchiveCompression() {}

  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    long seed = args.length > 1 ? Long.parseLong(args[1]) : 42;
    System.out.println(
        "## Texts as the generator writes them (a few dozen sentences, repeated: compresses better than real text)\n");
    measure(calls, seed, null);
    System.out.println(
        "\n## Texts replaced by Zipf-distributed words (20,000 English-like words, 3,500 Han characters): closer to real prompts\n");
    measure(calls, seed, new NaturalText(seed));
  }

  private static void measure(int calls, long seed, NaturalText texts) throws Exception {
    ObjectMapper json = new ObjectMapper();
    StoredDocuments stored = new StoredDocuments(json);
    LlmLogGenerator generator =
        new LlmLogGenerator(seed, Instant.parse("2026-08-01T00:00:00Z"), 86_400_000, 0.03);
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    ByteArrayOutputStream chinese = new ByteArrayOutputStream();
    ByteArrayOutputStream english = new ByteArrayOutputStream();
    long smallest = Long.MAX_VALUE;
    long largest = 0;
    int kept = 0;
    for (int i = 0; i < calls; i++) {
      LlmLogEntry call = generator.next();
      Event event = stored.process(LlmLogJson.document(call).getBytes(StandardCharsets.UTF_8));
      if (event == null) {
        continue;
      }
      kept++;
      if (texts != null) {
        boolean han = hasHan(call.prompt());
        for (String field : new String[] {"prompt", "response"}) {
          if (event.get(field) instanceof String text) {
            event.set(field, texts.text(han, text.getBytes(StandardCharsets.UTF_8).length));
          }
        }
      }
      byte[] source = json.writeValueAsBytes(event.fields());
      smallest = Math.min(smallest, source.length);
      largest = Math.max(largest, source.length);
      byte[] line =
          ("{\"_id\":"
                  + json.writeValueAsString(call.requestId())
                  + ",\"_source\":"
                  + new String(source, StandardCharsets.UTF_8)
                  + "}\n")
              .getBytes(StandardCharsets.UTF_8);
      all.write(line);
      (hasHan(call.prompt()) ? chinese : english).write(line);
    }
    byte[] raw = all.toByteArray();
    System.out.printf(
        Locale.ROOT,
        "%d calls (seed %d), %d stored by the default pipeline: %.1f MB of archive NDJSON, %.0f bytes per document on average (%d to %d)%n%n",
        calls,
        seed,
        kept,
        raw.length / 1e6,
        raw.length / (double) kept,
        smallest,
        largest);
    System.out.println(
        "| data | compression | level | compressed | ratio (raw / compressed) | size vs raw | compress MB/s | decompress MB/s |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|---:|");
    int[][] levels = {{1, 6, 9}, {1, 3, 9, 19}};
    for (Compression compression : Compression.values()) {
      for (int level : levels[compression.ordinal()]) {
        row("all", raw, compression, level);
      }
    }
    for (Compression compression : Compression.values()) {
      row("Chinese prompts", chinese.toByteArray(), compression, compression.level());
      row("English prompts", english.toByteArray(), compression, compression.level());
    }
  }

  private static void row(String data, byte[] raw, Compression compression, int level)
      throws IOException {
    long start = System.nanoTime();
    ByteArrayOutputStream compressed = new ByteArrayOutputStream(raw.length / 4);
    try (OutputStream out = compression.compress(compressed, level)) {
      out.write(raw);
    }
    double compressSeconds = (System.nanoTime() - start) / 1e9;
    byte[] bytes = compressed.toByteArray();
    start = System.nanoTime();
    long read = 0;
    try (InputStream in = compression.decompress(new ByteArrayInputStream(bytes))) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        read += n;
      }
    }
    double decompressSeconds = (System.nanoTime() - start) / 1e9;
    if (read != raw.length) {
      throw new IllegalStateException("round trip lost bytes: " + read + " of " + raw.length);
    }
    boolean archiveLevel = level == compression.level();
    System.out.printf(
        Locale.ROOT,
        "| %s | %s | %d%s | %.2f MB | **%.1f×** | %.1f%% | %.0f | %.0f |%n",
        data,
        compression.configName(),
        level,
        archiveLevel ? " (archive default)" : "",
        bytes.length / 1e6,
        raw.length / (double) bytes.length,
        100.0 * bytes.length / raw.length,
        raw.length / 1e6 / compressSeconds,
        raw.length / 1e6 / decompressSeconds);
  }

  private static boolean hasHan(String text) {
    return text != null
        && text.codePoints()
            .anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
  }
}

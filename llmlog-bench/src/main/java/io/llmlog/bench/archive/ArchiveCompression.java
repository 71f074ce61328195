package io.llmlog.bench.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.bench.data.LlmLogGenerator;
import io.llmlog.core.LlmLogEntry;
import io.llmlog.core.codec.LlmLogJson;
import io.llmlog.server.config.Settings;
import io.llmlog.server.lifecycle.Compression;
import io.llmlog.server.pipeline.Event;
import io.llmlog.server.pipeline.Pipeline;
import io.llmlog.server.pipeline.Pipelines;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./llmlog bench archive-compression [calls] [seed]}: how much smaller the lifecycle's cold
 * archives are than raw NDJSON. Realistic calls from {@link LlmLogGenerator} (Chinese and English
 * prompts and responses of 0.2-8 KB, personal data sprinkled in) go through the server's default
 * pipeline, as stored documents do, and are written as archive lines
 * ({@code {"_id":...,"_source":{...}}}, the format of the lifecycle's ArchiveWriter); that NDJSON is
 * compressed with {@link Compression} at the archive's levels (gzip 6, zstd 3) and at a few others
 * for comparison. Speeds are one pass on one thread, indicative only.
 */
public final class ArchiveCompression {
  private ArchiveCompression() {}

  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    long seed = args.length > 1 ? Long.parseLong(args[1]) : 42;
    System.out.println("## Texts as the generator writes them (a few dozen sentences, repeated: compresses better than real text)\n");
    measure(calls, seed, null);
    System.out.println("\n## Texts replaced by Zipf-distributed words (20,000 English-like words, 3,500 Han characters): closer to real prompts\n");
    measure(calls, seed, new ZipfText(seed));
  }

  private static void measure(int calls, long seed, ZipfText texts) throws Exception {
    ObjectMapper json = new ObjectMapper();
    Pipeline pipeline = Pipelines.build(Settings.empty(name -> null), json, Clock.systemUTC(), id -> true).calls();
    LlmLogGenerator generator = new LlmLogGenerator(seed, Instant.parse("2026-08-01T00:00:00Z"), 86_400_000, 0.03);
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    ByteArrayOutputStream chinese = new ByteArrayOutputStream();
    ByteArrayOutputStream english = new ByteArrayOutputStream();
    long smallest = Long.MAX_VALUE;
    long largest = 0;
    int kept = 0;
    for (int i = 0; i < calls; i++) {
      LlmLogEntry call = generator.next();
      Event event = new Event(Event.cast(json.readValue(LlmLogJson.document(call), Map.class)), 1);
      if (pipeline.process(event).kind() != Pipeline.Kind.KEPT) {
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
      byte[] line = ("{\"_id\":" + json.writeValueAsString(call.requestId()) + ",\"_source\":" + new String(source, StandardCharsets.UTF_8) + "}\n")
          .getBytes(StandardCharsets.UTF_8);
      all.write(line);
      (hasHan(call.prompt()) ? chinese : english).write(line);
    }
    byte[] raw = all.toByteArray();
    System.out.printf(Locale.ROOT, "%d calls (seed %d), %d stored by the default pipeline: %.1f MB of archive NDJSON, %.0f bytes per document on average (%d to %d)%n%n",
        calls, seed, kept, raw.length / 1e6, raw.length / (double) kept, smallest, largest);
    System.out.println("| data | compression | level | compressed | ratio (raw / compressed) | size vs raw | compress MB/s | decompress MB/s |");
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

  private static void row(String data, byte[] raw, Compression compression, int level) throws IOException {
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
    System.out.printf(Locale.ROOT, "| %s | %s | %d%s | %.2f MB | **%.1f×** | %.1f%% | %.0f | %.0f |%n", data, compression.configName(), level,
        archiveLevel ? " (archive default)" : "", bytes.length / 1e6, raw.length / (double) bytes.length, 100.0 * bytes.length / raw.length,
        raw.length / 1e6 / compressSeconds, raw.length / 1e6 / decompressSeconds);
  }

  private static boolean hasHan(String text) {
    return text != null && text.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
  }

  /**
   * Text with the word statistics of natural language: ranks drawn from a Zipf distribution
   * (s = 1) over a fixed vocabulary, so that the compressors cannot just find repeated sentences.
   */
  static final class ZipfText {
    private final java.util.Random random;
    private final String[] words;
    private final int[] han;
    private final double[] wordCdf;
    private final double[] hanCdf;

    ZipfText(long seed) {
      random = new java.util.Random(seed);
      String[] syllables = {"ka", "lo", "re", "mi", "tan", "ser", "vo", "in", "de", "pra", "tion", "al", "ex", "con", "ly", "ment", "qu", "ra",
        "si", "po", "ne", "ter", "an", "ing", "st", "or", "ble", "un", "pro", "com"};
      java.util.Set<String> vocabulary = new java.util.LinkedHashSet<>();
      while (vocabulary.size() < 20_000) {
        StringBuilder word = new StringBuilder();
        int parts = 1 + random.nextInt(4);
        for (int i = 0; i < parts; i++) {
          word.append(syllables[random.nextInt(syllables.length)]);
        }
        vocabulary.add(word.toString());
      }
      words = vocabulary.toArray(new String[0]);
      han = new int[3500];
      for (int i = 0; i < han.length; i++) {
        han[i] = 0x4E00 + random.nextInt(0x9FA5 - 0x4E00);
      }
      wordCdf = cdf(words.length);
      hanCdf = cdf(han.length);
    }

    private static double[] cdf(int size) {
      double[] cdf = new double[size];
      double sum = 0;
      for (int i = 0; i < size; i++) {
        sum += 1.0 / (i + 1);
        cdf[i] = sum;
      }
      for (int i = 0; i < size; i++) {
        cdf[i] /= sum;
      }
      return cdf;
    }

    private int rank(double[] cdf) {
      int index = java.util.Arrays.binarySearch(cdf, random.nextDouble());
      return Math.min(cdf.length - 1, index < 0 ? -index - 1 : index);
    }

    /** About {@code bytes} UTF-8 bytes of Chinese-like or English-like text. */
    String text(boolean chinese, int bytes) {
      StringBuilder out = new StringBuilder();
      int size = 0;
      while (size < bytes) {
        if (chinese) {
          out.appendCodePoint(han[rank(hanCdf)]);
          size += 3;
          if (random.nextInt(14) == 0) {
            out.append(random.nextInt(3) == 0 ? "。" : "，");
            size += 3;
          }
        } else {
          String word = words[rank(wordCdf)];
          out.append(word).append(random.nextInt(12) == 0 ? ". " : " ");
          size += word.length() + 1;
        }
      }
      return out.toString();
    }
  }
}

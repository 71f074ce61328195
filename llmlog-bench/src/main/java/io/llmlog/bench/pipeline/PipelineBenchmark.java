package io.llmlog.bench.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.bench.data.LlmLogGenerator;
import io.llmlog.core.LlmLogEntry;
import io.llmlog.core.codec.LlmLogJson;
import io.llmlog.server.config.Settings;
import io.llmlog.server.pipeline.Event;
import io.llmlog.server.pipeline.Pipeline;
import io.llmlog.server.pipeline.Pipelines;
import io.llmlog.server.quality.Quality;
import io.llmlog.server.quality.QualitySettings;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The server's default pipeline (json, flatten, date, redact, derive, cost) on one thread, over
 * about 2 KB LLM call records in Chinese and English with personal data in one sentence out of
 * eight, their texts made of the generator's template sentences or of natural text: records per
 * second, decoding each record from JSON first as ingest does (filters change the record, so each
 * operation starts from the bytes).
 *
 * <p>{@code evaluators}: {@code none}, or {@code three} deterministic evaluators scoring every
 * record in the pipeline's last step (refusal, language and JSON validity of the response, the
 * text-scanning ones), as {@code quality.evaluators} configures them; their verdicts travel with
 * the record, and the quality documents are built and written by ingest, outside this measurement.
 *
 * <p>{@code ./llmlog bench jmh PipelineBenchmark -f 1 -wi 3 -i 5 -w 2s -r 2s}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PipelineBenchmark {
  static final int RECORDS = 2048;

  /** The brief's nested logger line, or llmlog's flat document. */
  @Param({"brief", "flat"})
  public String form;

  /**
   * The generator's template sentences, or natural text with the same personal data ({@link
   * LlmLogGenerator.Texts}).
   */
  @Param({"templates", "natural"})
  public String texts;

  /** No evaluators, or three deterministic ones on every record. */
  @Param({"none", "three"})
  public String evaluators;

  private final ObjectMapper json = new ObjectMapper();
  private Pipeline pipeline;
  private List<byte[]> records;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    Settings settings =
        Settings.of(
            evaluators.equals("three")
                ? Map.of(
                    "quality",
                    Map.of(
                        "evaluators",
                        List.of(
                            Map.of("name", "refusal", "type", "refusal"),
                            Map.of("name", "language", "type", "language"),
                            Map.of("name", "json", "type", "json"))))
                : Map.of(),
            name -> null);
    QualitySettings quality = QualitySettings.from(settings);
    pipeline =
        Pipelines.build(
                settings,
                json,
                Clock.systemUTC(),
                id -> true,
                Quality.pipelineTail(quality, Clock.systemUTC()))
            .calls();
    LlmLogGenerator generator =
        new LlmLogGenerator(
            42,
            Instant.parse("2026-11-28T00:00:00Z"),
            86_400_000,
            0.03,
            LlmLogGenerator.Texts.valueOf(texts.toUpperCase(java.util.Locale.ROOT)));
    records = new ArrayList<>();
    long bytes = 0;
    while (records.size() < RECORDS) {
      LlmLogEntry call = generator.next();
      String text =
          form.equals("brief") ? LlmLogJson.briefLine(call, "chat-api") : LlmLogJson.document(call);
      byte[] record = text.getBytes(StandardCharsets.UTF_8);
      if (record.length < 1500 || record.length > 3000) {
        continue; // about 2 KB, as the target is stated
      }
      bytes += record.length;
      records.add(record);
    }
    System.out.printf(
        "%n%d %s records with %s texts, %.0f bytes on average%n",
        records.size(), form, texts, bytes / (double) records.size());
  }

  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();
  private long iterationCpu;
  private int iterationStart;

  /**
   * CPU time of the benchmark thread per record over each iteration, printed with the iteration: on
   * a machine shared with other work, throughput also counts the time this thread waited for a
   * core; its CPU time does not. Read once per iteration, so it costs the measurement nothing.
   */
  @Setup(Level.Iteration)
  public void startCpu() {
    iterationCpu = THREADS.getCurrentThreadCpuTime();
    iterationStart = next;
  }

  @org.openjdk.jmh.annotations.TearDown(Level.Iteration)
  public void printCpu() {
    long records = next - iterationStart;
    if (records > 0) {
      System.out.printf(
          " [cpu %.3f us/record]",
          (THREADS.getCurrentThreadCpuTime() - iterationCpu) / 1000.0 / records);
    }
  }

  @Benchmark
  public Pipeline.Outcome decodeAndProcess() throws Exception {
    byte[] record = records.get(next++ & (RECORDS - 1));
    return pipeline.process(new Event(Event.cast(json.readValue(record, Map.class)), 1));
  }
}

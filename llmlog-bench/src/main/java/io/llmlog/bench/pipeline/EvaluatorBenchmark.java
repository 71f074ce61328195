package io.llmlog.bench.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.bench.data.LlmLogGenerator;
import io.llmlog.core.LlmLogEntry;
import io.llmlog.core.codec.LlmLogJson;
import io.llmlog.server.config.Settings;
import io.llmlog.server.pipeline.Event;
import io.llmlog.server.pipeline.Filter;
import io.llmlog.server.pipeline.Pipeline;
import io.llmlog.server.pipeline.Pipelines;
import io.llmlog.server.quality.Quality;
import io.llmlog.server.quality.QualitySettings;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The pipeline's last step alone, with three deterministic evaluators (refusal, language and JSON
 * validity of the response) on every record, in nanoseconds per record: what the evaluators add to
 * {@link PipelineBenchmark}'s per-record cost, measured apart so that a busy machine's noise on a
 * 10 µs pipeline does not hide it. {@code evaluate} wraps a record that went through the default
 * pipeline in an event and runs the step; {@code wrap} only wraps it, so their difference is the
 * step. The records are {@link PipelineBenchmark}'s: the brief's logger line (which carries no
 * response, so the text checks find little to read) or llmlog's flat document (the whole call).
 *
 * <p>{@code ./llmlog bench jmh EvaluatorBenchmark -f 1 -wi 5 -i 5 -w 1s -r 1s}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class EvaluatorBenchmark {
  static final int RECORDS = 2048;

  @Param({"templates", "natural"})
  public String texts;

  /** The brief's nested logger line, or llmlog's flat document. */
  @Param({"flat", "brief"})
  public String form;

  private final ObjectMapper json = new ObjectMapper();
  private final List<Map<String, Object>> processed = new ArrayList<>();
  private Filter evaluate;
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Settings settings =
        Settings.of(
            Map.of(
                "quality",
                Map.of(
                    "evaluators",
                    List.of(
                        Map.of("name", "refusal", "type", "refusal"),
                        Map.of("name", "language", "type", "language"),
                        Map.of("name", "json", "type", "json")))),
            name -> null);
    List<Filter> tail =
        Quality.pipelineTail(QualitySettings.from(settings), Clock.systemUTC()).apply(List.of());
    evaluate = tail.get(0);
    Pipeline pipeline =
        Pipelines.build(Settings.empty(name -> null), json, Clock.systemUTC(), id -> true).calls();
    LlmLogGenerator generator =
        new LlmLogGenerator(
            42,
            Instant.parse("2026-11-28T00:00:00Z"),
            86_400_000,
            0.03,
            LlmLogGenerator.Texts.valueOf(texts.toUpperCase(java.util.Locale.ROOT)));
    while (processed.size() < RECORDS) {
      LlmLogEntry call = generator.next();
      String line =
          form.equals("brief") ? LlmLogJson.briefLine(call, "chat-api") : LlmLogJson.document(call);
      int bytes = line.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      if (bytes < 1500 || bytes > 3000) {
        continue;
      }
      Event event = new Event(Event.cast(json.readValue(line, Map.class)), 1);
      pipeline.process(event);
      processed.add(event.fields());
    }
  }

  @Benchmark
  public Event wrap() {
    return new Event(processed.get(next++ & (RECORDS - 1)), 1);
  }

  @Benchmark
  public boolean evaluate() {
    return evaluate.apply(new Event(processed.get(next++ & (RECORDS - 1)), 1));
  }
}

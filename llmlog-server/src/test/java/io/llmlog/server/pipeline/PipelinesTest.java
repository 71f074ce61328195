package io.llmlog.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.server.config.ConfigException;
import io.llmlog.server.config.Settings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelinesTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);

  static Pipelines.Built build(Object pipeline) {
    Settings settings =
        pipeline == null
            ? Settings.empty(name -> null)
            : Settings.of(Map.of("pipeline", pipeline), name -> null);
    return Pipelines.build(settings, new ObjectMapper(), CLOCK, id -> false);
  }

  @Test
  void build_noConfig_isTheDefaultPipeline() {
    assertThat(build(null).calls().filters())
        .extracting(Filter::name)
        .containsExactly("json", "flatten", "date", "redact", "derive", "cost");
    assertThat(build(null).quality().filters()).extracting(Filter::name).containsExactly("date");
  }

  @Test
  void build_unknownFilter_namesItsPositionAndTheKnownOnes() {
    assertThatThrownBy(() -> build(List.of(Map.of("flatten", Map.of()), Map.of("grok", Map.of()))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("pipeline[1] (grok)")
        .hasMessageContaining("unknown filter 'grok'")
        .hasMessageContaining("mutate");
  }

  @Test
  void build_misspelledOption_isRejectedNotIgnored() {
    assertThatThrownBy(
            () -> build(List.of(Map.of("mutate", Map.of("remove_fields", List.of("prompt"))))))
        .hasMessageContaining("pipeline[0] (mutate): remove_fields: unknown option");
  }

  @Test
  void build_badConversionType_namesTheField() {
    assertThatThrownBy(
            () -> build(List.of(Map.of("mutate", Map.of("convert", Map.of("latency_ms", "flt"))))))
        .hasMessageContaining("convert.latency_ms: unknown type 'flt'");
  }

  @Test
  void build_badSamplingRate_namesTheKey() {
    assertThatThrownBy(() -> build(List.of(Map.of("sample", Map.of("rate", 1.5)))))
        .hasMessageContaining("pipeline[0] (sample)")
        .hasMessageContaining("rate");
  }

  @Test
  void build_badRedactionMode_namesTheKey() {
    assertThatThrownBy(() -> build(List.of(Map.of("redact", Map.of("mode", "blur")))))
        .hasMessageContaining("pipeline[0] (redact)")
        .hasMessageContaining("mode");
  }

  @Test
  void build_stepThatIsNotAFilter_explainsTheShape() {
    assertThatThrownBy(() -> build(List.of("flatten")))
        .hasMessageContaining("pipeline[0]: each step is one filter name with its options");
  }

  @Test
  void build_dropWithKql_dropsWhatTheQueryMatches() throws Exception {
    Pipeline pipeline =
        build(
                List.of(
                    Map.of(
                        "drop",
                        Map.of("if", "model:test* or (user_id:healthcheck and latency_ms < 10)"))))
            .calls();

    assertThat(pipeline.process(FiltersTest.event("{\"model\":\"test-small\"}")).kind())
        .isEqualTo(Pipeline.Kind.DROPPED);
    assertThat(
            pipeline
                .process(
                    FiltersTest.event(
                        "{\"model\":\"gpt-4\",\"user_id\":\"healthcheck\",\"latency_ms\":3}"))
                .kind())
        .isEqualTo(Pipeline.Kind.DROPPED);
    assertThat(
            pipeline
                .process(
                    FiltersTest.event(
                        "{\"model\":\"gpt-4\",\"user_id\":\"healthcheck\",\"latency_ms\":30}"))
                .kind())
        .isEqualTo(Pipeline.Kind.KEPT);
  }

  @Test
  void build_dropWithBadKql_namesThePosition() {
    assertThatThrownBy(() -> build(List.of(Map.of("drop", Map.of("if", "model:")))))
        .hasMessageContaining("pipeline[0] (drop): if:")
        .hasMessageContaining("position 6");
  }

  @Test
  void build_sampling_addsTheQualitySampler() {
    assertThat(build(List.of(Map.of("sample", Map.of("rate", 0.1)))).quality().filters())
        .extracting(Filter::name)
        .containsExactly("date", "sample");
  }

  @Test
  void build_shippedExamples_areValid() {
    for (String example : List.of("brief-logstash.yaml", "privacy-and-sampling.yaml")) {
      Settings settings = Settings.load(Path.of("..", "examples", example), name -> null);
      assertThat(
              Pipelines.build(settings, new ObjectMapper(), CLOCK, id -> false).calls().filters())
          .as(example)
          .isNotEmpty();
    }
  }
}

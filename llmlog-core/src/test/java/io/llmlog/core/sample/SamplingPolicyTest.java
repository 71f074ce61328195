package io.llmlog.core.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.llmlog.core.ErrorInfo;
import io.llmlog.core.LlmLogEntry;
import io.llmlog.core.LogLevel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SamplingPolicyTest {
  private static final long SEED = 20261128L;

  /**
   * Golden values, computed by an independent Python implementation of the documented algorithm. A
   * failure here means the SDKs and servers of different versions would disagree: do not "fix" the
   * expected values.
   */
  @Test
  void hash_goldenValues_neverChange() {
    assertThat(SamplingPolicy.hash("")).isEqualTo(0xefd01f60ba992926L);
    assertThat(SamplingPolicy.hash("req-1")).isEqualTo(0x41bf9201cad1d3b5L);
    assertThat(SamplingPolicy.hash("req-2")).isEqualTo(0xb3e5b5bc39162243L);
    assertThat(SamplingPolicy.hash("req-10")).isEqualTo(0x02d622a38d06b316L);
    assertThat(SamplingPolicy.hash("6f1f0a4e-8c1b-4a52-9b8e-2a7f3c1d9e10"))
        .isEqualTo(0x4a130119c1d557ffL);
    assertThat(SamplingPolicy.hash("chatcmpl-9xYzAbC123")).isEqualTo(0x3954f7e677388f06L);
    assertThat(SamplingPolicy.hash("请求-42")).isEqualTo(0x4e50dce8da556b85L);
    assertThat(SamplingPolicy.hash("emoji-\uD83D\uDE00")).isEqualTo(0x95f34149e7461b6cL);
    assertThat(SamplingPolicy.position("req-1")).isEqualTo(0.2568293814063687);
    assertThat(SamplingPolicy.position("req-10")).isEqualTo(0.01107994549695479);
  }

  @Test
  void keptByRate_goldenDecisionBits_neverChange() {
    assertThat(decisionBits(0.1))
        .isEqualTo("1000000000100000000000001000000100000000000000000000100000010000");
    assertThat(decisionBits(0.5))
        .isEqualTo("1101000011111001100100001101010111100100100001000011110101011001");
  }

  private static String decisionBits(double rate) {
    SamplingPolicy policy = SamplingPolicy.of(rate);
    StringBuilder bits = new StringBuilder();
    for (int n = 0; n < 64; n++) {
      bits.append(policy.keptByRate("req-" + n) ? '1' : '0');
    }
    return bits.toString();
  }

  @Test
  void hash_anyString_equalsFnv1aOverGetBytesThenFmix64() {
    Random random = new Random(SEED);
    for (int k = 0; k < 2000; k++) {
      StringBuilder id = new StringBuilder();
      int length = random.nextInt(40);
      for (int c = 0; c < length; c++) {
        id.append(
            (char)
                switch (random.nextInt(5)) {
                  case 0 -> 'a' + random.nextInt(26);
                  case 1 -> 0x80 + random.nextInt(0x780);
                  case 2 -> 0x4E00 + random.nextInt(0x5000);
                  case 3 -> 0xD800 + random.nextInt(0x800); // surrogates, paired or not
                  default -> '0' + random.nextInt(10);
                });
      }
      String text = id.toString();
      assertThat(SamplingPolicy.hash(text)).as(text).isEqualTo(reference(text));
    }
  }

  /** The documented algorithm, written the obvious way. */
  private static long reference(String requestId) {
    long h = 0xcbf29ce484222325L;
    for (byte b : requestId.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xFF)) * 0x100000001b3L;
    }
    return RequestIdHash.fmix64(h);
  }

  @Test
  void weight_hundredThousandCallsWithThreePercentErrors_keepsEveryErrorAndTenPercentOfSuccesses() {
    SamplingPolicy policy = SamplingPolicy.of(0.1);
    Random random = new Random(SEED);
    int errors = 0;
    int keptErrors = 0;
    int successes = 0;
    int keptSuccesses = 0;
    double estimatedSuccesses = 0;
    for (int k = 0; k < 100_000; k++) {
      String requestId = new UUID(random.nextLong(), random.nextLong()).toString();
      boolean error = random.nextDouble() < 0.03;
      double weight = policy.weight(requestId, error, 100 + random.nextDouble() * 5000);
      if (error) {
        errors++;
        keptErrors += weight > 0 ? 1 : 0;
        assertThat(weight).isEqualTo(1.0);
      } else {
        successes++;
        keptSuccesses += weight > 0 ? 1 : 0;
        assertThat(weight).isIn(0.0, 10.0);
        estimatedSuccesses += weight;
      }
    }
    assertThat(errors).isBetween(2700, 3300);
    assertThat(keptErrors).isEqualTo(errors);
    assertThat((double) keptSuccesses / successes).isCloseTo(0.10, within(0.01));
    assertThat(estimatedSuccesses / successes).isCloseTo(1.0, within(0.05));
  }

  @Test
  void weight_sameRequestId_sameDecisionWhateverTheOtherFields() {
    SamplingPolicy policy = new SamplingPolicy(0.1, 10_000.0, true);
    Random random = new Random(SEED);
    for (int k = 0; k < 2000; k++) {
      String requestId = "call-" + random.nextLong();
      double expected = policy.weight(requestId, false, null);
      LlmLogEntry request = entry(requestId).model("gpt-4o").prompt("p" + k).build();
      LlmLogEntry response =
          entry(requestId)
              .model("gpt-4o-mini")
              .response("r" + k)
              .latencyMs(random.nextDouble() * 9_999)
              .outputTokens(k)
              .build();
      assertThat(policy.weight(request)).isEqualTo(expected);
      assertThat(policy.weight(response)).isEqualTo(expected);
      assertThat(policy.keptByRate(requestId)).isEqualTo(expected > 0);
    }
  }

  @Test
  void weight_errorsSlowCallsAndRateOne_areKeptWithWeightOne() {
    SamplingPolicy policy = new SamplingPolicy(0.0, 5000.0, true);
    assertThat(policy.weight("req-1", false, 100.0)).isZero();
    assertThat(policy.weight("req-1", true, 100.0)).isEqualTo(1.0);
    assertThat(policy.weight("req-1", false, 5000.0)).isEqualTo(1.0);
    assertThat(policy.weight("req-1", false, null)).isZero();
    assertThat(SamplingPolicy.KEEP_ALL.weight("req-2", false, null)).isEqualTo(1.0);
    assertThat(SamplingPolicy.of(0.1).weight("req-10", false, null)).isEqualTo(10.0);
    assertThat(new SamplingPolicy(0.1, null, false).weight("req-1", true, null)).isZero();
  }

  @Test
  void isError_levelErrorOrStopReasonError_isAnError() {
    assertThat(SamplingPolicy.isError(entry("a").build())).isFalse();
    assertThat(SamplingPolicy.isError(entry("a").level(LogLevel.ERROR).build())).isTrue();
    assertThat(
            SamplingPolicy.isError(
                entry("a")
                    .error(new ErrorInfo("timeout", "read timed out"))
                    .level(LogLevel.WARNING)
                    .build()))
        .isTrue();
    assertThat(SamplingPolicy.isError(entry("a").stopReason("ERROR").build())).isTrue();
    assertThat(SamplingPolicy.of(0).keeps(entry("a").stopReason("error").build())).isTrue();
  }

  @Test
  void fromConfig_keys_buildThePolicyAndMistakesNameTheKey() {
    assertThat(
            SamplingPolicy.fromConfig(
                Map.of("rate", 0.25, "latency_threshold_ms", 8000, "keep_errors", false)))
        .isEqualTo(new SamplingPolicy(0.25, 8000.0, false));
    assertThat(SamplingPolicy.fromConfig(Map.of())).isEqualTo(SamplingPolicy.KEEP_ALL);
    assertThatThrownBy(() -> SamplingPolicy.fromConfig(Map.of("rate", 1.5)))
        .hasMessageStartingWith("rate:");
    assertThatThrownBy(() -> SamplingPolicy.fromConfig(Map.of("rate", "10%")))
        .hasMessageStartingWith("rate:");
    assertThatThrownBy(() -> SamplingPolicy.fromConfig(Map.of("latency_threshold_ms", -1)))
        .hasMessageStartingWith("latency_threshold_ms:");
    assertThatThrownBy(() -> SamplingPolicy.fromConfig(Map.of("keep_errors", "yes")))
        .hasMessageStartingWith("keep_errors:");
    assertThatThrownBy(() -> SamplingPolicy.fromConfig(Map.of("ratio", 0.1)))
        .hasMessageStartingWith("ratio: unknown key");
    assertThatThrownBy(() -> new SamplingPolicy(Double.NaN, null, true))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static LlmLogEntry.Builder entry(String requestId) {
    return LlmLogEntry.builder()
        .timestamp(Instant.parse("2026-11-28T08:30:15Z"))
        .requestId(requestId)
        .model("gpt-4o");
  }
}

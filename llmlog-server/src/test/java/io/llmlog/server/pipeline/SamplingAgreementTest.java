package io.llmlog.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.core.ErrorInfo;
import io.llmlog.core.LlmLogEntry;
import io.llmlog.core.LogLevel;
import io.llmlog.core.codec.LlmLogJson;
import io.llmlog.core.sample.SamplingPolicy;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * 100,000 synthetic calls with 3% errors sampled at r = 0.1: the SDK's decision (the policy the
 * SDK's sampler hook applies) and the server's sample filter agree on every call, and the call's
 * parts share it.
 */
class SamplingAgreementTest {
  static final long SEED = 20261128L;
  static final int CALLS = 100_000;
  static final double RATE = 0.1;

  private final ObjectMapper json = new ObjectMapper();

  @Test
  void sample_hundredThousandCalls_keepsEveryErrorTenPercentOfSuccessesAndAgreesWithTheSdk()
      throws Exception {
    SamplingPolicy policy = SamplingPolicy.of(RATE);
    SampleFilter server = new SampleFilter(policy);
    Random random = new Random(SEED);
    int errors = 0;
    int errorsKept = 0;
    int successes = 0;
    int successesKept = 0;
    for (int i = 0; i < CALLS; i++) {
      boolean failed = random.nextDouble() < 0.03;
      LlmLogEntry entry =
          call(new UUID(random.nextLong(), random.nextLong()).toString(), failed, random);

      double sdkWeight = policy.weight(entry);
      Event event = new Event(Event.cast(json.readValue(LlmLogJson.document(entry), Map.class)), 1);
      boolean serverKept = server.apply(event);

      assertThat(serverKept).as("call %s", i).isEqualTo(sdkWeight > 0);
      if (serverKept) {
        Object weight = event.get("sample_weight");
        assertThat(weight == null ? 1.0 : ((Number) weight).doubleValue()).isEqualTo(sdkWeight);
      }
      if (failed) {
        errors++;
        errorsKept += serverKept ? 1 : 0;
      } else {
        successes++;
        successesKept += serverKept ? 1 : 0;
      }
    }

    double successRate = successesKept / (double) successes;
    System.out.printf(
        "SamplingAgreementTest: %d errors, %d kept; %d successes, %d kept (%.4f)%n",
        errors, errorsKept, successes, successesKept, successRate);
    assertThat(errorsKept).isEqualTo(errors);
    assertThat(successRate).isBetween(RATE - 0.01, RATE + 0.01);
  }

  @Test
  void sample_partsOfOneCallInEitherOrder_shareTheDecision() throws Exception {
    SamplingPolicy policy = SamplingPolicy.of(RATE);
    Random random = new Random(SEED + 1);
    for (int i = 0; i < 5_000; i++) {
      SampleFilter server = new SampleFilter(policy);
      String id = new UUID(random.nextLong(), random.nextLong()).toString();
      boolean failed = random.nextDouble() < 0.2;
      boolean callKept = policy.weight(id, failed, 500.0) > 0;
      Event request = event("{\"request_id\":\"" + id + "\",\"model\":\"m\",\"prompt\":\"hi\"}");
      Event response =
          event(
              "{\"request_id\":\""
                  + id
                  + "\",\"latency_ms\":500,\"response\":\"ok\""
                  + (failed ? ",\"level\":\"error\"" : "")
                  + "}");
      boolean requestFirst = random.nextBoolean();

      boolean firstKept = server.apply(requestFirst ? request : response);
      boolean secondKept = server.apply(requestFirst ? response : request);
      boolean requestKept = requestFirst ? firstKept : secondKept;
      boolean responseKept = requestFirst ? secondKept : firstKept;

      assertThat(responseKept).as("response part of %s", id).isEqualTo(callKept);
      if (callKept) {
        assertThat(requestKept).as("request part of a kept call").isTrue();
        assertThat(response.get("sample_pending")).isIn(null, false);
      } else if (requestKept) {
        // The request part came first and waits; the response part retracts it.
        assertThat(request.get("sample_pending")).isEqualTo(true);
        assertThat(response.retract()).isTrue();
      }
    }
  }

  private Event event(String text) throws Exception {
    return new Event(Event.cast(json.readValue(text, Map.class)), 1);
  }

  private static LlmLogEntry call(String requestId, boolean failed, Random random) {
    LlmLogEntry.Builder builder =
        LlmLogEntry.builder()
            .timestamp(Instant.parse("2026-11-28T08:00:00Z"))
            .requestId(requestId)
            .model(random.nextBoolean() ? "gpt-4o" : "claude-3-5-sonnet")
            .latencyMs(Math.exp(6.5 + random.nextGaussian()))
            .inputTokens(100)
            .outputTokens(200);
    if (failed) {
      builder.level(LogLevel.ERROR).error(new ErrorInfo("rate_limit", "429"));
    } else {
      builder.response("ok").stopReason("stop");
    }
    return builder.build();
  }
}

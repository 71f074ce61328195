package io.llmlog.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.server.Http;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;

/**
 * Seeded synthetic traffic for tests that hold llmlog's numbers against exact ones: five models
 * with log-normal latencies (gpt-4's median is 2.4 s, so about one call in ten takes 5 s or more),
 * 2 % errors (rate limits that fail fast, timeouts that take 30 s), 5 % warnings. Every numeric
 * value is a float as the index stores it, so a test can compute exactly what the engine sees.
 */
final class GeneratedCalls {
  record Model(
      String name,
      double medianMs,
      double sigma,
      double share,
      double inputPerMillion,
      double outputPerMillion) {}

  static final List<Model> MODELS =
      List.of(
          new Model("gpt-4", 2400, 0.6, 0.25, 30, 60),
          new Model("gpt-4o-mini", 600, 0.5, 0.30, 0.15, 0.6),
          new Model("claude-3-5-sonnet", 1800, 0.7, 0.20, 3, 15),
          new Model("qwen-max", 1200, 0.8, 0.15, 1.6, 6.4),
          new Model("llama-3-70b", 900, 0.9, 0.10, 0.6, 0.8));

  private static final String[] PROMPTS = {
    "解释机器学习的基本概念",
    "我要退款，订单号 ",
    "summarise this support ticket ",
    "translate to English: 退款申请 ",
    "write a SQL query for order ",
    "what is the refund policy for item "
  };

  /** One generated call, with the values as stored. */
  record Call(
      String requestId,
      Instant timestamp,
      String service,
      String model,
      String userId,
      String level,
      float latencyMs,
      float ttftMs,
      int inputTokens,
      int outputTokens,
      double costUsd,
      float tokensPerSecond,
      String stopReason,
      String errorType,
      Float sampleWeight,
      String prompt) {

    boolean error() {
      return level.equals("error");
    }

    /** The weight the stats count this call with: its sample weight as stored, or 1. */
    double weight() {
      return sampleWeight == null ? 1 : sampleWeight;
    }

    Call withWeight(Float weight) {
      return new Call(
          requestId,
          timestamp,
          service,
          model,
          userId,
          level,
          latencyMs,
          ttftMs,
          inputTokens,
          outputTokens,
          costUsd,
          tokensPerSecond,
          stopReason,
          errorType,
          weight,
          prompt);
    }

    ObjectNode json() {
      ObjectNode call = Calls.JSON.createObjectNode();
      call.put("request_id", requestId);
      call.put("timestamp", timestamp.toString());
      call.put("service", service);
      call.put("model", model);
      call.put("user_id", userId);
      call.put("level", level);
      call.put("latency_ms", latencyMs);
      call.put("ttft_ms", ttftMs);
      call.put("input_tokens", inputTokens);
      call.put("output_tokens", outputTokens);
      call.put("cost_usd", costUsd);
      call.put("tokens_per_second", tokensPerSecond);
      call.put("stop_reason", stopReason);
      call.put("prompt", prompt);
      if (errorType != null) {
        call.putObject("error")
            .put("type", errorType)
            .put(
                "message",
                errorType.equals("timeout") ? "upstream timed out" : "429 Too Many Requests");
      }
      if (sampleWeight != null) {
        call.put("sample_weight", sampleWeight);
      }
      return call;
    }
  }

  private GeneratedCalls() {}

  /**
   * {@code count} calls of {@code service}, spread uniformly over the {@code span} before {@code
   * end}.
   */
  static List<Call> generate(long seed, int count, String service, Instant end, Duration span) {
    Random random = new Random(seed);
    List<Call> calls = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Model model = pick(random);
      double roll = random.nextDouble();
      String level = roll < 0.02 ? "error" : roll < 0.07 ? "warning" : "info";
      String errorType = null;
      double latency = model.medianMs() * Math.exp(model.sigma() * random.nextGaussian());
      if (level.equals("error")) {
        boolean timeout = random.nextBoolean();
        errorType = timeout ? "timeout" : "rate_limit";
        latency = timeout ? 30_000 + random.nextDouble() * 100 : 50 + random.nextDouble() * 200;
      }
      float latencyMs = (float) (Math.round(latency * 10) / 10.0);
      float ttftMs =
          (float) (Math.round(latencyMs * (0.05 + 0.25 * random.nextDouble()) * 10) / 10.0);
      int input = 20 + (int) Math.exp(5 + random.nextGaussian());
      int output =
          level.equals("error") ? 0 : 1 + (int) Math.exp(5.5 + 0.8 * random.nextGaussian());
      double cost =
          Math.round((input * model.inputPerMillion() + output * model.outputPerMillion())) / 1e6;
      float tps =
          output == 0
              ? 0f
              : (float)
                  (Math.round(output * 1000.0 / Math.max(1, latencyMs - ttftMs) * 100) / 100.0);
      String stop =
          level.equals("error") ? "error" : random.nextDouble() < 0.08 ? "length" : "stop";
      String prompt = PROMPTS[random.nextInt(PROMPTS.length)] + random.nextInt(100_000);
      Instant timestamp = end.minusMillis((long) (random.nextDouble() * span.toMillis()));
      calls.add(
          new Call(
              service + "-" + seed + "-" + i,
              timestamp,
              service,
              model.name(),
              "user_" + random.nextInt(1000),
              level,
              latencyMs,
              ttftMs,
              input,
              output,
              cost,
              tps,
              stop,
              errorType,
              null,
              prompt));
    }
    return calls;
  }

  /**
   * What llmlog's sampling does: errors and calls of {@code slowMs} or more are kept with weight 1
   * (written for some, left out for others: missing means 1), the rest kept at {@code rate} with
   * weight 1/rate.
   */
  static List<Call> sample(List<Call> calls, long seed, double rate, double slowMs) {
    Random random = new Random(seed);
    List<Call> kept = new ArrayList<>();
    for (Call call : calls) {
      if (call.error() || call.latencyMs() >= slowMs) {
        kept.add(call.withWeight(random.nextBoolean() ? 1f : null));
      } else if (random.nextDouble() < rate) {
        kept.add(call.withWeight((float) (1 / rate)));
      }
    }
    return kept;
  }

  /**
   * Sends the calls through llmlog's Elasticsearch-compatible {@code _bulk} in batches of {@code
   * batch}.
   */
  static void bulk(Http es, List<Call> calls, int batch) {
    for (int from = 0; from < calls.size(); from += batch) {
      StringBuilder body = new StringBuilder();
      for (Call call : calls.subList(from, Math.min(calls.size(), from + batch))) {
        body.append("{\"index\":{\"_index\":\"llm-logs\"}}\n").append(call.json()).append('\n');
      }
      Http.Answer answer =
          es.postBytes(
              "/_bulk",
              "application/x-ndjson",
              body.toString().getBytes(StandardCharsets.UTF_8),
              null);
      assertThat(answer.status()).as(answer.body()).isEqualTo(200);
      JsonNode result = answer.json();
      assertThat(result.path("errors").asBoolean())
          .as("bulk errors: %s", firstError(result))
          .isFalse();
    }
  }

  private static String firstError(JsonNode result) {
    for (JsonNode item : result.path("items")) {
      JsonNode error = item.elements().next().path("error");
      if (!error.isMissingNode()) {
        return error.toString();
      }
    }
    return "none";
  }

  private static Model pick(Random random) {
    double roll = random.nextDouble();
    for (Model model : MODELS) {
      roll -= model.share();
      if (roll < 0) {
        return model;
      }
    }
    return MODELS.get(MODELS.size() - 1);
  }

  static List<Call> where(List<Call> calls, Predicate<Call> predicate) {
    return calls.stream().filter(predicate).toList();
  }
}

package io.llmlog.bench.data;

import io.llmlog.core.ErrorInfo;
import io.llmlog.core.LlmLogEntry;
import io.llmlog.core.LogLevel;
import io.llmlog.core.QualityLogEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * A seeded generator of realistic LLM call logs: several models with their own log-normal token and
 * latency distributions, a chosen error rate (the brief's systems see 2–4%), streamed time to first
 * token, Chinese and English prompts and responses from 0.2 to 8 KB with personal data sprinkled
 * in, sessions of a few calls, and quality feedback on 5% of calls. The same seed gives the same
 * calls, on any machine.
 *
 * <p>Texts come in two kinds ({@link Texts}): the template sentences, readable and good for
 * functional tests and CPU benchmarks, but so repetitive that they flatter anything measuring
 * compression or index size; and {@link NaturalText}, which has the word statistics of real text.
 */
public final class LlmLogGenerator {
  /** How prompts and responses are written. */
  public enum Texts {
    /** A few dozen template sentences, repeated: compresses and indexes unrealistically well. */
    TEMPLATES,
    /**
     * Sentences of Zipf-distributed words or Han characters ({@link NaturalText}), Chinese ones
     * with an English term now and then as real Chinese prompts have, personal data as often as in
     * the templates: what storage and query benchmarks should use.
     */
    NATURAL
  }

  /** A model with the median and spread of its tokens and speed. */
  record Model(
      String name,
      String provider,
      double weight,
      double medianInput,
      double medianOutput,
      double medianTtftMs,
      double tokensPerSecond) {}

  static final List<Model> MODELS =
      List.of(
          new Model("gpt-4o", "openai", 0.35, 600, 350, 450, 80),
          new Model("gpt-4o-mini", "openai", 0.25, 500, 300, 300, 120),
          new Model("claude-3-5-sonnet", "anthropic", 0.2, 900, 500, 700, 60),
          new Model("qwen-max", "alibaba", 0.12, 700, 400, 600, 50),
          new Model("deepseek-chat", "deepseek", 0.08, 800, 600, 900, 40));

  private static final String[] ZH = {
    "请帮我总结一下这份季度财报的要点，重点关注收入增长和成本控制。",
    "我的订单一直没有发货，能帮我查询一下物流状态并申请退款吗？",
    "解释机器学习的基本概念，并举一个在电商推荐系统中的例子。",
    "请把下面这段合同条款翻译成英文，保持法律用语的准确性。",
    "用户反馈说登录页面加载很慢，可能的原因有哪些？如何排查？",
    "写一封道歉邮件给客户，说明延迟交付的原因并提出补偿方案。",
  };
  private static final String[] EN = {
    "Summarize the attached incident report and list the follow-up actions with owners.",
    "Write a SQL query that returns the top ten customers by revenue for the last quarter.",
    "Explain the difference between optimistic and pessimistic locking with an example.",
    "Draft a friendly reply to a customer asking why their refund has not arrived yet.",
    "Review this Java method for thread-safety issues and suggest a fix.",
    "Translate the product description into French, keeping the marketing tone.",
  };
  private static final String[] PII = {
    " 联系电话 13812345678。", " Contact me at li.wei@example.com.", " 身份证号 11010519491231002X。",
    " Card 6222 0212 3456 7890 128 on file.", " Server 10.20.30.40 returned 502.",
        " API key sk-proj-4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c.",
    " 我的邮箱是 zhang.san@example.cn，手机 15900001111。",
  };
  private static final String[] STOPS = {"stop", "stop", "stop", "stop", "length", "tool_calls"};
  private static final String[] ERRORS = {
    "rate_limit", "timeout", "context_length_exceeded", "server_error"
  };

  private final Random random;
  private final Instant start;
  private final long spanMillis;
  private final double errorRate;
  private final NaturalText natural;
  private String session;
  private int sessionLeft;

  /**
   * @param seed the seed: equal seeds give equal calls
   * @param start the earliest call time
   * @param spanMillis calls are spread uniformly over this span after {@code start}
   * @param errorRate the fraction of failed calls (the brief's systems see 2–4%)
   */
  public LlmLogGenerator(long seed, Instant start, long spanMillis, double errorRate) {
    this(seed, start, spanMillis, errorRate, Texts.TEMPLATES);
  }

  /**
   * @param seed the seed: equal seeds give equal calls
   * @param start the earliest call time
   * @param spanMillis calls are spread uniformly over this span after {@code start}
   * @param errorRate the fraction of failed calls (the brief's systems see 2–4%)
   * @param texts how prompts and responses are written
   */
  public LlmLogGenerator(long seed, Instant start, long spanMillis, double errorRate, Texts texts) {
    if (!(errorRate >= 0 && errorRate <= 1)) {
      throw new IllegalArgumentException("errorRate must be between 0 and 1, was " + errorRate);
    }
    this.random = new Random(seed);
    this.start = java.util.Objects.requireNonNull(start, "start");
    this.spanMillis = spanMillis;
    this.errorRate = errorRate;
    this.natural = texts == Texts.NATURAL ? new NaturalText(seed) : null;
  }

  /**
   * The vocabulary of the natural texts (null with template texts), for queries that should find
   * something.
   */
  public NaturalText naturalText() {
    return natural;
  }

  /** The next call. */
  public LlmLogEntry next() {
    Model model = model();
    boolean failed = random.nextDouble() < errorRate;
    boolean chinese = random.nextBoolean();
    int inputTokens = (int) Math.max(5, logNormal(model.medianInput(), 0.8));
    int outputTokens = failed ? 0 : (int) Math.max(1, logNormal(model.medianOutput(), 0.9));
    double queueWait = logNormal(15, 1.0);
    double ttft = queueWait + logNormal(model.medianTtftMs(), 0.5);
    double latency =
        ttft + outputTokens * 1000.0 / Math.max(5, logNormal(model.tokensPerSecond(), 0.3));
    if (sessionLeft-- <= 0) {
      session = "s-" + Long.toHexString(random.nextLong());
      sessionLeft = random.nextInt(6);
    }
    LlmLogEntry.Builder call =
        LlmLogEntry.builder()
            .timestamp(start.plusMillis((long) (random.nextDouble() * spanMillis)))
            .requestId(new UUID(random.nextLong(), random.nextLong()).toString())
            .traceId(Long.toHexString(random.nextLong()))
            .sessionId(session)
            .service(random.nextInt(4) == 0 ? "support-bot" : "chat-api")
            .environment("prod")
            .userId("user_" + random.nextInt(500))
            .model(model.name())
            .provider(model.provider())
            .systemPrompt(chinese ? "你是一个专业、耐心的AI助手。" : "You are a helpful, precise assistant.")
            .prompt(text(chinese, 200 + random.nextInt(random.nextInt(10) == 0 ? 7800 : 1800)))
            .temperature(Math.round(random.nextDouble() * 10) / 10.0)
            .maxTokens(2048)
            .inputTokens(inputTokens)
            .outputTokens(outputTokens)
            .queueWaitMs(round(queueWait))
            .firstTokenLatencyMs(failed ? null : round(ttft))
            .latencyMs(round(failed ? ttft * (1 + random.nextDouble() * 20) : latency))
            .putMetadata("tenant", "tenant-" + random.nextInt(20));
    if (failed) {
      String type = ERRORS[random.nextInt(ERRORS.length)];
      call.level(LogLevel.ERROR)
          .error(new ErrorInfo(type, type.replace('_', ' ') + " from " + model.provider()))
          .stopReason("error");
    } else {
      call.level(random.nextInt(50) == 0 ? LogLevel.WARNING : LogLevel.INFO)
          .response(text(chinese, 200 + random.nextInt(random.nextInt(10) == 0 ? 7800 : 2500)))
          .stopReason(STOPS[random.nextInt(STOPS.length)]);
    }
    return call.build();
  }

  /** Quality feedback on a call, for about 5% of calls (null for the rest). */
  public QualityLogEntry quality(LlmLogEntry call) {
    if (random.nextDouble() >= 0.05) {
      return null;
    }
    return new QualityLogEntry(
        call.timestamp().plusSeconds(30),
        call.requestId(),
        1 + random.nextInt(5),
        random.nextBoolean() ? "回答很有帮助" : "The answer missed the second question",
        random.nextBoolean() ? List.of("helpful") : List.of("incomplete", "needs-review"),
        "reviewer_" + random.nextInt(5),
        Map.of("relevance", Math.round(random.nextDouble() * 100) / 100.0));
  }

  private Model model() {
    double roll = random.nextDouble();
    for (Model model : MODELS) {
      roll -= model.weight();
      if (roll <= 0) {
        return model;
      }
    }
    return MODELS.get(0);
  }

  /** Text of about {@code bytes} UTF-8 bytes, with personal data in one call out of three. */
  private String text(boolean chinese, int bytes) {
    StringBuilder out = new StringBuilder();
    String[] sentences = chinese ? ZH : EN;
    int size = 0;
    while (size < bytes) {
      String sentence =
          natural == null ? sentences[random.nextInt(sentences.length)] : naturalSentence(chinese);
      if (random.nextInt(8) == 0) {
        sentence += PII[random.nextInt(PII.length)];
      }
      out.append(sentence).append(random.nextInt(5) == 0 ? "\n" : " ");
      size += sentence.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1;
    }
    return out.toString();
  }

  /** A sentence of 30-180 bytes; a Chinese one quotes an English term one time in four. */
  private String naturalSentence(boolean chinese) {
    String sentence = natural.text(chinese, 30 + random.nextInt(150));
    if (chinese && random.nextInt(4) == 0) {
      sentence += " " + natural.text(false, 6 + random.nextInt(20)).trim() + " ";
    }
    sentence = sentence.strip();
    while (sentence.endsWith(".") || sentence.endsWith("。") || sentence.endsWith("，")) {
      sentence = sentence.substring(0, sentence.length() - 1);
    }
    return sentence + (chinese ? "。" : ".");
  }

  private double logNormal(double median, double sigma) {
    return median * Math.exp(sigma * random.nextGaussian());
  }

  private static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }
}

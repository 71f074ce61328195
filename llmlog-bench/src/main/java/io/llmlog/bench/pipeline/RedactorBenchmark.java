package io.llmlog.bench.pipeline;

import io.llmlog.core.redact.PiiRedactor;
import io.llmlog.core.redact.PiiType;
import io.llmlog.core.redact.Redaction;
import io.llmlog.core.redact.RedactionMode;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * PII redaction cost.
 *
 * <ul>
 *   <li>{@link #redact2k}: one realistic 2 KB (UTF-8) prompt per operation, English or Chinese,
 *       with personal data in it or without; ops/s is records/s per core. The server's target is
 *       50,000 records/s per core for the whole pipeline, so redaction must stay well under 20 µs.
 *   <li>{@link #adversarial100k}: one recognizer (or all) over 100 KB built to make a naive scanner
 *       backtrack or rescan; the target is under 50 ms per 100 KB, and linear scanners should be
 *       far below it.
 *   <li>{@link #customCatastrophic100k}: a custom pattern that backtracks exponentially, {@code
 *       ((a+)+)+b} over 100 KB of {@code a}: the read budget stops it and the text fails closed.
 * </ul>
 *
 * {@code ./llmlog bench jmh RedactorBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s}
 */
public class RedactorBenchmark {
  private static final String EN_PII =
      """
      User: Hi, I'm having trouble with my account. My email is zhang.wei@example.com and my backup is \
      z.wei+billing@company.co.uk. You can call me at +1 (415) 555-2671 or on my Chinese mobile 138-1234-5678.
      I was charged twice on card 4111 1111 1111 1111 last Tuesday, order 20261128083015123, amount $129.99.
      The second charge came from IP 203.0.113.45 which is not mine; my home IP is 192.168.1.20.
      Here is the script I use to call your API, maybe the problem is there:
      ```python
      import requests
      API_KEY = "sk-proj-Ab3dE6gH9jK2mN5pQ8rS1tV4wX7yZ0aB3cD6eF9gH2jK5mN8pQ1r"
      headers = {"Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"}
      resp = requests.post("https://api.example.com/v1/orders", headers=headers, json={"id": 42, "version": "1.2.3"})
      print(resp.status_code, resp.elapsed.total_seconds())
      ```
      It prints 401 and 0.532. I also tried from my laptop (2001:db8:85a3::8a2e:370:7334) with the same result.
      Timestamp of the last try: 2026-11-28 08:30:15, request id 6f1f0a4e-8c1b-4a52-9b8e-2a7f3c1d9e10.
      Assistant: I'm sorry for the trouble. I can see two charges for the order. For security, please never \
      share your API key in a support chat; rotate it in the dashboard. The 401 means the token has expired: \
      tokens are valid for one hour. I have opened a refund for the duplicate charge; it takes 3-5 business \
      days. Is there anything else I can help you with today? Please also confirm your billing address so \
      that we can update the invoice, and tell us which plan you are on so the refund goes to the right account.
      """;
  private static final String ZH_PII =
      """
      用户:你好,我的账户出问题了。我叫张伟,手机号是13812345678,备用号码+86 139 8765 4321,邮箱zhangwei@163.com。
      身份证号11010519491231002X,上周二在你们网站下单(订单号20261128083015123)被扣了两次款,\
      银行卡号6222 0212 3456 7890 128,金额¥1299.00。第二笔扣款来自IP 203.0.113.45,不是我本人操作,\
      我家的IP是192.168.1.20。我用下面的脚本调用接口,密钥是sk-Ab3dE6gH9jK2mN5pQ8rS1tV4wX7yZ0aB3cD6eF9g,\
      返回401,耗时0.532秒。
      助手:非常抱歉给您带来不便。我看到该订单确实有两笔扣款,已经为您发起退款,预计3-5个工作日到账。\
      出于安全考虑,请不要在客服对话中发送密钥和身份证号,建议您尽快在控制台重置API密钥。401表示令牌已过期,\
      令牌有效期为一小时。请问还有什么可以帮您?
      """;
  private static final String EN_CLEAN =
      """
      User: Can you explain how gradient descent works, and why the learning rate matters? I read that \
      version 1.2.3 of our training library changed the default schedule, and since then the loss curve \
      looks different: it drops quickly for 1000 steps and then plateaus around 0.35. Is that expected?
      Assistant: Gradient descent minimises a loss function by repeatedly moving the parameters a small step \
      against the gradient. The learning rate sets the size of that step. If it is too large, the updates \
      overshoot the minimum and the loss oscillates or diverges; if it is too small, training is slow and \
      can stall on plateaus. Schedules such as cosine decay or warm-up followed by decay change the learning \
      rate over time: large steps early to make fast progress, small steps late to settle into a minimum. \
      A plateau after a fast initial drop is common. It can mean the learning rate has decayed too early, \
      that the model has learned the easy patterns and needs more capacity or data for the rest, or that \
      the optimiser is in a flat region. Things to try: compare the old and new schedules on the same seed, \
      plot the learning rate next to the loss, try a slightly higher peak rate with a longer warm-up, and \
      check the validation loss to see whether the plateau is underfitting or the start of overfitting. \
      Momentum and adaptive methods like Adam help in flat regions because they accumulate consistent \
      gradient directions. Batch size interacts with all of this: larger batches give smoother gradients \
      and usually tolerate a larger learning rate. Keep a log of each run's settings so that you can \
      compare them later, and change one thing at a time.
      """;
  private static final String ZH_CLEAN =
      """
      用户:请解释一下机器学习的基本概念,以及监督学习和无监督学习有什么区别?我们在1.2.3版本之后的训练曲线\
      有些不同,前1000步下降很快,之后稳定在0.35左右,这正常吗?
      助手:机器学习是人工智能的一个子领域,它让计算机从数据中学习规律,而不是依靠人工编写的规则。监督学习使用\
      带标签的数据训练模型,例如根据房屋面积和位置预测价格;无监督学习则在没有标签的数据中发现结构,例如把用户\
      按行为聚类。训练曲线前期快速下降、后期趋于平稳是常见现象,可能是学习率衰减过早,也可能是模型已经学会了\
      简单的模式,需要更多容量或数据。建议在相同随机种子下对比新旧版本的学习率策略,把学习率曲线和损失曲线画在\
      一起观察,并查看验证集损失,判断是欠拟合还是开始过拟合。每次实验只改变一个因素,并记录所有超参数。
      """;

  /** Realistic prompts: one record per operation. */
  @State(Scope.Benchmark)
  public static class Prompts {
    @Param({"en_pii", "zh_pii", "en_clean", "zh_clean"})
    public String text;

    @Param({"token", "mask", "hash"})
    public String mode;

    /** "all", "none" or one type's config name: to see what each recognizer costs. */
    @Param({"all"})
    public String recognizers;

    String input;
    PiiRedactor redactor;

    @Setup
    public void setUp() {
      String base =
          switch (text) {
            case "en_pii" -> EN_PII;
            case "zh_pii" -> ZH_PII;
            case "en_clean" -> EN_CLEAN;
            case "zh_clean" -> ZH_CLEAN;
            default -> throw new IllegalArgumentException(text);
          };
      input = toUtf8Bytes(base, 2048);
      PiiRedactor.Builder builder =
          PiiRedactor.builder()
              .mode(RedactionMode.parse(mode))
              .hmacKey("bench-key-0123456789abcdef");
      if (recognizers.equals("none")) {
        builder.recognizers();
      } else if (!recognizers.equals("all")) {
        builder.recognizers(PiiType.fromConfigName(recognizers));
      }
      redactor = builder.build();
      Redaction check = redactor.redact(input);
      if ((recognizers.equals("all") && text.endsWith("_pii") == check.counts().isEmpty())
          || check.failed()) {
        throw new IllegalStateException(text + ": unexpected " + check.counts());
      }
    }
  }

  /** Pads or cuts {@code text} to about {@code bytes} UTF-8 bytes, at a character boundary. */
  static String toUtf8Bytes(String text, int bytes) {
    StringBuilder out = new StringBuilder(text);
    while (out.toString().getBytes(StandardCharsets.UTF_8).length < bytes) {
      out.append(' ').append(text, 0, Math.min(text.length(), 200));
    }
    String result = out.toString();
    while (result.getBytes(StandardCharsets.UTF_8).length > bytes) {
      result = result.substring(0, result.length() - 1);
    }
    return result;
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public Redaction redact2k(Prompts state) {
    return state.redactor.redact(state.input);
  }

  /** 100 KB of hostile input per operation, against one recognizer or all of them. */
  @State(Scope.Benchmark)
  public static class Hostile {
    @Param({"all", "email", "phone", "cn_id", "bank_card", "ip", "secret"})
    public String recognizer;

    @Param({
      "digits",
      "near_miss_email",
      "dash_digits",
      "dots",
      "colons",
      "begin_no_end",
      "mixed_near_miss"
    })
    public String input;

    static final int SIZE = 100 * 1024;
    String text;
    PiiRedactor redactor;

    @Setup
    public void setUp() {
      text = hostile(input);
      redactor =
          recognizer.equals("all")
              ? PiiRedactor.defaults()
              : PiiRedactor.builder().recognizers(PiiType.fromConfigName(recognizer)).build();
    }

    static String hostile(String kind) {
      String unit =
          switch (kind) {
            case "digits" -> "1";
            case "near_miss_email" -> "a";
            case "dash_digits" -> "1-";
            case "dots" -> ".";
            case "colons" -> ":";
            case "begin_no_end" -> "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAx4UbaDzY\n";
            case "mixed_near_miss" ->
                "a@b 1.2.3 12:34::x sk-ab AKIA12 13812345 6222-0212 eyJx.y -----BEGIN ::ffff: 1.2.3.4.5 ";
            default -> throw new IllegalArgumentException(kind);
          };
      StringBuilder out = new StringBuilder(SIZE + unit.length());
      if (kind.equals("begin_no_end")) {
        // One header and a body that never ends, then many headers without bodies.
        out.append("-----BEGIN RSA PRIVATE KEY-----\n");
        while (out.length() < SIZE / 2) {
          out.append("MIIEowIBAAKCAQEAx4UbaDzY3xjk1q8Pz7Yd0Kx9W6gtRkq2nWmXl3RZ5wQ\n");
        }
        out.append("\u2026");
      }
      while (out.length() < SIZE) {
        out.append(unit);
      }
      if (kind.equals("near_miss_email")) {
        out.setLength(SIZE - 1);
        out.append('@');
      }
      return out.toString();
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public Redaction adversarial100k(Hostile state) {
    return state.redactor.redact(state.text);
  }

  /** A custom pattern with exponential backtracking, stopped by the read budget. */
  @State(Scope.Benchmark)
  public static class Catastrophic {
    String text;
    PiiRedactor redactor;

    @Setup
    public void setUp() {
      text = "a".repeat(Hostile.SIZE);
      redactor =
          PiiRedactor.builder()
              .recognizers()
              .custom("evil", "((a+)+)+b", RedactionMode.TOKEN)
              .build();
      if (!redactor.redact(text).failed()) {
        throw new IllegalStateException("expected the budget to stop ((a+)+)+b");
      }
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public Redaction customCatastrophic100k(Catastrophic state) {
    return state.redactor.redact(state.text);
  }
}

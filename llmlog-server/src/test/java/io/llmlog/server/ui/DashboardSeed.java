package io.llmlog.server.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A realistic hour of LLM calls for the dashboard's tests and screenshots: four models with their
 * own latency profiles, two dozen users in sessions, Chinese and English prompts, errors and
 * truncated answers, plus a few calls the tests look for by id. Seeded, so every run stores the
 * same calls (at times relative to now).
 */
final class DashboardSeed {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String SHOWCASE_ID = "req_5f2c9a17e0b4";
  static final String SHOWCASE_SESSION = "sess_8d41_user_107";
  static final String RATE_ME_ID = "req_0c77d2a9b313";
  static final String HOSTILE_ID = "req_hostile_0001";
  static final String LONG_ID = "req_long_answer_01";

  /**
   * Every way a naive page would run or fetch something; each would set window.__xss or load /x.
   */
  static final String HOSTILE_PROMPT =
      "Summarise this page for me:\n<script>window.__xss = 1</script>\n"
          + "<img src=x onerror=\"window.__xss = 1\">\n<a href=\"javascript:window.__xss = 1\">click here</a>\n"
          + "<svg onload=\"window.__xss = 1\"></svg> hostile probe";

  static final String HOSTILE_RESPONSE =
      "I will not run <script>alert(1)</script> or <iframe src=\"javascript:alert(1)\"></iframe>; "
          + "here is <b>bold</b> text and a [link](javascript:alert(1)).";

  private static final String[] MODELS = {
    "gpt-4o", "gpt-4o-mini", "claude-sonnet-4", "deepseek-chat"
  };
  private static final String[] PROVIDERS = {"openai", "openai", "anthropic", "deepseek"};
  private static final double[] MODEL_SHARE = {0.35, 0.30, 0.20, 0.15};
  private static final double[] BASE_LATENCY = {2100, 850, 2700, 3400};
  private static final String[][] TASKS = {
    {
      "support-bot",
      "You are a friendly support assistant for Acme Cloud. Answer briefly and link to the docs.",
      "Can I get a refund for the unused months of my annual plan?",
      "Yes. Annual plans can be refunded pro rata within 30 days of renewal: go to Billing → Subscriptions → Cancel, "
          + "and the refund reaches your card in 5–10 business days."
    },
    {
      "support-bot",
      "You are a friendly support assistant for Acme Cloud. Answer briefly and link to the docs.",
      "Why does my Kubernetes pod keep restarting with OOMKilled?",
      "The container exceeds its memory limit. Check `kubectl describe pod` for the limit, raise resources.limits.memory, "
          + "or find the leak with a heap profile."
    },
    {
      "support-bot",
      "你是 Acme 云的客服助手，回答要简洁、礼貌。",
      "我上个月被重复扣费了，怎么申请退款？",
      "很抱歉给您带来不便。请在 控制台 → 费用中心 → 账单明细 中找到重复的扣费记录，点击「申请退款」，一般 3–5 个工作日到账。"
    },
    {
      "doc-summarizer",
      "你是一个专业的中文写作助手，输出使用 Markdown。",
      "帮我总结这份季度财报的要点，控制在五条以内。",
      "1. 营收同比增长 18%，主要来自云服务。\n2. 毛利率提升至 42%。\n3. 研发投入占营收 21%。\n4. 海外收入占比首次超过 30%。\n5. 下季度指引保持乐观。"
    },
    {
      "doc-summarizer",
      "你是一个专业的中文写作助手，输出使用 Markdown。",
      "请把下面的会议纪要整理成待办事项：周三前完成接口评审，周五发布灰度版本。",
      "- [ ] 周三前：完成接口评审（负责人：后端组）\n- [ ] 周五：发布灰度版本（负责人：发布经理）"
    },
    {
      "doc-summarizer",
      "You summarise documents for busy engineers.",
      "Summarise the attached incident report about the database failover in three bullet points.",
      "- The primary lost its disk at 02:14 UTC; failover took 41 s.\n- Writes were rejected for 39 s, no data was lost.\n"
          + "- Action items: alert on replica lag, rehearse failover monthly."
    },
    {
      "sql-copilot",
      "You translate questions into PostgreSQL. Return only SQL.",
      "Write a SQL query that returns the top 10 customers by revenue this year.",
      "SELECT customer_id, SUM(amount) AS revenue\nFROM orders\nWHERE created_at >= date_trunc('year', now())\n"
          + "GROUP BY customer_id\nORDER BY revenue DESC\nLIMIT 10;"
    },
    {
      "sql-copilot",
      "You translate questions into PostgreSQL. Return only SQL.",
      "统计每个城市最近 7 天的订单数，按订单数降序排列。",
      "SELECT city, COUNT(*) AS orders\nFROM orders\nWHERE created_at >= now() - interval '7 days'\nGROUP BY city\nORDER BY orders DESC;"
    },
    {
      "support-bot",
      "You are a friendly support assistant for Acme Cloud. Answer briefly and link to the docs.",
      "Draft a polite reply to a customer whose refund was declined because the 30-day window had passed.",
      "Dear customer, thank you for reaching out. Unfortunately the refund window for this renewal closed on the 30th day; "
          + "as a gesture of goodwill we have added one free month to your account."
    },
    {
      "marketing-writer",
      "你是资深营销文案，语气活泼。",
      "为新上线的降噪耳机写一段 100 字以内的营销文案。",
      "戴上它，城市的喧嚣一键静音。40 小时超长续航，通勤、出差、专注工作都刚刚好——把安静，留给重要的事。"
    },
  };
  private static final String[] ERRORS = {
    "rate_limit_exceeded", "timeout", "context_length_exceeded", "upstream_503"
  };
  private static final String[] ERROR_MESSAGES = {
    "Rate limit reached for requests per minute (limit 500). Retry after 2 s.",
    "The upstream model did not answer within 60 s.",
    "This model's maximum context length is 128000 tokens; the request had 131072.",
    "Service temporarily unavailable."
  };

  private final Random random = new Random(20261128L);
  private final Instant now;
  private final List<ObjectNode> calls = new ArrayList<>();

  private DashboardSeed(Instant now) {
    this.now = now.truncatedTo(ChronoUnit.MILLIS);
  }

  /**
   * The calls of the last hour (all between 50 and 1 minutes ago: a slow run has ten minutes before
   * the first drops out of a one-hour view), and the special ones.
   */
  static DashboardSeed generate(Instant now, int count) {
    DashboardSeed seed = new DashboardSeed(now);
    for (int i = 0; i < count; i++) {
      seed.calls.add(seed.regular(i));
    }
    seed.calls.add(seed.showcase());
    seed.calls.add(seed.hostile());
    seed.calls.add(seed.longAnswer());
    return seed;
  }

  List<ObjectNode> calls() {
    return calls;
  }

  /** The ids of the calls that match, to compare with what a search shows. */
  List<String> ids(Predicate<ObjectNode> filter) {
    return calls.stream().filter(filter).map(c -> c.path("request_id").asText()).toList();
  }

  /**
   * True when a text field of the call holds the word as the search finds it: a Latin word as a
   * whole token, a Chinese one as a phrase of characters anywhere.
   */
  static boolean mentions(ObjectNode call, String word) {
    boolean chinese =
        word.codePoints()
            .anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
    String quoted = Pattern.quote(word.toLowerCase(Locale.ROOT));
    Pattern pattern =
        Pattern.compile(chinese ? quoted : "(?<![\\p{L}\\p{N}])" + quoted + "(?![\\p{L}\\p{N}])");
    for (String field : List.of("prompt", "system_prompt", "response")) {
      if (pattern.matcher(call.path(field).asText("").toLowerCase(Locale.ROOT)).find()) {
        return true;
      }
    }
    return false;
  }

  private ObjectNode regular(int i) {
    int model = pick(MODEL_SHARE);
    String[] task = TASKS[random.nextInt(TASKS.length)];
    int user = 101 + (int) Math.floor(Math.pow(random.nextDouble(), 1.6) * 24);
    Instant timestamp =
        now.minusSeconds(60 + random.nextInt(49 * 60)).minusMillis(random.nextInt(1000));
    String id = "req_" + hex(12);
    ObjectNode call = JSON.createObjectNode();
    call.put("request_id", i == 17 ? RATE_ME_ID : id);
    call.put("timestamp", timestamp.toString());
    call.put("service", task[0]);
    call.put("environment", "prod");
    call.put("model", MODELS[model]);
    call.put("provider", PROVIDERS[model]);
    call.put("user_id", "user_" + user);
    call.put("session_id", "sess_" + hex(4) + "_user_" + user);
    call.put("trace_id", hex(16));
    call.put("system_prompt", task[1]);
    call.put("prompt", task[2]);
    call.put("temperature", new double[] {0.2, 0.7, 1.0}[random.nextInt(3)]);
    call.put("max_tokens", new int[] {512, 1024, 2048}[random.nextInt(3)]);
    int input = 40 + random.nextInt(1800);
    call.put("input_tokens", input);
    double latency = BASE_LATENCY[model] * Math.exp(random.nextGaussian() * 0.45);
    double queue = random.nextDouble() < 0.3 ? 20 + random.nextInt(400) : 0;
    double r = random.nextDouble();
    if (r < 0.06) {
      int kind = random.nextInt(ERRORS.length);
      call.put("level", "error");
      call.put("stop_reason", "error");
      call.putObject("error").put("type", ERRORS[kind]).put("message", ERROR_MESSAGES[kind]);
      call.put("latency_ms", round(kind == 1 ? 60000 : latency * 0.3));
      call.put("output_tokens", 0);
    } else {
      boolean cut = r < 0.10;
      call.put("level", cut ? "warning" : "info");
      call.put("stop_reason", cut ? "length" : "stop");
      call.put("response", task[3]);
      call.put("output_tokens", cut ? call.path("max_tokens").asInt() : 20 + random.nextInt(700));
      call.put("latency_ms", round(latency + queue));
      call.put("ttft_ms", round(queue + latency * (0.08 + random.nextDouble() * 0.14)));
    }
    if (queue > 0) {
      call.put("queue_wait_ms", round(queue));
    }
    call.putObject("metadata")
        .put("tenant", random.nextBoolean() ? "acme" : "globex")
        .put("region", random.nextBoolean() ? "cn-east" : "us-west");
    call.putArray("tags").add(task[0].equals("sql-copilot") ? "copilot" : "chat");
    return call;
  }

  /**
   * The call of the detail screenshot: long texts, personal data the pipeline redacts, a rating.
   */
  private ObjectNode showcase() {
    ObjectNode call = JSON.createObjectNode();
    call.put("request_id", SHOWCASE_ID);
    call.put("timestamp", now.minusSeconds(9 * 60).toString());
    call.put("service", "support-bot");
    call.put("environment", "prod");
    call.put("model", "claude-sonnet-4");
    call.put("provider", "anthropic");
    call.put("user_id", "user_107");
    call.put("session_id", SHOWCASE_SESSION);
    call.put("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
    call.put(
        "system_prompt",
        "你是 Acme 云的客服助手。\n规则：\n1. 只回答与 Acme 云产品有关的问题；\n2. 涉及退款时先核对订单号；\n3. 不要在回答中重复用户的联系方式。");
    call.put(
        "prompt",
        "你好，我的订单 A-20391 被重复扣费了两次（每次 ¥299）。\n"
            + "我的邮箱是 zhang.wei@example.com，手机 13812345678，麻烦尽快帮我退款。\n"
            + "Also, can you send the invoice in English to the same address?");
    call.put(
        "response",
        "您好，张先生！已经为您核实：订单 A-20391 在 11 月 28 日确实被扣费两次。\n\n"
            + "处理方案：\n"
            + "1. 重复扣除的 ¥299 已提交退款，预计 3–5 个工作日原路退回；\n"
            + "2. 英文发票会在退款完成后发送到您账户绑定的邮箱。\n\n"
            + "Summary in English: the duplicate charge of ¥299 on order A-20391 has been refunded; "
            + "an English invoice will follow by e-mail once the refund completes.\n\n"
            + "如还有其他问题，随时联系我们。");
    call.put("temperature", 0.3);
    call.put("top_p", 0.9);
    call.put("max_tokens", 1024);
    call.put("input_tokens", 412);
    call.put("cached_input_tokens", 128);
    call.put("output_tokens", 236);
    call.put("queue_wait_ms", 180.0);
    call.put("ttft_ms", 640.0);
    call.put("latency_ms", 3920.0);
    call.put("level", "info");
    call.put("stop_reason", "stop");
    call.putObject("metadata").put("tenant", "acme").put("ticket", "CS-58213");
    call.putArray("tags").add("billing").add("refund");
    return call;
  }

  /** Texts that would run script, load images or navigate if a page treated them as HTML. */
  private ObjectNode hostile() {
    ObjectNode call = JSON.createObjectNode();
    call.put("request_id", HOSTILE_ID);
    call.put("timestamp", now.minus(2, ChronoUnit.HOURS).toString());
    call.put("model", "gpt-4o-mini");
    call.put("user_id", "\"><img src=x onerror=window.__xss=1>");
    call.put("session_id", "javascript:window.__xss=1");
    call.put(
        "system_prompt", "<style>body{display:none}</style><base href=\"http://203.0.113.1/\">");
    call.put("prompt", HOSTILE_PROMPT);
    call.put("response", HOSTILE_RESPONSE);
    call.put("level", "error");
    call.putObject("error")
        .put("type", "<b>bad</b>")
        .put("message", "<img src=x onerror=\"window.__xss = 1\">");
    call.putObject("metadata").put("note", "<script>window.__xss = 1</script>");
    call.put("latency_ms", 1200.0);
    call.put("input_tokens", 80);
    call.put("output_tokens", 40);
    return call;
  }

  /**
   * A call with a long answer, which the detail page folds, and a prompt the pipeline would have
   * cut.
   */
  private ObjectNode longAnswer() {
    StringBuilder answer = new StringBuilder("-- Migration plan, generated step by step\n");
    for (int step = 1; step <= 60; step++) {
      answer
          .append(step)
          .append(". ALTER TABLE orders_")
          .append(step)
          .append(" ADD COLUMN refund_state text; -- 第 ")
          .append(step)
          .append(" 步\n");
    }
    ObjectNode call = JSON.createObjectNode();
    call.put("request_id", LONG_ID);
    call.put("timestamp", now.minus(3, ChronoUnit.HOURS).toString());
    call.put("model", "deepseek-chat");
    call.put("prompt", "Plan the schema migration for all 60 order tables.");
    call.put("response", answer.toString());
    call.putArray("truncated").add("prompt");
    call.put("latency_ms", 18400.0);
    call.put("input_tokens", 2400);
    call.put("output_tokens", 1900);
    call.put("level", "info");
    call.put("stop_reason", "stop");
    return call;
  }

  /**
   * An incident for the alert tests and the Alerts screenshot: calls of the last three minutes in
   * which gpt-4o is rate-limited (four in ten of its calls fail fast with a 429) while the other
   * models answer as usual. Seeded, like the rest.
   */
  static List<ObjectNode> incident(Instant now, int count) {
    DashboardSeed seed = new DashboardSeed(now);
    Random random = new Random(20261129L);
    List<ObjectNode> calls = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ObjectNode call = seed.regular(i);
      Instant timestamp =
          seed.now.minusSeconds(5 + random.nextInt(175)).minusMillis(random.nextInt(1000));
      call.put("request_id", String.format(Locale.ROOT, "req_incident_%03d", i));
      call.put("timestamp", timestamp.toString());
      boolean gpt4o = i % 2 == 0;
      if (gpt4o) {
        call.put("model", MODELS[0]).put("provider", PROVIDERS[0]);
      } else if (call.path("model").asText().equals(MODELS[0])) {
        call.put("model", MODELS[1]).put("provider", PROVIDERS[1]);
      }
      if (gpt4o && i % 5 < 2) {
        call.put("level", "error")
            .put("stop_reason", "error")
            .put("output_tokens", 0)
            .put("latency_ms", 180.0 + random.nextInt(400));
        call.putObject("error").put("type", ERRORS[0]).put("message", ERROR_MESSAGES[0]);
        call.remove(List.of("response", "ttft_ms"));
      } else if (call.path("level").asText().equals("error")) {
        call.put("level", "info")
            .put("stop_reason", "stop")
            .put("response", "OK.")
            .put("output_tokens", 40)
            .put("latency_ms", 1500.0);
        call.remove("error");
      }
      calls.add(call);
    }
    return calls;
  }

  /** Two ratings already given, so the detail page shows some. */
  List<ObjectNode> quality() {
    return List.of(
        JSON.createObjectNode()
            .put("request_id", SHOWCASE_ID)
            .put("timestamp", now.minusSeconds(6 * 60).toString())
            .put("rating", 4)
            .put("feedback", "退款处理正确，但回答里不应提到邮箱。")
            .put("reviewer_id", "qa_li")
            .set("annotations", JSON.createArrayNode().add("helpful").add("pii-risk")),
        JSON.createObjectNode()
            .put("request_id", SHOWCASE_ID)
            .put("timestamp", now.minusSeconds(5 * 60).toString())
            .put("rating", 5)
            .put("feedback", "Clear and correct.")
            .put("reviewer_id", "qa_sam"));
  }

  private int pick(double[] shares) {
    double r = random.nextDouble();
    for (int i = 0; i < shares.length; i++) {
      r -= shares[i];
      if (r < 0) {
        return i;
      }
    }
    return shares.length - 1;
  }

  private String hex(int digits) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < digits; i++) {
      text.append(Character.forDigit(random.nextInt(16), 16));
    }
    return text.toString();
  }

  private static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }
}

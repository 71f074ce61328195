package io.llmlog.core.redact;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates the labelled PII corpus under {@code src/test/resources/pii-corpus/}: for every {@link
 * PiiType}, {@value #PER_LABEL} positives (a sentence holding exactly one value of the type, and
 * the span that must be redacted) and as many hard negatives (a sentence holding something that
 * looks like the type but is not personal data of any type). Half the sentences are Chinese, half
 * English.
 *
 * <p>Seeded, one {@link Random} per type, so adding sentences to one type does not change the
 * others. {@link PiiCorpusTest} checks the committed files against this generator; regenerate them
 * with {@code mvn -pl llmlog-core test -Dtest=PiiCorpusTest
 * -Dpii.corpus.write=src/test/resources/pii-corpus}.
 */
final class PiiCorpusGenerator {
  static final long SEED = 20261128L;
  static final int PER_LABEL = 220;

  /**
   * More bank cards and secrets in the forms first seen missed in the field: cards of 16–19 digits
   * in every grouping (4-4-4-4-x, 4-6-5, 6-13), provider keys whose random part has no digit (or no
   * letter), keys after full-width punctuation; and hard negatives shaped like them.
   */
  static final int EXTENDED_PER_LABEL = 120;

  private static final long EXTENSION_SEED = 1_000;

  /** One corpus line; {@code span} is empty for negatives. */
  record Line(PiiType type, boolean positive, String lang, String sentence, String span) {}

  /** What a value generator returns: the text to put in the sentence and the part to redact. */
  private record Value(String text, String span) {
    static Value of(String text) {
      return new Value(text, text);
    }
  }

  private PiiCorpusGenerator() {}

  static Map<PiiType, List<Line>> generate() {
    Map<PiiType, List<Line>> corpus = new EnumMap<>(PiiType.class);
    for (PiiType type : PiiType.values()) {
      CorpusValues values = new CorpusValues(new Random(SEED * 31 + type.ordinal()));
      List<Line> lines = new ArrayList<>();
      for (int k = 0; k < PER_LABEL; k++) {
        lines.add(line(type, true, k, values));
      }
      for (int k = 0; k < PER_LABEL; k++) {
        lines.add(line(type, false, k, values));
      }
      if (type == PiiType.BANK_CARD || type == PiiType.SECRET) {
        // Appended with a Random of their own, so that the lines above stay as they were.
        CorpusValues more =
            new CorpusValues(new Random(SEED * 31 + type.ordinal() + EXTENSION_SEED));
        for (int k = 0; k < EXTENDED_PER_LABEL; k++) {
          lines.add(extendedLine(type, true, k, more));
        }
        for (int k = 0; k < EXTENDED_PER_LABEL; k++) {
          lines.add(extendedLine(type, false, k, more));
        }
      }
      corpus.put(type, lines);
    }
    return corpus;
  }

  private static Line line(PiiType type, boolean positive, int k, CorpusValues v) {
    boolean zh = k % 2 == 0;
    Value value = positive ? positive(type, k / 2, v) : negative(type, k / 2, v);
    List<String> contexts = contexts(type, positive, zh);
    String context = v.pick(contexts);
    String sentence = context.replace("{}", value.text());
    return new Line(type, positive, zh ? "zh" : "en", sentence, positive ? value.span() : "");
  }

  private static Line extendedLine(PiiType type, boolean positive, int k, CorpusValues v) {
    boolean zh = k % 2 == 0;
    Value value =
        positive
            ? (type == PiiType.SECRET ? moreSecret(k / 2, v) : Value.of(moreCard(k / 2, v)))
            : Value.of(type == PiiType.SECRET ? notMoreSecret(k / 2, v) : notMoreCard(k / 2, v));
    List<String> contexts =
        !positive
            ? (zh ? NEGATIVE_ZH : NEGATIVE_EN)
            : type == PiiType.SECRET
                ? (zh ? PUNCTUATED_ZH : PUNCTUATED_EN)
                : contexts(type, true, zh);
    String sentence = v.pick(contexts).replace("{}", value.text());
    return new Line(type, positive, zh ? "zh" : "en", sentence, positive ? value.span() : "");
  }

  /** Keys right after punctuation, ASCII and full-width. */
  private static final List<String> PUNCTUATED_ZH =
      List.of("密钥：{}", "key:{}", "配置api_key：{}，请检查", "【{}】", "token＝{}", "“{}”不能用吗？");

  private static final List<String> PUNCTUATED_EN =
      List.of("key:{}", "api_key='{}'", "(key={})", "key：{}", "header value:{}; expired?", "[{}]");

  private static final String LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  private static Value moreSecret(int k, CorpusValues v) {
    switch (k % 12) {
      case 0:
        return Value.of("sk-" + v.chars(LETTERS, 48));
      case 1:
        return Value.of(
            "sk-" + v.chars(v.random().nextBoolean() ? "abcdef" : CorpusValues.HEX, 32));
      case 2:
        return Value.of("sk-proj-" + v.chars(LETTERS + "-_", v.between(60, 156)));
      case 3:
        return Value.of("sk-ant-api03-" + v.chars(LETTERS + "-_", 93) + "AA");
      case 4:
        return Value.of(
            v.pick(List.of("sk_live_", "sk_test_")) + v.chars(LETTERS, v.between(24, 99)));
      case 5:
        return Value.of(
            v.pick(List.of("AKIA", "ASIA")) + v.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 16));
      case 6:
        return Value.of("AIza" + v.chars(LETTERS + "-_", 35));
      case 7:
        return Value.of(
            v.random().nextBoolean()
                ? "ghp_" + v.chars(LETTERS, 36)
                : "github_pat_" + v.chars(LETTERS, 22) + "_" + v.chars(LETTERS, 59));
      case 8:
        return Value.of(
            v.pick(List.of("xoxb-", "xoxp-", "xoxe-"))
                + v.chars(LETTERS, 12)
                + "-"
                + v.chars(LETTERS, 13)
                + "-"
                + v.chars(LETTERS, 24));
      case 9:
        return Value.of(v.hexHash(32) + "." + v.chars(CorpusValues.BASE62, 16));
      case 10:
        return Value.of("sk-" + v.digits(32));
      default:
        return Value.of(
            v.pick(List.of("sk-svcacct-", "sk-admin-"))
                + v.chars(LETTERS + "-_", v.between(60, 120)));
    }
  }

  private static String notMoreSecret(int k, CorpusValues v) {
    switch (k % 10) {
      case 0:
        return "sk-"
            + v.pick(
                List.of(
                    "learn-compatible-estimator",
                    "learn-style-pipeline-api",
                    "image-processing-tools"));
      case 1:
        return v.hexHash(32) + v.pick(List.of(".json", ".png", ".tar.gz", ".jpeg"));
      case 2:
        return "md5 " + v.hexHash(32);
      case 3:
        return "xoxo-"
            + v.pick(List.of("gossip-girl", "see-you-soon-my-friend", "hugs-and-kisses"));
      case 4:
        return v.pick(
            List.of(
                "xoxb-token-goes-here",
                "xoxp-your-token",
                "sk-proj-XXXX",
                "sk-proj-...",
                "sk-ant-api03-...",
                "sk_live_..."));
      case 5:
        return v.hexHash(40) + "." + v.chars(LETTERS, 16);
      case 6:
        return v.hexHash(32) + "." + v.chars(LETTERS, v.random().nextBoolean() ? 12 : 20);
      case 7:
        return "AKIA" + v.chars("abcdefghijklmnopqrstuvwxyz", 16);
      case 8:
        return "sk-" + v.chars(LETTERS, v.between(5, 19));
      default:
        return "ghp_" + v.chars(LETTERS, v.between(5, 25));
    }
  }

  private static String moreCard(int k, CorpusValues v) {
    String unionPay = v.pick(List.of("622202", "621700", "622848", "621226", "623668"));
    switch (k % 7) {
      case 0:
        return CorpusValues.groupsOfFour(v.cardNumber(unionPay, 18), ' ');
      case 1:
        return CorpusValues.groupsOfFour(v.cardNumber(unionPay, 17), '-');
      case 2:
        return CorpusValues.groupsOfFour(
            v.cardNumber(unionPay, v.between(17, 18)), v.random().nextBoolean() ? ' ' : '-');
      case 3:
        return CorpusValues.grouped(
            v.cardNumber(unionPay, 19), v.random().nextBoolean() ? ' ' : '-', 6, 13);
      case 4:
        return CorpusValues.grouped(
            v.cardNumber("3" + v.pick(List.of("4", "7")), 15), '-', 4, 6, 5);
      case 5:
        return v.cardNumber(unionPay, v.between(17, 18));
      default:
        return CorpusValues.groupsOfFour(v.cardNumber(unionPay, 19), '-');
    }
  }

  private static String notMoreCard(int k, CorpusValues v) {
    while (true) {
      String candidate;
      switch (k % 6) {
        case 0:
          candidate =
              CorpusValues.groupsOfFour(
                  v.luhnFailing(v.pick(List.of("622202", "621700")), v.between(17, 18)),
                  v.random().nextBoolean() ? ' ' : '-');
          break;
        case 1:
          candidate = CorpusValues.grouped(v.luhnFailing("622202", 19), ' ', 6, 13);
          break;
        case 2:
          // A grouped timestamp: 2026 1128 0830 1512 34
          candidate =
              CorpusValues.groupsOfFour(v.orderNumber().substring(0, 14) + v.digits(4), ' ');
          break;
        case 3:
          candidate =
              CorpusValues.groupsOfFour(
                  v.pick(List.of("1", "7", "8", "9")) + v.digits(v.between(16, 18)), ' ');
          break;
        case 4:
          // Too short for a card starting with 6, in the shapes of 6-13 and 4-4-4-4-x.
          candidate =
              v.random().nextBoolean()
                  ? CorpusValues.grouped(v.luhnFailing("622202", 15), ' ', 6, 9)
                  : CorpusValues.groupsOfFour(v.luhnFailing("6222", 15), '-');
          break;
        default:
          candidate =
              "第 "
                  + v.between(1, 9)
                  + " 期 "
                  + CorpusValues.grouped(v.luhnFailing("6217", 16), ' ', 4, 4, 4, 4)
                  + " "
                  + v.between(1, 9)
                  + " 次";
          break;
      }
      if (!anyGroupPrefixIsCard(candidate)) {
        return candidate;
      }
    }
  }

  /**
   * True when the digits of some prefix of the candidate's groups would be a valid card: not a hard
   * negative.
   */
  private static boolean anyGroupPrefixIsCard(String candidate) {
    StringBuilder digits = new StringBuilder();
    for (String part : candidate.split("[ -]")) {
      if (!part.chars().allMatch(Character::isDigit)) {
        digits.setLength(0);
        continue;
      }
      digits.append(part);
      if (cardLike(digits.toString())) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- contexts

  private static List<String> contexts(PiiType type, boolean positive, boolean zh) {
    if (!positive) {
      return zh ? NEGATIVE_ZH : NEGATIVE_EN;
    }
    switch (type) {
      case EMAIL:
        return zh
            ? List.of(
                "请联系{}获取帮助。",
                "邮箱:{}",
                "我的邮箱是 {},谢谢",
                "报告发送到{}即可",
                "联系人邮箱({})",
                "用户{}反馈登录失败",
                "请把发票寄到 {} ,抄送财务",
                "“{}”这个邮箱收不到验证邮件",
                "{\"msg\": \"联系方式:\\n{}\\n谢谢\"}")
            : List.of(
                "Please contact {} for help.",
                "Email: {}",
                "Reply to <{}> before Friday.",
                "my email is {}, thanks",
                "(send the invoice to {})",
                "mailto:{}",
                "cc: {}; bcc: nobody",
                "{\"email\": \"{}\"}",
                "log line: \"reply-to:\\t{}\\n\"");
      case PHONE:
        return zh
            ? List.of(
                "手机号:{}",
                "请拨打{}联系客服",
                "联系电话 {},工作日可用",
                "我的电话是{}。",
                "号码({})已停机",
                "用户手机{}收不到验证码",
                "紧急联系人:张三,{}",
                "{\"text\": \"电话\\n{}\\n\"}")
            : List.of(
                "Call me at {} tomorrow.",
                "Phone: {}",
                "my number is {}, text first",
                "Contact ({}) for access",
                "SMS to {} failed",
                "Tel {} / fax none",
                "\"contact:\\n{}\\nthanks\"");
      case CN_ID:
        return zh
            ? List.of("身份证号:{}", "身份证号码 {} 已实名", "证件号({})核验失败", "请核对身份证{}是否正确", "乘客:李四,证件号 {}。")
            : List.of(
                "ID card: {}",
                "resident ID {} was verified",
                "national id = {};",
                "Passenger id {} does not match the name.",
                "{\"note\": \"id\\n{}\\n\"}");
      case BANK_CARD:
        return zh
            ? List.of("银行卡号:{}", "卡号 {} 已绑定", "请向{}转账", "退款会退回原卡({})", "我的借记卡是{},为什么扣款失败?")
            : List.of(
                "card number {} was declined",
                "Card: {}",
                "charge {} for the order",
                "(card {})",
                "Refund to card {}, please.",
                "\"payment\\n{}\\n\"");
      case IP:
        return zh
            ? List.of("客户端IP {} 访问被拒绝", "登录IP:{}", "来自{}的请求超时", "服务器地址是{},请检查防火墙", "异常登录(IP:{})")
            : List.of(
                "request from {} was blocked",
                "X-Forwarded-For: {}",
                "connect to {} failed",
                "(peer {})",
                "ssh login from {} at night",
                "{\"log\": \"client\\t{}\\n\"}");
      case SECRET:
        return zh
            ? List.of(
                "我的key是{},为什么报401?", "配置里写的是 {} 请帮我检查", "密钥:{}", "环境变量 API_KEY={} 不生效", "请求头:{}")
            : List.of(
                "export API_KEY={}",
                "Here is my token: {} - why does it fail?",
                "{\"api_key\": \"{}\"}",
                "use {} to call the API",
                "headers = {}",
                "{\"env\": \"KEY\\n{}\\n\"}");
      default:
        throw new AssertionError(type);
    }
  }

  private static final List<String> NEGATIVE_ZH =
      List.of("日志里有一段:{},请解释一下", "{}", "请问“{}”是什么意思?", "报错信息:{}。", "字段值为 {},格式正确吗");
  private static final List<String> NEGATIVE_EN =
      List.of(
          "The log says: {} - what does it mean?",
          "{}",
          "Why is \"{}\" rejected?",
          "error: {}.",
          "value = {}, is that right");

  // ---------------------------------------------------------------- positives

  private static Value positive(PiiType type, int k, CorpusValues v) {
    switch (type) {
      case EMAIL:
        return Value.of(email(k, v));
      case PHONE:
        return phone(k, v);
      case CN_ID:
        return Value.of(
            switch (k % 3) {
              case 0, 1 -> v.cnId();
              default ->
                  v.random().nextBoolean()
                      ? v.cnIdEndingInX()
                      : v.cnIdEndingInX().replace('X', 'x');
            });
      case BANK_CARD:
        return Value.of(card(k, v));
      case IP:
        return ip(k, v);
      case SECRET:
        return secret(k, v);
      default:
        throw new AssertionError(type);
    }
  }

  private static final List<String> NAMES =
      List.of(
          "zhang.san",
          "li.si",
          "wang.wu",
          "zhao_liu",
          "chen.jing",
          "john.smith",
          "jane.doe",
          "m.garcia",
          "alex-kim",
          "liu.yang88",
          "xiaoming",
          "support",
          "ops-team",
          "h.tanaka",
          "o.connor");
  private static final List<String> DOMAINS =
      List.of(
          "example.com",
          "qq.com",
          "163.com",
          "gmail.com",
          "company.com.cn",
          "mail.example.co.uk",
          "sub.domain.io",
          "my-company.org",
          "outlook.com",
          "foxmail.com",
          "univ.edu.cn",
          "example.travel");

  private static String email(int k, CorpusValues v) {
    switch (k % 7) {
      case 0:
        return v.pick(NAMES) + "@" + v.pick(DOMAINS);
      case 1:
        return v.between(1, 9) + v.digits(v.between(4, 10)) + "@qq.com";
      case 2:
        return v.pick(NAMES).replace(".", "")
            + "+"
            + v.pick(List.of("news", "github", "shop2024"))
            + "@gmail.com";
      case 3:
        String name = v.pick(NAMES);
        return Character.toUpperCase(name.charAt(0))
            + name.substring(1)
            + "@"
            + v.pick(DOMAINS).toUpperCase(java.util.Locale.ROOT);
      case 4:
        return v.pick(NAMES)
            + v.digits(2)
            + "@"
            + v.pick(List.of("dept.", "mail.", "cs."))
            + v.pick(DOMAINS);
      case 5:
        return v.chars("abcdefghijklmnopqrstuvwxyz", 1)
            + "@"
            + v.chars("abcdefghijklmnopqrstuvwxyz", v.between(1, 3))
            + ".io";
      default:
        return v.pick(NAMES).replace('.', '_')
            + "_"
            + v.between(1990, 2010)
            + "@"
            + v.pick(DOMAINS);
    }
  }

  private static Value phone(int k, CorpusValues v) {
    String mobile = v.cnMobile();
    String spaced =
        mobile.substring(0, 3) + " " + mobile.substring(3, 7) + " " + mobile.substring(7);
    String dashed = spaced.replace(' ', '-');
    switch (k % 9) {
      case 0:
      case 1:
        return Value.of(mobile);
      case 2:
        return Value.of(dashed);
      case 3:
        return Value.of(spaced);
      case 4:
        return Value.of(
            v.pick(List.of("+86", "+86 ", "+86-")) + v.pick(List.of(mobile, spaced, dashed)));
      case 5:
        return Value.of(v.pick(List.of("0086", "0086 ", "86", "86-")) + mobile);
      case 6:
        // "(+86)" is not part of the match: the national number is what identifies.
        return new Value("(+86) " + mobile, mobile);
      case 7:
        String area = Integer.toString(v.between(201, 989));
        String exchange = Integer.toString(v.between(201, 999));
        String line = v.digits(4);
        return Value.of(
            v.pick(
                List.of(
                    "+1 " + area + " " + exchange + " " + line,
                    "+1 (" + area + ") " + exchange + "-" + line,
                    "+1-" + area + "-" + exchange + "-" + line,
                    "+1" + area + exchange + line)));
      default:
        return Value.of(
            v.pick(
                List.of(
                    "+44 20 " + v.digits(4) + " " + v.digits(4),
                    "+81 3-" + v.digits(4) + "-" + v.digits(4),
                    "+49 30 " + v.digits(8),
                    "+33 1 "
                        + v.digits(2)
                        + " "
                        + v.digits(2)
                        + " "
                        + v.digits(2)
                        + " "
                        + v.digits(2),
                    "+65 " + v.between(6, 9) + v.digits(3) + " " + v.digits(4),
                    "+852 " + v.between(2, 9) + v.digits(3) + " " + v.digits(4),
                    "+61 2 " + v.digits(4) + " " + v.digits(4),
                    "+91 9" + v.digits(4) + " " + v.digits(5))));
    }
  }

  private static String card(int k, CorpusValues v) {
    switch (k % 10) {
      case 0:
        return v.cardNumber(v.pick(List.of("622202", "621700", "622848", "621226")), 19);
      case 1:
        return CorpusValues.groupsOfFour(
            v.cardNumber(v.pick(List.of("622588", "622609", "625807")), 16), ' ');
      case 2:
        return CorpusValues.groupsOfFour(v.cardNumber("4", 16), '-');
      case 3:
        return v.cardNumber("5" + v.between(1, 5), 16);
      case 4:
        return CorpusValues.groupsOfFour(
            v.cardNumber(Integer.toString(v.between(2221, 2720)), 16), ' ');
      case 5:
        return CorpusValues.grouped(
            v.cardNumber("3" + v.pick(List.of("4", "7")), 15), ' ', 4, 6, 5);
      case 6:
        return v.cardNumber(Integer.toString(v.between(3528, 3589)), 16);
      case 7:
        return CorpusValues.groupsOfFour(
            v.cardNumber(v.pick(List.of("622202", "621700", "623668")), 19), ' ');
      case 8:
        return CorpusValues.groupsOfFour(v.cardNumber("6011", 16), ' ');
      default:
        return v.pick(
            List.of(
                v.cardNumber("4", 16), CorpusValues.grouped(v.cardNumber("36", 14), ' ', 4, 6, 4)));
    }
  }

  private static String octet(CorpusValues v, int min) {
    return Integer.toString(v.between(min, 254));
  }

  private static String ipv4(int kind, CorpusValues v) {
    switch (kind % 4) {
      case 0:
        return "192.168." + v.between(0, 255) + "." + octet(v, 1);
      case 1:
        return "10." + v.between(0, 255) + "." + v.between(0, 255) + "." + octet(v, 1);
      case 2:
        return "172." + v.between(16, 31) + "." + v.between(0, 255) + "." + octet(v, 1);
      default:
        return octet(v, 1) + "." + v.between(0, 255) + "." + v.between(0, 255) + "." + octet(v, 1);
    }
  }

  private static String hexGroup(CorpusValues v) {
    return Integer.toHexString(v.random().nextInt(0x10000));
  }

  private static Value ip(int k, CorpusValues v) {
    switch (k % 8) {
      case 0:
      case 1:
        return Value.of(ipv4(k / 8, v));
      case 2:
        String withPort = ipv4(k / 8, v);
        return new Value(withPort + ":" + v.pick(List.of("8080", "443", "22", "3306")), withPort);
      case 3:
        String inUrl = ipv4(k / 8, v);
        return new Value("http://" + inUrl + "/api/v1/logs", inUrl);
      case 4:
        StringBuilder full = new StringBuilder("2001:0db8");
        for (int g = 0; g < 6; g++) {
          full.append(':').append(String.format("%04x", v.random().nextInt(0x10000)));
        }
        return Value.of(full.toString());
      case 5:
        return Value.of(
            v.pick(List.of("2001:db8:", "2400:cb00:", "240e:3a1:"))
                + hexGroup(v)
                + "::"
                + v.between(1, 9999));
      case 6:
        return Value.of("::ffff:" + ipv4(k / 8, v));
      default:
        String bracketed = "2001:db8:" + v.between(1, 9999) + "::" + hexGroup(v);
        return new Value("[" + bracketed + "]:" + v.pick(List.of("443", "8443")), bracketed);
    }
  }

  private static final String KEY_CHARS = CorpusValues.BASE62 + "-_";

  private static Value secret(int k, CorpusValues v) {
    switch (k % 12) {
      case 0:
        return Value.of("sk-" + v.mixed(48));
      case 1:
        return Value.of("sk-proj-" + v.mixed(20) + v.chars(KEY_CHARS, 44) + v.mixed(10));
      case 2:
        return Value.of("sk-ant-api03-" + v.mixed(20) + v.chars(KEY_CHARS, 73) + "AA");
      case 3:
        return Value.of("sk_live_" + v.mixed(24));
      case 4:
        return Value.of(
            v.pick(List.of("AKIA", "ASIA")) + v.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16));
      case 5:
        return Value.of("AIza" + v.chars(KEY_CHARS, 35));
      case 6:
        return Value.of(
            v.random().nextBoolean()
                ? "ghp_" + v.mixed(36)
                : "github_pat_11" + v.mixed(20) + "_" + v.mixed(59));
      case 7:
        return Value.of("xoxb-" + v.digits(12) + "-" + v.digits(13) + "-" + v.mixed(24));
      case 8:
        String token = v.random().nextBoolean() ? v.mixed(v.between(20, 40)) : v.jwt();
        return new Value(v.pick(List.of("Bearer ", "bearer ", "Bearer  ")) + token, token);
      case 9:
        return Value.of(v.jwt());
      case 10:
        String pem =
            v.pem(
                v.pick(
                    List.of(
                        "RSA PRIVATE KEY",
                        "EC PRIVATE KEY",
                        "PRIVATE KEY",
                        "OPENSSH PRIVATE KEY",
                        "ENCRYPTED PRIVATE KEY")),
                v.between(90, 400));
        return new Value("\n" + pem + "\n", pem);
      default:
        // Cut off before its END line, as truncated prompts are: the body is still a key.
        String body = v.randomBase64(v.between(60, 150));
        String truncated =
            "-----BEGIN PRIVATE KEY-----\n"
                + body.substring(0, Math.min(64, body.length()))
                + "\n"
                + body.substring(Math.min(64, body.length()));
        return new Value(truncated + "…(后面被截断了)", truncated);
    }
  }

  // ---------------------------------------------------------------- hard negatives

  private static Value negative(PiiType type, int k, CorpusValues v) {
    switch (type) {
      case EMAIL:
        return Value.of(notEmail(k, v));
      case PHONE:
        return Value.of(notPhone(k, v));
      case CN_ID:
        return Value.of(notCnId(k, v));
      case BANK_CARD:
        return Value.of(notCard(k, v));
      case IP:
        return Value.of(notIp(k, v));
      case SECRET:
        return Value.of(notSecret(k, v));
      default:
        throw new AssertionError(type);
    }
  }

  private static String notEmail(int k, CorpusValues v) {
    String name = v.pick(NAMES);
    switch (k % 10) {
      case 0:
        return "the string " + name + "@ is incomplete";
      case 1:
        return "@" + name.replace(".", "") + " 请帮忙看一下这个PR";
      case 2:
        return v.chars("abcdefghijklmnopqrstuvwxyz", v.between(1, 6))
            + "@"
            + v.chars("abcdefghijklmnopqrstuvwxyz", v.between(1, 6));
      case 3:
        return name
            + "@"
            + v.chars("abcdefghijklmnopqrstuvwxyz", v.between(1, 6))
            + "."
            + v.chars("abcdefghijklmnopqrstuvwxyz", 1);
      case 4:
        return v.pick(List.of("logo", "icon", "banner", "avatar"))
            + "@"
            + v.between(2, 3)
            + "x."
            + v.pick(List.of("png", "jpg", "webp", "svg"));
      case 5:
        return v.pick(List.of("lodash", "react", "vue", "@types/node", "typescript"))
            + "@"
            + v.between(1, 20)
            + "."
            + v.between(0, 30)
            + "."
            + v.between(0, 99);
      case 6:
        return v.pick(
            List.of(
                "@Override",
                "@GetMapping(\"/users\")",
                "@Autowired",
                "@dataclass",
                "@pytest.fixture"));
      case 7:
        return "ssh "
            + v.pick(List.of("root", "admin", "deploy"))
            + "@"
            + v.pick(List.of("server", "web", "db"))
            + v.digits(2);
      case 8:
        return v.pick(List.of("nginx", "redis", "postgres")) + "@sha256:" + v.hexHash(64);
      default:
        return name + "@@" + v.pick(DOMAINS) + " (invalid, double at)";
    }
  }

  private static String notPhone(int k, CorpusValues v) {
    while (true) {
      String candidate = notPhoneCandidate(k, v);
      if (!cardLike(candidate.replaceAll("[^0-9]", ""))) {
        return candidate;
      }
    }
  }

  private static String notPhoneCandidate(int k, CorpusValues v) {
    String mobile = v.cnMobile();
    switch (k % 11) {
      case 0:
        return "1" + v.between(0, 2) + v.digits(9);
      case 1:
        return "10086" + v.digits(6);
      case 2:
        return "ts=" + v.epochMillis();
      case 3:
        return "订单号 " + v.orderNumber();
      case 4:
        return v.between(1, 9)
            + mobile
            + (v.random().nextBoolean() ? "" : v.digits(v.between(1, 4)));
      case 5:
        return mobile + v.digits(v.between(1, 6));
      case 6:
        return v.between(0, 9) + "." + mobile;
      case 7:
        return v.dateTime();
      case 8:
        return v.pick(List.of("ID", "user_", "0x", "uid", "No")) + mobile;
      case 9:
        return mobile.substring(0, 3)
            + "-"
            + mobile.substring(3, 7)
            + "-"
            + mobile.substring(7)
            + v.between(0, 9);
      default:
        return v.pick(
            List.of(
                "+" + v.digits(v.between(1, 7)),
                "+" + v.between(1, 99) + "%",
                "+" + v.between(1, 999) + "." + v.digits(2)));
    }
  }

  /** True for what the corpus must not use as a negative: it would be a valid card number. */
  private static boolean cardLike(String digits) {
    int length = digits.length();
    return length >= 13
        && length <= 19
        && digits.charAt(0) >= '2'
        && digits.charAt(0) <= '6'
        && CorpusValues.luhn(digits);
  }

  private static String notCnId(int k, CorpusValues v) {
    while (true) {
      String candidate;
      switch (k % 6) {
        case 0:
        case 1:
          {
            String first17 = v.cnIdFirst17();
            char right = CorpusValues.idCheck(first17);
            char wrong = "0123456789X".charAt(v.random().nextInt(11));
            if (wrong == right) {
              continue;
            }
            candidate = first17 + wrong;
            break;
          }
        case 2:
          {
            String badDate =
                v.pick(
                    List.of(
                        "19901301", "19900230", "20010431", "19850000", "18991231", "21000101"));
            String first17 = v.pick(CorpusValues.REGIONS) + badDate + v.digits(3);
            candidate = first17 + CorpusValues.idCheck(first17);
            break;
          }
        case 3:
          {
            String first17 =
                v.pick(List.of("00", "10", "19", "20", "39", "99"))
                    + v.digits(4)
                    + v.birthDate()
                    + v.digits(3);
            candidate = first17 + CorpusValues.idCheck(first17);
            break;
          }
        case 4:
          candidate = v.cnId().substring(0, v.random().nextBoolean() ? 17 : 15);
          break;
        default:
          candidate = "9" + v.cnId();
          break;
      }
      if (!cardLike(candidate.replace("X", ""))) {
        return candidate;
      }
    }
  }

  private static String notCard(int k, CorpusValues v) {
    while (true) {
      String candidate;
      switch (k % 8) {
        case 0:
          candidate = v.luhnFailing(v.pick(List.of("622202", "621700", "622848")), 19);
          break;
        case 1:
          candidate =
              CorpusValues.groupsOfFour(
                  v.luhnFailing(v.pick(List.of("4", "51", "622588", "6011")), 16),
                  v.random().nextBoolean() ? ' ' : '-');
          break;
        case 2:
          candidate = v.epochMillis();
          break;
        case 3:
          candidate = v.orderNumber();
          break;
        case 4:
          candidate = v.pick(List.of("SF", "YT", "JD", "ZTO")) + v.digits(v.between(12, 15));
          break;
        case 5:
          candidate = v.cardNumber(v.pick(List.of("1", "7", "8", "9")), v.between(13, 19));
          break;
        case 6:
          candidate = v.random().nextBoolean() ? v.cardNumber("62", 12) : v.cardNumber("62", 20);
          break;
        default:
          candidate =
              "ISBN 978-7-" + v.between(100, 999) + "-" + v.digits(5) + "-" + v.between(0, 9);
          break;
      }
      String digits = candidate.replaceAll("[^0-9]", "");
      if (k % 8 == 0 || k % 8 == 1 || !cardLike(digits)) {
        return candidate;
      }
    }
  }

  private static String notIp(int k, CorpusValues v) {
    String quad =
        v.between(0, 20) + "." + v.between(0, 20) + "." + v.between(0, 20) + "." + v.between(0, 99);
    switch (k % 12) {
      case 0:
        return v.pick(List.of("v", "V", "ver")) + quad;
      case 1:
        return "version " + v.between(0, 20) + "." + v.between(0, 20) + "." + v.between(0, 99);
      case 2:
        return quad + "." + v.between(0, 9);
      case 3:
        return quad
            + v.pick(
                List.of(
                    "-SNAPSHOT", "-beta", "-rc1", "+build" + v.between(1, 99), "+" + v.digits(8)));
      case 4:
        return "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/"
            + v.between(100, 130)
            + ".0.0.0 Safari/537.36";
      case 5:
        return v.between(256, 999)
            + "."
            + v.between(0, 255)
            + "."
            + v.between(0, 255)
            + "."
            + v.between(0, 255);
      case 6:
        return v.pick(
            List.of(
                v.between(2020, 2027) + "." + v.between(1, 12) + "." + v.between(1, 28),
                v.dateTime()));
      case 7:
        return "MAC "
            + v.hexHash(2)
            + ":"
            + v.hexHash(2)
            + ":"
            + v.hexHash(2)
            + ":"
            + v.hexHash(2)
            + ":"
            + v.hexHash(2)
            + ":"
            + v.hexHash(2);
      case 8:
        return v.pick(
            List.of(
                "std::vector<int>",
                "a::b",
                "x[1::2]",
                "Foo::bar()",
                "crate::io::Error",
                "arr[::3]",
                "dead::beef"));
      case 9:
        return v.pick(
            List.of(
                "16:9",
                "4:3",
                "比分 3:2",
                "10:30 开会",
                "Python " + v.between(2, 3) + "." + v.between(0, 13) + "." + v.between(0, 20)));
      case 10:
        return v.pick(List.of(v.uuid(), v.hexHash(32), v.price()));
      default:
        return "第" + v.between(1, 9) + "." + v.between(1, 9) + "." + v.between(1, 9) + "节";
    }
  }

  private static String notSecret(int k, CorpusValues v) {
    switch (k % 12) {
      case 0:
        return v.pick(
            List.of(
                "pip install scikit-learn",
                "import sk-learn style APIs",
                "sk-" + v.mixed(v.between(5, 15)),
                "sk-learn-compatible-estimator"));
      case 1:
        return "commit " + v.hexHash(40);
      case 2:
        return v.uuid();
      case 3:
        return v.pick(
            List.of(
                "Bearer token",
                "Bearer authentication is required",
                "Bearer tokens expire after one hour",
                "Authorization: Bearer <token>",
                "bearer " + v.mixed(10)));
      case 4:
        return v.pem(
            v.pick(List.of("CERTIFICATE", "PUBLIC KEY", "CERTIFICATE REQUEST")),
            v.between(90, 300));
      case 5:
        return v.pick(
            List.of(
                "AKIA" + v.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", v.between(4, 12)),
                "AKIAEXAMPLE",
                "AKIA is the prefix of AWS key ids"));
      case 6:
        return "eyJ"
            + v.chars(CorpusValues.BASE62, v.between(10, 30))
            + v.pick(List.of("", "." + v.chars(CorpusValues.BASE62, 10)));
      case 7:
        return v.pick(
            List.of(
                "SGVsbG8gV29ybGQ=",
                "data:image/png;base64," + v.randomBase64(30),
                v.randomBase64(v.between(10, 40))));
      case 8:
        return v.pick(
            List.of(
                "ghp_" + v.mixed(v.between(5, 20)),
                "github_pat_" + v.mixed(10),
                "ghp_ tokens are classic PATs"));
      case 9:
        return "sha256:" + v.hexHash(64);
      case 10:
        return v.pick(
            List.of(
                "xoxo", "xoxb-", "xoxb- token missing", "-----BEGIN PRIVATE KEY (broken header)"));
      default:
        return v.pick(
            List.of("password: ******", "api_key=<redacted>", "token=***", "secret: ${API_KEY}"));
    }
  }

  // ---------------------------------------------------------------- TSV

  static final String HEADER =
      "# Generated by PiiCorpusGenerator (seed "
          + SEED
          + "); do not edit by hand.\n"
          + "# type\tlabel\tlang\tsentence\tspan   (backslash escapes: \\t \\n \\r \\\\)\n";

  static String toTsv(List<Line> lines) {
    StringBuilder out = new StringBuilder(HEADER);
    for (Line line : lines) {
      out.append(line.type().configName())
          .append('\t')
          .append(line.positive() ? "positive" : "negative")
          .append('\t')
          .append(line.lang())
          .append('\t')
          .append(escape(line.sentence()))
          .append('\t')
          .append(escape(line.span()))
          .append('\n');
    }
    return out.toString();
  }

  static List<Line> parseTsv(String tsv) {
    List<Line> lines = new ArrayList<>();
    for (String row : tsv.split("\n")) {
      if (row.isEmpty() || row.startsWith("#")) {
        continue;
      }
      String[] fields = row.split("\t", -1);
      if (fields.length != 5) {
        throw new IllegalArgumentException("expected 5 fields: " + row);
      }
      lines.add(
          new Line(
              PiiType.fromConfigName(fields[0]),
              fields[1].equals("positive"),
              fields[2],
              unescape(fields[3]),
              unescape(fields[4])));
    }
    return lines;
  }

  static String escape(String text) {
    return text.replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "\\r");
  }

  static String unescape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int k = 0; k < text.length(); k++) {
      char c = text.charAt(k);
      if (c == '\\' && k + 1 < text.length()) {
        char next = text.charAt(++k);
        out.append(
            switch (next) {
              case 't' -> '\t';
              case 'n' -> '\n';
              case 'r' -> '\r';
              default -> next;
            });
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}

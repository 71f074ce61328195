package io.llmlog.core.redact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmlog.core.ErrorInfo;
import io.llmlog.core.LlmLogEntry;
import io.llmlog.core.LogField;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PiiRedactorTest {
  private static final String KEY = "test-key-0123456789abcdef";
  private static final PiiRedactor TOKENS = PiiRedactor.defaults();
  private static final PiiRedactor MASKS = PiiRedactor.builder().mode(RedactionMode.MASK).build();
  private static final PiiRedactor HASHES =
      PiiRedactor.builder().mode(RedactionMode.HASH).hmacKey(KEY).build();

  private static String tokens(String text) {
    return TOKENS.redact(text).text();
  }

  private static String masks(String text) {
    return MASKS.redact(text).text();
  }

  @Test
  void redact_nothingFound_returnsTheSameInstance() {
    String text =
        new String("解释机器学习的基本概念, version 1.2.3, order 20261128083015123, 2026-11-28 08:30:15");
    Redaction redaction = TOKENS.redact(text);
    assertThat(redaction.text()).isSameAs(text);
    assertThat(redaction.counts()).isEmpty();
    assertThat(redaction.changed()).isFalse();
    assertThat(TOKENS.redact("").text()).isEmpty();
  }

  @Test
  void redact_tokenMode_replacesEveryTypeAndCountsIt() {
    Redaction redaction =
        TOKENS.redact(
            "张三 13812345678, zhang.san@example.com, 身份证 11010519491231002X, 卡 6222 0212 3456 7890 128? "
                + "IP 192.168.1.10, key sk-proj-abcDEF1234567890abcdefXYZ, 李四 13987654321");
    assertThat(redaction.text())
        .isEqualTo(
            "张三 [PHONE], [EMAIL], 身份证 [CN_ID], 卡 [BANK_CARD]? IP [IP], key [SECRET], 李四 [PHONE]");
    assertThat(redaction.counts())
        .containsOnly(
            Map.entry("phone", 2),
            Map.entry("email", 1),
            Map.entry("cn_id", 1),
            Map.entry("bank_card", 1),
            Map.entry("ip", 1),
            Map.entry("secret", 1));
    assertThat(redaction.total()).isEqualTo(7);
    assertThat(redaction.failed()).isFalse();
  }

  @Test
  void redact_maskMode_keepsOnlyWhatHelpsAReader() {
    assertThat(masks("call 13812345678")).isEqualTo("call 138****5678");
    assertThat(masks("call 138-1234-5678")).isEqualTo("call 138-****-5678");
    assertThat(masks("call +86 138 1234 5678")).isEqualTo("call +86 138 **** 5678");
    assertThat(masks("call +44 20 7946 0958")).isEqualTo("call +44 ** **** 0958");
    assertThat(masks("mail alice@example.com")).isEqualTo("mail a***@example.com");
    String card = CorpusValues.groupsOfFour(luhnComplete("622202123456789"), ' ');
    assertThat(masks("card " + card)).isEqualTo("card 6222 **** **** " + card.substring(15));
    assertThat(masks("id 11010519491231002X")).isEqualTo("id 110105********002X");
    assertThat(masks("ip 192.168.1.10")).isEqualTo("ip 192.168.*.*");
    assertThat(masks("ip 2001:db8:85a3::8a2e:370:7334")).isEqualTo("ip 2001:db8::*");
    assertThat(masks("key sk-proj-abcDEF1234567890abcdefXYZ1")).isEqualTo("key sk-proj-****XYZ1");
    assertThat(masks("AKIAIOSFODNN7EXAMPLE")).isEqualTo("AKIA****");
    assertThat(masks("Authorization: Bearer abcdef1234567890abcdef"))
        .isEqualTo("Authorization: Bearer ****cdef");
  }

  @Test
  void redact_validCard_masksToFirstAndLastFour() {
    String card = "6222021234567890128"; // Luhn-valid UnionPay, 19 digits
    assertThat(BankCardScanner.isValid(card)).isTrue();
    assertThat(masks("卡号" + card + "。")).isEqualTo("卡号6222***********0128。");
  }

  @Test
  void redact_hashMode_givesOnePseudonymPerValueWhateverItsSpelling() {
    String a = HASHES.redact("a 13812345678").text();
    String b = HASHES.redact("b +86 138-1234-5678").text();
    assertThat(a).matches("a \\[PHONE:[0-9a-f]{12}]");
    assertThat(a.substring(2)).isEqualTo(b.substring(2));
    assertThat(HASHES.redact("Zhang.San@Example.com").text())
        .isEqualTo(HASHES.redact("zhang.san@example.com").text());
    assertThat(HASHES.redact("2001:db8::1:0:0:1").text())
        .isEqualTo(HASHES.redact("2001:0db8:0:0:1:0:0:1").text());
    assertThat(HASHES.redact("13912345678").text())
        .isNotEqualTo(HASHES.redact("13812345678").text());
  }

  @Test
  void redact_hashMode_isHmacSha256OfTypeAndNormalizedValue() throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String expected =
        HexFormat.of()
            .formatHex(mac.doFinal("phone:13812345678".getBytes(StandardCharsets.UTF_8)))
            .substring(0, 12);

    assertThat(HASHES.redact("+86 138 1234 5678").text()).isEqualTo("[PHONE:" + expected + "]");
  }

  @Test
  void redact_hashModeWithAKeyLongerThanABlock_isStillHmacSha256() throws Exception {
    String longKey = "k".repeat(100);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(longKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String expected =
        HexFormat.of()
            .formatHex(mac.doFinal("email:a@b.cn".getBytes(StandardCharsets.UTF_8)))
            .substring(0, 12);

    PiiRedactor redactor = PiiRedactor.builder().mode(RedactionMode.HASH).hmacKey(longKey).build();
    assertThat(redactor.redact("A@B.cn").text()).isEqualTo("[EMAIL:" + expected + "]");
  }

  @Test
  void redact_hashModeWithAnotherKey_givesAnotherPseudonym() {
    PiiRedactor other =
        PiiRedactor.builder().mode(RedactionMode.HASH).hmacKey("another-key-0123456789").build();
    assertThat(other.redact("13812345678").text())
        .isNotEqualTo(HASHES.redact("13812345678").text());
  }

  /** Luhn-valid numbers of the given prefix and length, for the grouping tests. */
  private static String card(String prefix, int length) {
    StringBuilder digits = new StringBuilder(prefix);
    while (digits.length() < length - 1) {
      digits.append((char) ('0' + (digits.length() * 7) % 10));
    }
    for (char check = '0'; check <= '9'; check++) {
      if (BankCardScanner.isValid(digits + String.valueOf(check))) {
        return digits.toString() + check;
      }
    }
    throw new AssertionError();
  }

  private static String grouped(String digits, char separator, int... groups) {
    StringBuilder out = new StringBuilder();
    int p = 0;
    for (int group : groups) {
      out.append(p > 0 ? String.valueOf(separator) : "").append(digits, p, p + group);
      p += group;
    }
    return out.toString();
  }

  @ParameterizedTest
  @CsvSource({
    "16, 4-4-4-4",
    "17, 4-4-4-4-1",
    "18, 4-4-4-4-2",
    "19, 4-4-4-4-3",
    "19, 6-13",
    "16, 6-10",
    "18, plain",
    "17, plain"
  })
  void redact_unionPayCardInAnyGroupingPeopleUse_isRedacted(int length, String shape) {
    String digits = card("622202", length);
    int[] groups =
        shape.equals("plain")
            ? new int[] {length}
            : java.util.Arrays.stream(shape.split("-")).mapToInt(Integer::parseInt).toArray();
    for (char separator : new char[] {' ', '-'}) {
      String written = grouped(digits, separator, groups);

      assertThat(tokens("卡号：" + written + " 请退款")).as(written).isEqualTo("卡号：[BANK_CARD] 请退款");
      assertThat(tokens("card " + written + ", thanks"))
          .as(written)
          .isEqualTo("card [BANK_CARD], thanks");
    }
  }

  @Test
  void redact_issueExamplesOfGroupedCards_areRedacted() {
    String eighteen = card("62220212345678", 18);
    String seventeen = card("6222021234567", 17);
    String amex = card("378282246310", 15);

    assertThat(tokens(grouped(eighteen, ' ', 4, 4, 4, 4, 2))).isEqualTo("[BANK_CARD]");
    assertThat(tokens(grouped(seventeen, '-', 4, 4, 4, 4, 1))).isEqualTo("[BANK_CARD]");
    assertThat(tokens(grouped(amex, '-', 4, 6, 5))).isEqualTo("[BANK_CARD]");
  }

  @Test
  void redact_groupedDigitRunsThatAreNoCards_stay() {
    // Neither the 18 digits nor their first 16 (a card followed by a count) pass the Luhn check.
    String luhnFailing = null;
    for (int d = 0; luhnFailing == null; d++) {
      String candidate = "62220212345678" + d % 10 + "0" + (d / 10) % 10 + "7";
      if (!BankCardScanner.isValid(candidate)
          && !BankCardScanner.isValid(candidate.substring(0, 16))) {
        luhnFailing = candidate;
      }
    }
    for (String text :
        new String[] {
          grouped(luhnFailing, ' ', 4, 4, 4, 4, 2),
          "2026 1128 0830 1512 34",
          "1380 0138 0000 1234 56",
          "订单 20261128083015123 已发货",
          grouped(card("6222", 17), ' ', 4, 13),
          grouped(card("6222", 18), ' ', 4, 4, 2, 4, 4)
        }) {
      assertThat(TOKENS.redact(text).counts()).as(text).doesNotContainKey("bank_card");
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "OpenAI, older or Moonshot, letters only|sk-AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGhIjKlMnOpQrStUv",
        "OpenAI project, letters only|sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz_AbCdEfGhIjKlMnOpQrStUvWxYz-AbCdEfGhIjKl",
        "OpenAI service account|sk-svcacct-AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGhIjKlMnOpQrStUvWx",
        "Anthropic|sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGhIjKlMnOpQrStUvWxYz-AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGhIjKlMnOpQrAA",
        "DeepSeek or Qwen, hex letters only|sk-abcdefabcdefabcdefabcdefabcdefab",
        "DeepSeek or Qwen, digits only|sk-01234567890123456789012345678901",
        "Stripe|sk_live_AbCdEfGhIjKlMnOpQrStUvWx",
        "AWS|AKIAABCDEFGHIJKLMNOP",
        "Google|AIzaAbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGhI",
        "GitHub classic|ghp_AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGhIj",
        "GitHub fine-grained|github_pat_AbCdEfGhIjKlMnOpQrStUv_AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGhIjKlMn",
        "Slack, letters only|xoxb-AbCdEfGhIjKl-AbCdEfGhIjKlM-AbCdEfGhIjKlMnOpQrStUvWx",
        "Slack refresh|xoxe-1-AbCdEfGhIjKlMnOpQrStUvWxYz0123",
        "Zhipu|0f1e2d3c4b5a69788796a5b4c3d2e1f0.AbCdEfGhIjKlMnOp",
        "Zhipu, letters first|a1b2c3d4e5f60718293a4b5c6d7e8f90.q0W9e8R7t6Y5u4I3"
      })
  void redact_providerKeyWhateverItsCharactersAfterAnyPunctuation_isRedacted(
      String provider, String key) {
    for (String before : new String[] {"key:", "key：", "密钥：", "key=", "\"", "【", "(", " ", "'"}) {
      assertThat(tokens(before + key + "，请检查"))
          .as(provider + " after " + before)
          .isEqualTo(before + "[SECRET]，请检查");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sk-learn-compatible-estimator",
        "sk-proj-XXXX",
        "xoxo-see-you-soon-my-friend",
        "xoxb-token-goes-here",
        "0f1e2d3c4b5a69788796a5b4c3d2e1f0.json",
        "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
        "commit 0f1e2d3c4b5a69788796a5b4c3d2e1f0aabbccdd",
        "0f1e2d3c4b5a69788796a5b4c3d2e1f0.AbCdEfGhIjKl",
        "sk-AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGhIj",
        "AKIAexampleonlyexample"
      })
  void redact_keyLookalikes_stay(String text) {
    assertThat(TOKENS.redact(text).counts()).as(text).doesNotContainKey("secret");
  }

  @Test
  void redact_cardHoldingAPhoneLikeRun_isOneCard() {
    String card = luhnComplete("62" + "13812345678" + "12345");
    assertThat(card).hasSize(19).contains("13812345678");
    Redaction redaction = TOKENS.redact("卡号 " + card);
    assertThat(redaction.text()).isEqualTo("卡号 [BANK_CARD]");
    assertThat(redaction.counts()).containsOnly(Map.entry("bank_card", 1));
  }

  @Test
  void redact_residentIdThatIsAlsoLuhnValid_isAResidentId() {
    // 62 is both Gansu's region code and UnionPay's prefix; the stricter check wins the tie.
    String id = null;
    for (int sequence = 100; id == null; sequence++) {
      String first17 = "62010219900307" + sequence;
      String candidate = first17 + CorpusValues.idCheck(first17);
      if (candidate.indexOf('X') < 0 && CorpusValues.luhn(candidate)) {
        id = candidate;
      }
    }
    assertThat(BankCardScanner.isValid(id)).isTrue();
    assertThat(TOKENS.redact(id).counts()).containsOnly(Map.entry("cn_id", 1));
  }

  @Test
  void redact_secretHoldingDigitRuns_isOneSecret() {
    Redaction redaction = TOKENS.redact("key=sk-13812345678-6222021234567890128-abcdefgh");
    assertThat(redaction.text()).isEqualTo("key=[SECRET]");
    assertThat(redaction.counts()).containsOnly(Map.entry("secret", 1));
  }

  @Test
  void redact_emailWithAPhoneNumberAsLocalPart_isOneEmail() {
    assertThat(TOKENS.redact("13812345678@163.com").counts()).containsOnly(Map.entry("email", 1));
  }

  @Test
  void redact_adjacentValues_areEachReplaced() {
    assertThat(tokens("13812345678,13987654321;a@b.cn/c@d.cn"))
        .isEqualTo("[PHONE],[PHONE];[EMAIL]/[EMAIL]");
  }

  @Test
  void redact_phoneInsideLongerRuns_isNotAPhone() {
    for (String text :
        List.of(
            "12345678901",
            "10086123456",
            "913812345678",
            "138123456789",
            "3.13812345678",
            "13812345678.5",
            "ID13812345678",
            "user_13812345678",
            "20261128-13812345678",
            "138-1234-56789",
            "1732781415123")) {
      assertThat(tokens(text)).as(text).isEqualTo(text);
    }
  }

  @Test
  void redact_internationalNumbers_areRecognizedWithTheirSeparators() {
    assertThat(tokens("call +1 (415) 555-2671 now")).isEqualTo("call [PHONE] now");
    assertThat(tokens("call +14155552671 2 times")).isEqualTo("call [PHONE] 2 times");
    assertThat(tokens("call +1 415 555 2671 2025")).isEqualTo("call [PHONE] 2025");
    assertThat(tokens("+12%, +1234567")).isEqualTo("+12%, +1234567");
  }

  @Test
  void redact_residentIdWithWrongCheckDigitOrDate_isNotAnId() {
    assertThat(tokens("11010519491231002X")).isEqualTo("[CN_ID]");
    assertThat(tokens("110105194912310021")).isEqualTo("110105194912310021");
    assertThat(tokens("11010519491231002x")).isEqualTo("[CN_ID]");
  }

  @Test
  void redact_versionStrings_areNotAddresses() {
    for (String text :
        List.of(
            "v1.2.3.4",
            "V1.2.3.4",
            "1.2.3",
            "1.2.3.4.5",
            "10.0.0.1-SNAPSHOT",
            "1.2.3.4+build.7",
            "Chrome/120.0.0.0",
            "256.1.1.1",
            "192.168.01.1",
            "2026.11.28")) {
      assertThat(tokens(text)).as(text).isEqualTo(text);
    }
    assertThat(tokens("1.2.3.4")).isEqualTo("[IP]");
    assertThat(tokens("http://10.0.0.1/x")).isEqualTo("http://[IP]/x");
    assertThat(tokens("10.0.0.1-10.0.0.9")).isEqualTo("[IP]-[IP]");
    assertThat(tokens("10.0.0.0/8")).isEqualTo("[IP]/8");
  }

  @Test
  void redact_ipv6_fullCompressedMappedAndBracketed() {
    assertThat(tokens("2001:0db8:85a3:0000:0000:8a2e:0370:7334")).isEqualTo("[IP]");
    assertThat(tokens("from 2001:db8::8a2e:370 ok")).isEqualTo("from [IP] ok");
    assertThat(tokens("::ffff:192.0.2.128")).isEqualTo("[IP]");
    assertThat(tokens("http://[2001:db8:1::7]:443/")).isEqualTo("http://[[IP]]:443/");
    assertThat(tokens("IPv6:2001:db8::1:2")).isEqualTo("IPv6:[IP]");
    for (String text :
        List.of(
            "a::b",
            "std::vector",
            "x[1::2]",
            "::1",
            "fe80::1",
            "08:30:15",
            "00:1a:2b:3c:4d:5e",
            "dead::beef")) {
      assertThat(tokens(text)).as(text).isEqualTo(text);
    }
  }

  @Test
  void redact_privateKeyBlock_isOneSecretAndCertificatesStay() {
    String key =
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\nabc+/=\n-----END RSA PRIVATE KEY-----";
    assertThat(tokens("key:\n" + key + "\ndone")).isEqualTo("key:\n[SECRET]\ndone");
    assertThat(tokens("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC…截断"))
        .isEqualTo("[SECRET]…截断");
    assertThat(
            tokens(
                "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n\nPlease fix it"))
        .isEqualTo("[SECRET]\n\nPlease fix it");
    assertThat(tokens("-----BEGIN PRIVATE KEY----- is the header line"))
        .isEqualTo("-----BEGIN PRIVATE KEY----- is the header line");
    String certificate =
        "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIE\n-----END CERTIFICATE-----";
    assertThat(tokens(certificate)).isEqualTo(certificate);
  }

  @Test
  void redact_bearerToken_keepsTheSchemeWord() {
    assertThat(tokens("Authorization: Bearer abc123DEF456ghi789JKL"))
        .isEqualTo("Authorization: Bearer [SECRET]");
    assertThat(tokens("Bearer authentication is required"))
        .isEqualTo("Bearer authentication is required");
  }

  @Test
  void redact_otherSecretKinds_areSecrets() {
    for (String secret :
        List.of(
            "AKIAIOSFODNN7EXAMPLE",
            "ghp_0123456789abcdefABCDEF0123456789abcd",
            "AIzaSyA-1234567890abcdefghijklmnopqrstu",
            "xoxb-123456789012-1234567890123-abcdefghijklmnopqrstuvwx",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U")) {
      assertThat(TOKENS.redact("token " + secret + ".").text())
          .as(secret)
          .isEqualTo("token [SECRET].");
    }
    assertThat(tokens("pip install scikit-learn; sk-learn-compatible-estimator"))
        .isEqualTo("pip install scikit-learn; sk-learn-compatible-estimator");
  }

  @Test
  void redact_jsonEscapedLineBreaks_areBoundaries() {
    String escaped =
        "{\"prompt\": \"phone\\n13812345678\\tmail\\nzhang@example.com\\nkey\\nsk-proj-abcDEF1234567890abcdefXYZ\\n"
            + "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n-----END PRIVATE KEY-----\\nip\\r10.1.2.3\"}";
    assertThat(tokens(escaped))
        .isEqualTo(
            "{\"prompt\": \"phone\\n[PHONE]\\tmail\\n[EMAIL]\\nkey\\n[SECRET]\\n[SECRET]\\nip\\r[IP]\"}");
    assertThat(tokens("version\\n1.2.3 and plain n13812345678"))
        .isEqualTo("version\\n1.2.3 and plain n13812345678");
  }

  @Test
  void redact_recognizerSubset_leavesTheOthers() {
    PiiRedactor emailOnly = PiiRedactor.builder().recognizers(PiiType.EMAIL).build();
    assertThat(emailOnly.redact("a@b.cn 13812345678").text()).isEqualTo("[EMAIL] 13812345678");
  }

  @Test
  void redact_customRecognizers_replaceInTheirOwnMode() {
    PiiRedactor redactor =
        PiiRedactor.builder()
            .custom("employee_id", "EMP-\\d{6}", null)
            .custom("order_ref", "ORD[0-9]{4}", RedactionMode.MASK)
            .custom("ticket", "T-[0-9]+", RedactionMode.HASH)
            .hmacKey(KEY)
            .build();
    Redaction redaction = redactor.redact("EMP-123456 opened ORD1234 as T-42 from 13812345678");
    assertThat(redaction.text())
        .matches(
            "\\[EMPLOYEE_ID] opened O\\*\\*\\*\\*\\*4 as \\[TICKET:[0-9a-f]{12}] from \\[PHONE]");
    assertThat(redaction.counts())
        .containsOnly(
            Map.entry("employee_id", 1),
            Map.entry("order_ref", 1),
            Map.entry("ticket", 1),
            Map.entry("phone", 1));
  }

  @Test
  void redact_customOverlappingABuiltIn_longestThenBuiltInWins() {
    PiiRedactor longer = PiiRedactor.builder().custom("contact", "tel:\\d+", null).build();
    assertThat(longer.redact("tel:13812345678").text()).isEqualTo("[CONTACT]");
    PiiRedactor same = PiiRedactor.builder().custom("mobile", "1\\d{10}", null).build();
    assertThat(same.redact("13812345678").text()).isEqualTo("[PHONE]");
    PiiRedactor shorter = PiiRedactor.builder().custom("prefix", "138", null).build();
    assertThat(shorter.redact("13812345678 138").text()).isEqualTo("[PHONE] [PREFIX]");
  }

  @Test
  void redact_customPatternWithoutMatches_changesNothing() {
    PiiRedactor redactor = PiiRedactor.builder().custom("employee_id", "EMP-\\d{6}", null).build();
    String text = new String("nothing to see here");
    assertThat(redactor.redact(text).text()).isSameAs(text);
    assertThat(redactor.redact("call 13812345678").text()).isEqualTo("call [PHONE]");
  }

  @Test
  void redact_catastrophicCustomPattern_failsClosed() {
    // The JDK memoizes (a+)+b since Java 9; one more level of nesting is still exponential.
    PiiRedactor redactor = PiiRedactor.builder().custom("evil", "((a+)+)+b", null).build();
    Redaction redaction = redactor.redact("a".repeat(40) + "! 13812345678");
    assertThat(redaction.text()).isEqualTo(Redaction.FAILED_TOKEN);
    assertThat(redaction.failed()).isTrue();
    assertThat(redaction.changed()).isTrue();
  }

  @Test
  void redact_linearCustomPatternOnLongText_staysWithinBudget() {
    PiiRedactor redactor = PiiRedactor.builder().custom("employee_id", "EMP-\\d{6}", null).build();
    String text = "x".repeat(200_000) + " EMP-123456";
    assertThat(redactor.redact(text).counts()).containsOnly(Map.entry("employee_id", 1));
  }

  @Test
  void redact_adversarialInputs_findNothingAndDoNotFail() {
    for (String text :
        List.of(
            "1".repeat(100_000),
            "a".repeat(100_000) + "@",
            "1-".repeat(50_000),
            ".".repeat(100_000),
            ":".repeat(100_000),
            "-----BEGIN RSA PRIVATE KEY".repeat(1000),
            "a@".repeat(50_000),
            "sk-".repeat(30_000),
            "eyJ".repeat(30_000) + ".",
            "1.".repeat(50_000))) {
      Redaction redaction = TOKENS.redact(text);
      String shape = text.substring(0, 12) + "… (" + text.length() + " chars)";
      assertThat(redaction.failed()).as(shape).isFalse();
      assertThat(redaction.counts()).as(shape).isEmpty();
      assertThat(redaction.text() == text).as(shape).isTrue();
    }
  }

  @Test
  void redact_manyMatchesInMaskAndHashMode_allReplaced() {
    StringBuilder text = new StringBuilder();
    for (int k = 0; k < 5000; k++) {
      text.append("10.0.")
          .append(k / 250)
          .append('.')
          .append(k % 250)
          .append(" -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0B; ");
    }
    assertThat(MASKS.redact(text.toString()).counts())
        .containsOnly(Map.entry("ip", 5000), Map.entry("secret", 5000));
    assertThat(HASHES.redact(text.toString()).counts())
        .containsOnly(Map.entry("ip", 5000), Map.entry("secret", 5000));
  }

  @Test
  void redactEntry_textFields_areRedactedAndTheRestKept() {
    LlmLogEntry entry =
        entry(
            "我的手机是13812345678",
            "you are a bot",
            "mail me at a@b.cn",
            new ErrorInfo("Auth", "bad key sk-proj-abcDEF1234567890abcdefXYZ"));
    Map<LogField, Redaction> seen = new LinkedHashMap<>();
    LlmLogEntry redacted = TOKENS.redact(entry, seen::put);

    assertThat(redacted.prompt()).isEqualTo("我的手机是[PHONE]");
    assertThat(redacted.systemPrompt()).isSameAs(entry.systemPrompt());
    assertThat(redacted.response()).isEqualTo("mail me at [EMAIL]");
    assertThat(redacted.error()).isEqualTo(new ErrorInfo("Auth", "bad key [SECRET]"));
    assertThat(
            redacted.toBuilder()
                .prompt(entry.prompt())
                .response(entry.response())
                .error(entry.error())
                .build())
        .isEqualTo(entry);
    assertThat(seen.keySet())
        .containsExactly(LogField.PROMPT, LogField.RESPONSE, LogField.ERROR_MESSAGE);
  }

  @Test
  void redactEntry_nothingFound_returnsTheSameEntry() {
    LlmLogEntry entry = entry("解释机器学习", null, "机器学习是...", null);
    UnaryOperator<LlmLogEntry> hook = TOKENS::redact;
    assertThat(hook.apply(entry)).isSameAs(entry);
  }

  @Test
  void redact_sharedBetweenThreads_givesTheSameResults() throws Exception {
    List<String> texts = new ArrayList<>();
    for (int k = 0; k < 200; k++) {
      texts.add(
          "user"
              + k
              + "@example.com called 1381234"
              + String.format("%04d", k)
              + " from 10.0.0."
              + (k % 250));
    }
    List<String> expected = texts.stream().map(text -> HASHES.redact(text).text()).toList();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<String>>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        results.add(
            pool.submit(() -> texts.stream().map(text -> HASHES.redact(text).text()).toList()));
      }
      for (Future<List<String>> result : results) {
        assertThat(result.get()).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void build_hashModeWithoutKey_isRejected() {
    assertThatThrownBy(() -> PiiRedactor.builder().mode(PiiType.EMAIL, RedactionMode.HASH).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("email");
    assertThatThrownBy(() -> PiiRedactor.builder().hmacKey("short"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PiiRedactor.builder().custom("email", "x", null))
        .hasMessageContaining("built-in");
    assertThatThrownBy(() -> PiiRedactor.builder().custom("Bad Name", "x", null))
        .hasMessageContaining("lower-case");
  }

  @Test
  void toString_describesConfigurationButNotTheKey() {
    assertThat(HASHES.toString())
        .contains("email=hash")
        .contains("hmac_key=set")
        .doesNotContain(KEY);
  }

  static LlmLogEntry entry(String prompt, String systemPrompt, String response, ErrorInfo error) {
    return LlmLogEntry.builder()
        .timestamp(Instant.parse("2026-11-28T08:30:15Z"))
        .requestId("req-1")
        .model("gpt-4o")
        .prompt(prompt)
        .systemPrompt(systemPrompt)
        .response(response)
        .error(error)
        .build();
  }

  private static String luhnComplete(String withoutCheck) {
    return withoutCheck + CorpusValues.luhnCheck(withoutCheck);
  }
}

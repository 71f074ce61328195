package io.llmlog.core.redact;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * Random values for the PII corpus: valid ones for positives, near misses for hard negatives.
 * Validity is computed here independently of the scanners (Luhn, GB 11643 check digits), so that
 * the corpus checks the recognizers rather than restating them.
 */
final class CorpusValues {
  static final String BASE62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  static final String HEX = "0123456789abcdef";

  /**
   * Region codes of real districts: Beijing, Tianjin, Shanghai, Shenzhen, Hangzhou, Chengdu,
   * Lanzhou (62…), ...
   */
  static final List<String> REGIONS =
      List.of(
          "110101", "110105", "110108", "120101", "130102", "140105", "210102", "230103", "310104",
          "310115", "320102", "330106", "340104", "350203", "370102", "410105", "420106", "430104",
          "440106", "440305", "450103", "500103", "510107", "520102", "530102", "610113", "620102",
          "630102", "650102");

  private final Random random;

  CorpusValues(Random random) {
    this.random = random;
  }

  Random random() {
    return random;
  }

  int between(int min, int max) {
    return min + random.nextInt(max - min + 1);
  }

  <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  String digits(int count) {
    StringBuilder out = new StringBuilder(count);
    for (int k = 0; k < count; k++) {
      out.append((char) ('0' + random.nextInt(10)));
    }
    return out.toString();
  }

  String chars(String alphabet, int count) {
    StringBuilder out = new StringBuilder(count);
    for (int k = 0; k < count; k++) {
      out.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return out.toString();
  }

  /** A random base62 string with at least one digit and one letter. */
  String mixed(int count) {
    while (true) {
      String candidate = chars(BASE62, count);
      if (candidate.chars().anyMatch(Character::isDigit)
          && candidate.chars().anyMatch(Character::isLetter)) {
        return candidate;
      }
    }
  }

  // ---- phones

  /** {@code 1[3-9]} and nine digits. */
  String cnMobile() {
    return "1" + between(3, 9) + digits(9);
  }

  // ---- resident ids

  static char idCheck(String first17) {
    int[] weights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int k = 0; k < 17; k++) {
      sum += (first17.charAt(k) - '0') * weights[k];
    }
    return "10X98765432".charAt(sum % 11);
  }

  String birthDate() {
    int year = between(1940, 2012);
    int month = between(1, 12);
    int day = between(1, java.time.YearMonth.of(year, month).lengthOfMonth());
    return String.format("%04d%02d%02d", year, month, day);
  }

  String cnIdFirst17() {
    return pick(REGIONS) + birthDate() + digits(3);
  }

  String cnId() {
    String first17 = cnIdFirst17();
    return first17 + idCheck(first17);
  }

  /** A valid id whose check character is X. */
  String cnIdEndingInX() {
    while (true) {
      String first17 = cnIdFirst17();
      if (idCheck(first17) == 'X') {
        return first17 + 'X';
      }
    }
  }

  // ---- cards

  static boolean luhn(String digits) {
    int sum = 0;
    boolean doubled = false;
    for (int k = digits.length() - 1; k >= 0; k--) {
      int d = digits.charAt(k) - '0';
      if (doubled) {
        d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      }
      sum += d;
      doubled = !doubled;
    }
    return sum % 10 == 0;
  }

  static char luhnCheck(String withoutCheck) {
    for (char c = '0'; c <= '9'; c++) {
      if (luhn(withoutCheck + c)) {
        return c;
      }
    }
    throw new AssertionError();
  }

  /** A Luhn-valid number with the given prefix and length. */
  String cardNumber(String prefix, int length) {
    String body = prefix + digits(length - prefix.length() - 1);
    return body + luhnCheck(body);
  }

  /** A Luhn-failing number with the given prefix and length. */
  String luhnFailing(String prefix, int length) {
    String valid = cardNumber(prefix, length);
    char last = valid.charAt(length - 1);
    return valid.substring(0, length - 1)
        + (char) ('0' + (last - '0' + 1 + random.nextInt(9)) % 10);
  }

  static String grouped(String digits, char separator, int... groups) {
    StringBuilder out = new StringBuilder();
    int p = 0;
    for (int group : groups) {
      if (p > 0) {
        out.append(separator);
      }
      out.append(digits, p, Math.min(digits.length(), p + group));
      p += group;
    }
    if (p < digits.length()) {
      out.append(separator).append(digits.substring(p));
    }
    return out.toString();
  }

  /** Groups of four: {@code 6222 0212 3456 7890 123}. */
  static String groupsOfFour(String digits, char separator) {
    StringBuilder out = new StringBuilder();
    for (int p = 0; p < digits.length(); p += 4) {
      if (p > 0) {
        out.append(separator);
      }
      out.append(digits, p, Math.min(digits.length(), p + 4));
    }
    return out.toString();
  }

  // ---- secrets

  String base64Url(String text) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  String randomBase64(int bytes) {
    byte[] raw = new byte[bytes];
    random.nextBytes(raw);
    return Base64.getEncoder().encodeToString(raw);
  }

  String randomBase64Url(int bytes) {
    byte[] raw = new byte[bytes];
    random.nextBytes(raw);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  String jwt() {
    String header =
        base64Url(
            pick(
                List.of(
                    "{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
                    "{\"alg\":\"RS256\",\"kid\":\"" + chars(HEX, 8) + "\"}",
                    "{\"typ\":\"JWT\",\"alg\":\"ES256\"}")));
    String payload =
        base64Url(
            "{\"sub\":\""
                + digits(between(4, 10))
                + "\",\"name\":\"user"
                + digits(3)
                + "\",\"iat\":"
                + (1700000000 + random.nextInt(50000000))
                + "}");
    return header + "." + payload + "." + randomBase64Url(32);
  }

  /** A PEM block; its body is random base64 in 64-character lines. */
  String pem(String label, int bytes) {
    String body = randomBase64(bytes);
    StringBuilder out = new StringBuilder("-----BEGIN ").append(label).append("-----\n");
    for (int p = 0; p < body.length(); p += 64) {
      out.append(body, p, Math.min(body.length(), p + 64)).append('\n');
    }
    return out.append("-----END ").append(label).append("-----").toString();
  }

  // ---- neutral numbers

  /** An epoch-millisecond timestamp in 2024–2027. */
  String epochMillis() {
    return Long.toString(1704067200000L + (long) (random.nextDouble() * 4 * 365 * 86400000L));
  }

  String dateTime() {
    return String.format(
        "%04d-%02d-%02d %02d:%02d:%02d",
        between(2024, 2027),
        between(1, 12),
        between(1, 28),
        between(0, 23),
        between(0, 59),
        between(0, 59));
  }

  /** An order number: a compact date-time and a sequence, 17–20 digits. */
  String orderNumber() {
    return String.format(
            "%04d%02d%02d%02d%02d%02d",
            between(2024, 2027),
            between(1, 12),
            between(1, 28),
            between(0, 23),
            between(0, 59),
            between(0, 59))
        + digits(between(3, 6));
  }

  String uuid() {
    return chars(HEX, 8)
        + "-"
        + chars(HEX, 4)
        + "-4"
        + chars(HEX, 3)
        + "-"
        + pick(List.of("8", "9", "a", "b"))
        + chars(HEX, 3)
        + "-"
        + chars(HEX, 12);
  }

  String hexHash(int length) {
    return chars(HEX, length);
  }

  String price() {
    return pick(List.of("¥", "$", "€", "")) + between(1, 99999) + "." + digits(2);
  }
}

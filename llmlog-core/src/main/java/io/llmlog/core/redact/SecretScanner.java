package io.llmlog.core.redact;

/**
 * Credentials that leak into prompts and error messages:
 *
 * <ul>
 *   <li>API keys {@code sk-…}/{@code sk_…}, known by prefix and length whatever characters their
 *       random part has: OpenAI {@code sk-proj-}/{@code sk-svcacct-}/{@code sk-admin-} and
 *       Anthropic {@code sk-ant-} with 40 or more characters after the segment, Stripe {@code
 *       sk_live_}/{@code sk_test_} with 24 or more, DeepSeek and Qwen (DashScope) {@code sk-} + 32,
 *       OpenAI's older keys and Moonshot's {@code sk-} + 48 alphanumerics; any other {@code sk-}
 *       body of 20 or more characters of {@code [A-Za-z0-9_-]} with a digit and a letter, which
 *       keeps {@code sk-learn-compatible-estimator} out;
 *   <li>Zhipu (GLM) keys: 32 hex digits, a dot and 16 alphanumerics;
 *   <li>AWS access key ids {@code AKIA}/{@code ASIA} + 16 {@code [0-9A-Z]}; Google API keys {@code
 *       AIza} + 35 characters;
 *   <li>GitHub tokens {@code ghp_ gho_ ghu_ ghs_ ghr_} + 30 or more alphanumerics, {@code
 *       github_pat_…}; Slack tokens {@code xox?-…} ({@code xoxb-}, {@code xoxp-}, {@code xoxe-} …):
 *       30 or more characters, or 10 or more with a digit and a letter;
 *   <li>{@code Bearer <token>} (any case): the token only, 16+ characters with a digit and a
 *       letter, so that "Bearer authentication" stays;
 *   <li>JWTs {@code eyJ….….…} (the header is base64 of <code>{"</code>);
 *   <li>PEM private key blocks, {@code -----BEGIN … PRIVATE KEY-----} to {@code -----END … PRIVATE
 *       KEY-----}. A block cut off before its END line (prompts get truncated) is redacted up to
 *       its last base64 run of 16 or more characters: half a key is still a leaked key, and the
 *       prose after it is not. Certificates and public keys are not secrets and stay.
 * </ul>
 *
 * Each kind starts at a fixed prefix that is checked in a few character comparisons, and reads its
 * body once; a failed body is never re-read from inside, because no secret starts right after a
 * {@code [A-Za-z0-9_-]} character.
 */
final class SecretScanner {
  private static final int MIN_KEY_BODY = 20;
  private static final String[] NAMED_SEGMENTS = {"proj-", "svcacct-", "admin-", "ant-"};
  private static final int NAMED_BODY = 40;
  private static final int STRIPE_BODY = 24;

  /**
   * A Slack token this long is one whatever its characters; shorter ones need a digit and a letter.
   */
  private static final int SLACK_BODY = 30;

  private static final int MIN_BEARER_TOKEN = 16;
  private static final int MIN_GITHUB_BODY = 30;
  private static final int MAX_PEM_LABEL = 40;

  /** A base64 run this long is key material; a PEM body line is 64. */
  private static final int MIN_PEM_RUN = 16;

  private static final String BEGIN = "-----BEGIN ";
  private static final String END = "-----END ";
  private static final String DASHES = "-----";

  private SecretScanner() {}

  /**
   * May a secret start at {@code i}? Not right after a {@code [A-Za-z0-9_-]} character, except that
   * a PEM header, specific enough on its own, only needs not to follow a dash.
   */
  static boolean startOk(String s, int i) {
    char prev = Chars.before(s, i);
    return s.charAt(i) == '-' ? prev != '-' : !Chars.is(prev, Chars.B64URL);
  }

  /** The span {@code start << 32 | end} of a secret found at {@code i}, or -1. */
  static long find(String s, int i) {
    int end;
    switch (s.charAt(i)) {
      case 's':
        end = s.startsWith("sk-", i) || s.startsWith("sk_", i) ? apiKey(s, i + 3) : -1;
        break;
      case 'A':
        if (s.startsWith("AKIA", i) || s.startsWith("ASIA", i)) {
          end = awsKeyId(s, i + 4);
        } else if (s.startsWith("AIza", i)) {
          end = exactRun(s, i + 4, 35, Chars.B64URL);
        } else {
          end = -1;
        }
        break;
      case 'g':
        end = github(s, i);
        break;
      case 'x':
        end = slack(s, i);
        break;
      case 'B':
        return bearer(s, i);
      case 'b':
        long token = bearer(s, i);
        return token >= 0 ? token : span(i, zhipu(s, i));
      case 'e':
        end = s.startsWith("eyJ", i) ? jwt(s, i) : zhipu(s, i);
        break;
      case '-':
        end = s.startsWith(BEGIN, i) ? pem(s, i) : -1;
        break;
      default:
        end = Chars.is(s.charAt(i), Chars.HEX) ? zhipu(s, i) : -1;
    }
    return span(i, end);
  }

  private static long span(int start, int end) {
    return end < 0 ? -1 : (long) start << 32 | end;
  }

  /**
   * After {@code sk-}/{@code sk_}: a provider's key by its named segment and length, or by its
   * length alone, whatever characters its random part happens to have (a key of letters only is as
   * secret as any); any other body of 20 or more characters with a digit and a letter.
   */
  private static int apiKey(String s, int body) {
    int end = run(s, body, Chars.B64URL);
    int length = end - body;
    if (length < MIN_KEY_BODY) {
      return -1;
    }
    if (hasDigitAndLetter(s, body, end) || namedKey(s, body, end)) {
      return end;
    }
    // DeepSeek and Qwen (DashScope): 32 hex digits; OpenAI's older keys and Moonshot's: 48
    // alphanumerics.
    return (length == 32 || length == 48) && alphanumeric(s, body, end) ? end : -1;
  }

  /**
   * {@code sk-proj-}, {@code sk-svcacct-}, {@code sk-admin-}, {@code sk-ant-}: 40 or more
   * characters after it; Stripe's {@code sk_live_}, {@code sk_test_}: 24 or more.
   */
  private static boolean namedKey(String s, int body, int end) {
    if (s.charAt(body - 1) == '_') {
      return (s.startsWith("live_", body) || s.startsWith("test_", body))
          && end - (body + 5) >= STRIPE_BODY;
    }
    for (String segment : NAMED_SEGMENTS) {
      if (s.startsWith(segment, body)) {
        return end - (body + segment.length()) >= NAMED_BODY;
      }
    }
    return false;
  }

  private static boolean alphanumeric(String s, int from, int to) {
    for (int k = from; k < to; k++) {
      if (!Chars.isAsciiAlnum(s.charAt(k))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Zhipu (GLM) keys have no prefix: an id of 32 hex digits, a dot and a secret of 16
   * alphanumerics. Both lengths are exact, so a commit hash (40), a file name ({@code <md5>.json})
   * or a UUID stay.
   */
  private static int zhipu(String s, int i) {
    // At most 33 characters read: a long hex run (a hash, hostile input) is never read to its end.
    int dot = i;
    while (dot < s.length() && dot - i <= 32 && Chars.is(s.charAt(dot), Chars.HEX)) {
      dot++;
    }
    if (dot - i != 32 || dot + 1 >= s.length() || s.charAt(dot) != '.') {
      return -1;
    }
    int end = dot + 1;
    while (end < s.length() && end - (dot + 1) <= 16 && Chars.isAsciiAlnum(s.charAt(end))) {
      end++;
    }
    return end - (dot + 1) == 16 && !(end < s.length() && Chars.is(s.charAt(end), Chars.B64URL))
        ? end
        : -1;
  }

  private static int awsKeyId(String s, int body) {
    int end = body + 16;
    if (end > s.length()) {
      return -1;
    }
    for (int k = body; k < end; k++) {
      char c = s.charAt(k);
      if (!((c >= 'A' && c <= 'Z') || Chars.isDigit(c))) {
        return -1;
      }
    }
    return end < s.length() && Chars.isAsciiAlnum(s.charAt(end)) ? -1 : end;
  }

  private static int github(String s, int i) {
    if (s.startsWith("github_pat_", i)) {
      int end = run(s, i + 11, Chars.WORD);
      return end - (i + 11) >= MIN_GITHUB_BODY ? end : -1;
    }
    if (i + 4 <= s.length()
        && s.startsWith("gh", i)
        && "pousr".indexOf(s.charAt(i + 2)) >= 0
        && s.charAt(i + 3) == '_') {
      int end = i + 4;
      while (end < s.length() && Chars.isAsciiAlnum(s.charAt(end))) {
        end++;
      }
      return end - (i + 4) >= MIN_GITHUB_BODY && !(end < s.length() && Chars.isWord(s.charAt(end)))
          ? end
          : -1;
    }
    return -1;
  }

  private static int slack(String s, int i) {
    if (i + 5 > s.length()
        || !s.startsWith("xox", i)
        || "abcdeprs".indexOf(s.charAt(i + 3)) < 0
        || s.charAt(i + 4) != '-') {
      return -1;
    }
    int end = run(s, i + 5, Chars.LABEL);
    int length = end - (i + 5);
    return length >= SLACK_BODY || (length >= 10 && hasDigitAndLetter(s, i + 5, end)) ? end : -1;
  }

  private static long bearer(String s, int i) {
    int n = s.length();
    if (!s.regionMatches(true, i, "bearer", 0, 6)) {
      return -1;
    }
    int p = i + 6;
    int spaces = 0;
    while (p < n && (s.charAt(p) == ' ' || s.charAt(p) == '\t') && spaces < 4) {
      p++;
      spaces++;
    }
    if (spaces == 0) {
      return -1;
    }
    int end = p;
    while (end < n && isTokenChar(s.charAt(end))) {
      end++;
    }
    return end - p >= MIN_BEARER_TOKEN && hasDigitAndLetter(s, p, end) ? (long) p << 32 | end : -1;
  }

  private static boolean isTokenChar(char c) {
    return Chars.is(c, Chars.B64URL | Chars.B64) || c == '.' || c == '~';
  }

  private static int jwt(String s, int i) {
    int header = run(s, i, Chars.B64URL);
    if (header - i < 10 || header + 1 >= s.length() || s.charAt(header) != '.') {
      return -1;
    }
    int payload = run(s, header + 1, Chars.B64URL);
    if (payload - (header + 1) < 2 || payload >= s.length() || s.charAt(payload) != '.') {
      return -1;
    }
    int end = run(s, payload + 1, Chars.B64URL);
    if (end == payload + 1) {
      // Unsigned ("alg":"none") tokens end in '.', but so does "eyJ….abc." at the end of a
      // sentence.
      return -1;
    }
    // Encrypted JWTs (JWE) have five parts.
    for (int part = 3;
        part < 5
            && end + 1 < s.length()
            && s.charAt(end) == '.'
            && Chars.is(s.charAt(end + 1), Chars.B64URL);
        part++) {
      end = run(s, end + 1, Chars.B64URL);
    }
    return end;
  }

  private static int pem(String s, int i) {
    int headerEnd = pemLabelEnd(s, i + BEGIN.length());
    if (headerEnd < 0) {
      return -1;
    }
    int n = s.length();
    int p = headerEnd;
    int runStart = -1;
    int lastLongRun = -1;
    while (p < n) {
      char c = s.charAt(p);
      boolean base64 = Chars.is(c, Chars.B64);
      if (base64 && runStart < 0) {
        runStart = p;
      } else if (!base64 && runStart >= 0) {
        if (p - runStart >= MIN_PEM_RUN) {
          lastLongRun = p;
        }
        runStart = -1;
      }
      if ((c == '-' && s.startsWith(DASHES, p)) || !(base64 || isPemSeparator(c))) {
        break;
      }
      p++;
    }
    if (runStart >= 0 && p - runStart >= MIN_PEM_RUN) {
      lastLongRun = p;
    }
    if (s.startsWith(END, p)) {
      int footerEnd = pemLabelEnd(s, p + END.length());
      if (footerEnd > 0) {
        return footerEnd;
      }
    }
    // Unterminated: a key only if the body holds base64, and only up to its last base64 line, so
    // that prose after a truncated key stays.
    return lastLongRun;
  }

  /** After {@code -----BEGIN }: the end of {@code [A-Z0-9 ]* PRIVATE KEY[ BLOCK]-----}, or -1. */
  private static int pemLabelEnd(String s, int from) {
    int n = s.length();
    int p = from;
    while (p < n && p - from <= MAX_PEM_LABEL) {
      char c = s.charAt(p);
      if (c == '-') {
        break;
      }
      if (!((c >= 'A' && c <= 'Z') || Chars.isDigit(c) || c == ' ')) {
        return -1;
      }
      p++;
    }
    if (!s.startsWith(DASHES, p)) {
      return -1;
    }
    String label = s.substring(from, p);
    return label.endsWith("PRIVATE KEY") || label.endsWith("PRIVATE KEY BLOCK")
        ? p + DASHES.length()
        : -1;
  }

  /**
   * Between base64 runs: line breaks (also JSON-escaped ones) and what encrypted-key headers use.
   */
  private static boolean isPemSeparator(char c) {
    return c == '\n' || c == '\r' || c == ' ' || c == '\t' || c == '\\' || c == ':' || c == ','
        || c == '-';
  }

  private static int run(String s, int from, int classes) {
    int p = from;
    while (p < s.length() && Chars.is(s.charAt(p), classes)) {
      p++;
    }
    return p;
  }

  private static int exactRun(String s, int from, int length, int classes) {
    int end = run(s, from, classes);
    return end - from == length ? end : -1;
  }

  private static boolean hasDigitAndLetter(String s, int from, int to) {
    boolean digit = false;
    boolean letter = false;
    for (int k = from; k < to && !(digit && letter); k++) {
      char c = s.charAt(k);
      digit |= Chars.isDigit(c);
      letter |= Chars.isAsciiLetter(c);
    }
    return digit && letter;
  }

  /**
   * The kind's prefix stays (through its last separator for {@code sk-proj-}-style keys), then
   * {@code ****} and, for long secrets, the last four characters: {@code sk-proj-****Q3x9}. A PEM
   * block keeps its BEGIN and END lines.
   */
  static void appendMasked(String s, int start, int end, StringBuilder out) {
    if (s.startsWith(BEGIN, start)) {
      int headerEnd = pemLabelEnd(s, start + BEGIN.length());
      out.append(s, start, headerEnd).append("****");
      // Only a terminated block ends in dashes; then its footer is a few dozen characters back.
      int footer = end > headerEnd && s.charAt(end - 1) == '-' ? s.lastIndexOf(END, end - 1) : -1;
      if (footer > headerEnd) {
        out.append(s, footer, end);
      }
      return;
    }
    int visible = visiblePrefix(s, start, end);
    out.append(s, start, start + visible).append("****");
    if (end - start - visible >= 20) {
      out.append(s, end - 4, end);
    }
  }

  private static int visiblePrefix(String s, int start, int end) {
    if (s.startsWith("sk", start)) {
      // Named segments such as "proj-", "ant-api03-", "live_" tell which key it was; random key
      // material is mixed case, so a short lower-case segment is never part of it.
      int visible = 3;
      int segment = start + 3;
      for (int k = segment; k < end && k - segment <= 8; k++) {
        char c = s.charAt(k);
        if ((c == '-' || c == '_') && k > segment) {
          visible = k - start + 1;
          segment = k + 1;
        } else if (!((c >= 'a' && c <= 'z') || Chars.isDigit(c))) {
          break;
        }
      }
      return visible;
    }
    if (s.startsWith("github_pat_", start)) {
      return 11;
    }
    if (s.startsWith("AKIA", start)
        || s.startsWith("ASIA", start)
        || s.startsWith("AIza", start)
        || s.startsWith("gh", start)) {
      return 4;
    }
    if (s.startsWith("xox", start)) {
      return 5;
    }
    if (s.startsWith("eyJ", start)) {
      return 3;
    }
    return 0;
  }
}

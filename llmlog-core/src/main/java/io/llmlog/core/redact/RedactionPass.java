package io.llmlog.core.redact;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@link PiiRedactor#redact(String)} call: the left-to-right pass, the candidates at each
 * position, and the output built lazily on the first match. Not thread-safe; one per call.
 */
final class RedactionPass {
  private static final PiiType[] TYPES = PiiType.values();
  private static final int BUILT_INS = PiiRedactor.BUILT_INS;

  private final String s;
  private final int[] precomputed;
  private final boolean[] enabled;
  private final RedactionMode[] modes;
  private final CustomRecognizer[] customs;
  private final Pseudonyms pseudonyms;
  private final int triggers;
  private StringBuilder out;
  private int copied;
  private int[] counts;
  private int bestStart;
  private int bestEnd;
  private int bestRank;

  /** The next ':' at or after the position last asked about; MAX_VALUE when there is none. */
  private int nextColon = -1;

  RedactionPass(
      String s,
      int[] precomputed,
      boolean[] enabled,
      RedactionMode[] modes,
      CustomRecognizer[] customs,
      Pseudonyms pseudonyms,
      int triggers) {
    this.s = s;
    this.precomputed = precomputed;
    this.enabled = enabled;
    this.modes = modes;
    this.customs = customs;
    this.pseudonyms = pseudonyms;
    this.triggers = triggers;
  }

  Redaction run() {
    final String s = this.s;
    final int n = s.length();
    // Letters a-f start IPv6 candidates only in a text that has a ':' at all.
    final int active = s.indexOf(':') >= 0 ? triggers : triggers & ~Chars.V6_START;
    int ci = 0;
    int nextPrecomputed = precomputed == null ? Integer.MAX_VALUE : precomputed[0];
    int i = 0;
    while (i < n) {
      char c = s.charAt(i);
      if (i < nextPrecomputed) {
        int classes = Chars.classes(c) & active;
        // No recognizer starts inside a word, so most letters cost one lookup and one compare.
        if (classes == 0 || (i > 0 && Chars.isWord(c) && Chars.isWord(Chars.before(s, i)))) {
          i++;
          continue;
        }
      }
      bestStart = Integer.MAX_VALUE;
      bestEnd = -1;
      bestRank = Integer.MAX_VALUE;
      tryBuiltIns(c, i);
      while (precomputed != null && ci < precomputed.length && precomputed[ci] == i) {
        consider(i, precomputed[ci + 1], precomputed[ci + 2]);
        ci += 3;
      }
      if (bestEnd > 0) {
        replace();
        i = bestEnd;
      } else {
        i++;
      }
      if (precomputed != null && nextPrecomputed < i) {
        while (ci < precomputed.length && precomputed[ci] < i) {
          ci += 3; // overlapped by an earlier match
        }
        nextPrecomputed = ci < precomputed.length ? precomputed[ci] : Integer.MAX_VALUE;
      }
    }
    return out == null ? Redaction.unchanged(s) : result();
  }

  private void tryBuiltIns(char c, int i) {
    if (Chars.isDigit(c)) {
      if (DigitRuns.startOk(s, i)) {
        if (on(PiiType.CN_ID)) {
          consider(i, CnIdScanner.find(s, i), PiiType.CN_ID.ordinal());
        }
        if (on(PiiType.BANK_CARD)) {
          consider(i, BankCardScanner.find(s, i), PiiType.BANK_CARD.ordinal());
        }
        if (on(PiiType.PHONE)) {
          consider(i, PhoneScanner.findMobile(s, i), PiiType.PHONE.ordinal());
        }
      }
      if (on(PiiType.IP) && IpScanner.v4StartOk(s, i)) {
        consider(i, IpScanner.findV4(s, i), PiiType.IP.ordinal());
      }
    } else if (c == '+' && on(PiiType.PHONE) && PhoneScanner.plusStartOk(s, i)) {
      consider(i, PhoneScanner.findPlus(s, i), PiiType.PHONE.ordinal());
    }
    if (on(PiiType.IP) && Chars.is(c, Chars.V6_START)) {
      if (nextColon < i) {
        nextColon = indexOrMax(':', i);
      }
      // An address has a ':' within its first five characters (a group is at most 4 digits).
      if (nextColon - i <= 4 && IpScanner.v6StartOk(s, i)) {
        consider(i, IpScanner.findV6(s, i), PiiType.IP.ordinal());
      }
    }
    if (on(PiiType.SECRET) && Chars.is(c, Chars.SECRET_START) && SecretScanner.startOk(s, i)) {
      consider(SecretScanner.find(s, i), PiiType.SECRET);
    }
  }

  /** Positions only move forward, so these searches read the text once in all. */
  private int indexOrMax(char target, int from) {
    int found = s.indexOf(target, from);
    return found < 0 ? Integer.MAX_VALUE : found;
  }

  private boolean on(PiiType type) {
    return enabled[type.ordinal()];
  }

  private void consider(long span, PiiType type) {
    if (span >= 0) {
      consider((int) (span >>> 32), (int) span, type.ordinal());
    }
  }

  private void consider(int start, int end, int rank) {
    if (end <= start) {
      return;
    }
    if (start < bestStart
        || (start == bestStart && (end > bestEnd || (end == bestEnd && rank < bestRank)))) {
      bestStart = start;
      bestEnd = end;
      bestRank = rank;
    }
  }

  private void replace() {
    if (out == null) {
      out = new StringBuilder(s.length() + 32);
      counts = new int[BUILT_INS + customs.length];
    }
    out.append(s, copied, bestStart);
    if (bestRank < BUILT_INS) {
      PiiType type = TYPES[bestRank];
      appendBuiltIn(type, modes[bestRank]);
    } else {
      appendCustom(customs[bestRank - BUILT_INS]);
    }
    counts[bestRank]++;
    copied = bestEnd;
  }

  private void appendBuiltIn(PiiType type, RedactionMode mode) {
    int start = bestStart;
    int end = bestEnd;
    switch (mode) {
      case TOKEN:
        out.append(type.token());
        return;
      case MASK:
        switch (type) {
          case EMAIL -> EmailScanner.appendMasked(s, start, end, out);
          case PHONE -> PhoneScanner.appendMasked(s, start, end, out);
          case CN_ID -> CnIdScanner.appendMasked(s, start, end, out);
          case BANK_CARD -> BankCardScanner.appendMasked(s, start, end, out);
          case IP -> IpScanner.appendMasked(s, start, end, out);
          case SECRET -> SecretScanner.appendMasked(s, start, end, out);
        }
        return;
      case HASH:
        String normalized =
            switch (type) {
              case EMAIL -> EmailScanner.normalized(s, start, end);
              case PHONE -> PhoneScanner.normalized(s, start, end);
              case CN_ID -> CnIdScanner.normalized(s, start, end);
              case BANK_CARD -> BankCardScanner.normalized(s, start, end);
              case IP -> IpScanner.normalized(s, start, end);
              case SECRET -> s.substring(start, end);
            };
        appendPseudonym(type.name(), type.configName(), normalized);
        return;
      default:
        throw new AssertionError(mode);
    }
  }

  private void appendCustom(CustomRecognizer recognizer) {
    switch (recognizer.mode()) {
      case TOKEN -> out.append(recognizer.token());
      case MASK -> CustomRecognizer.appendMasked(s, bestStart, bestEnd, out);
      case HASH ->
          appendPseudonym(
              recognizer.token().substring(1, recognizer.token().length() - 1),
              recognizer.name(),
              s.substring(bestStart, bestEnd));
    }
  }

  private void appendPseudonym(String label, String type, String normalized) {
    out.append('[').append(label).append(':').append(pseudonyms.of(type, normalized)).append(']');
  }

  private Redaction result() {
    out.append(s, copied, s.length());
    Map<String, Integer> byName = new LinkedHashMap<>();
    for (int rank = 0; rank < counts.length; rank++) {
      if (counts[rank] > 0) {
        byName.put(
            rank < BUILT_INS ? TYPES[rank].configName() : customs[rank - BUILT_INS].name(),
            counts[rank]);
      }
    }
    return new Redaction(out.toString(), byName, false);
  }
}

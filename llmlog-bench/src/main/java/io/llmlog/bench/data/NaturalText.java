package io.llmlog.bench.data;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Random;
import java.util.Set;

/**
 * Text with the word statistics of natural language: ranks drawn from a Zipf distribution (s = 1)
 * over a fixed vocabulary of 20,000 English-like words or 3,500 Han characters, so that neither a
 * compressor nor an inverted index finds the same sentences again and again as it does in the
 * generator's template sentences. Storage and compression numbers measured on it are not flattered.
 * The same seed gives the same vocabulary and the same text.
 */
public final class NaturalText {
  private final Random random;
  private final String[] words;
  private final int[] han;
  private final double[] wordCdf;
  private final double[] hanCdf;

  public NaturalText(long seed) {
    random = new Random(seed);
    String[] syllables = {
      "ka", "lo", "re", "mi", "tan", "ser", "vo", "in", "de", "pra", "tion", "al", "ex", "con",
      "ly", "ment", "qu", "ra", "si", "po", "ne", "ter", "an", "ing", "st", "or", "ble", "un",
      "pro", "com"
    };
    Set<String> vocabulary = new LinkedHashSet<>();
    while (vocabulary.size() < 20_000) {
      StringBuilder word = new StringBuilder();
      int parts = 1 + random.nextInt(4);
      for (int i = 0; i < parts; i++) {
        word.append(syllables[random.nextInt(syllables.length)]);
      }
      vocabulary.add(word.toString());
    }
    words = vocabulary.toArray(new String[0]);
    han = new int[3500];
    for (int i = 0; i < han.length; i++) {
      han[i] = 0x4E00 + random.nextInt(0x9FA5 - 0x4E00);
    }
    wordCdf = cdf(words.length);
    hanCdf = cdf(han.length);
  }

  /** The English-like word of this frequency rank (0 is the most frequent). */
  public String word(int rank) {
    return words[rank];
  }

  /** The Han character of this frequency rank (0 is the most frequent). */
  public String han(int rank) {
    return new String(Character.toChars(han[rank]));
  }

  /** About {@code bytes} UTF-8 bytes of Chinese-like or English-like text. */
  public String text(boolean chinese, int bytes) {
    StringBuilder out = new StringBuilder();
    int size = 0;
    while (size < bytes) {
      if (chinese) {
        out.appendCodePoint(han[rank(hanCdf)]);
        size += 3;
        if (random.nextInt(14) == 0) {
          out.append(random.nextInt(3) == 0 ? "。" : "，");
          size += 3;
        }
      } else {
        String word = words[rank(wordCdf)];
        out.append(word).append(random.nextInt(12) == 0 ? ". " : " ");
        size += word.length() + 1;
      }
    }
    return out.toString();
  }

  private static double[] cdf(int size) {
    double[] cdf = new double[size];
    double sum = 0;
    for (int i = 0; i < size; i++) {
      sum += 1.0 / (i + 1);
      cdf[i] = sum;
    }
    for (int i = 0; i < size; i++) {
      cdf[i] /= sum;
    }
    return cdf;
  }

  private int rank(double[] cdf) {
    int index = Arrays.binarySearch(cdf, random.nextDouble());
    return Math.min(cdf.length - 1, index < 0 ? -index - 1 : index);
  }
}

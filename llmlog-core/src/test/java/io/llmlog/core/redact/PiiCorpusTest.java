package io.llmlog.core.redact;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmlog.core.redact.PiiCorpusGenerator.Line;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Precision and recall of the built-in recognizers on the labelled corpus in {@code
 * src/test/resources/pii-corpus/} ({@link PiiCorpusGenerator}).
 *
 * <p>Scoring, per type T, with the default redactor (token mode): a positive of T is a true
 * positive when the output is exactly the sentence with its span replaced by T's token — the right
 * type and the right span, nothing more; otherwise it is a false negative. Every replacement of
 * type T that is not such a true positive, in any sentence of any type, is a false positive of T.
 */
class PiiCorpusTest {
  private static final String WRITE_PROPERTY = "pii.corpus.write";
  private static Map<PiiType, List<Line>> corpus;

  @BeforeAll
  static void load() throws IOException {
    String writeTo = System.getProperty(WRITE_PROPERTY);
    if (writeTo != null && !writeTo.isBlank()) {
      Path dir = Path.of(writeTo);
      Files.createDirectories(dir);
      for (Map.Entry<PiiType, List<Line>> entry : PiiCorpusGenerator.generate().entrySet()) {
        Files.writeString(
            dir.resolve(fileName(entry.getKey())),
            PiiCorpusGenerator.toTsv(entry.getValue()),
            StandardCharsets.UTF_8);
      }
    }
    corpus = new EnumMap<>(PiiType.class);
    for (PiiType type : PiiType.values()) {
      corpus.put(type, PiiCorpusGenerator.parseTsv(resource(fileName(type))));
    }
  }

  private static String fileName(PiiType type) {
    return type.configName() + ".tsv";
  }

  private static String resource(String name) {
    try (InputStream in = PiiCorpusTest.class.getResourceAsStream("/pii-corpus/" + name)) {
      assertThat(in).as("pii-corpus/" + name + " on the test classpath").isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void corpus_committedFiles_matchTheGenerator() {
    Map<PiiType, List<Line>> generated = PiiCorpusGenerator.generate();
    for (PiiType type : PiiType.values()) {
      assertThat(PiiCorpusGenerator.toTsv(corpus.get(type)))
          .as(
              "pii-corpus/%s.tsv is stale; regenerate with -D%s=src/test/resources/pii-corpus",
              type.configName(), WRITE_PROPERTY)
          .isEqualTo(PiiCorpusGenerator.toTsv(generated.get(type)));
    }
  }

  @Test
  void corpus_everyType_hasTwoHundredPositivesAndHardNegativesInBothLanguages() {
    for (PiiType type : PiiType.values()) {
      List<Line> lines = corpus.get(type);
      assertThat(lines.stream().filter(Line::positive).count())
          .as(type + " positives")
          .isGreaterThanOrEqualTo(200);
      assertThat(lines.stream().filter(line -> !line.positive()).count())
          .as(type + " negatives")
          .isGreaterThanOrEqualTo(200);
      assertThat(lines.stream().map(Line::lang).distinct())
          .as(type + " languages")
          .containsExactlyInAnyOrder("zh", "en");
      for (Line line : lines) {
        if (line.positive()) {
          assertThat(line.sentence()).contains(line.span());
        }
      }
    }
  }

  @Test
  void redact_corpus_meetsPrecisionAndRecallTargetsForEveryType() {
    PiiRedactor redactor = PiiRedactor.defaults();
    Map<PiiType, int[]> scores = new EnumMap<>(PiiType.class); // tp, fn, fp
    for (PiiType type : PiiType.values()) {
      scores.put(type, new int[3]);
    }
    List<String> misses = new ArrayList<>();
    for (List<Line> lines : corpus.values()) {
      for (Line line : lines) {
        Redaction redaction = redactor.redact(line.sentence());
        boolean truePositive = false;
        if (line.positive()) {
          String expected = replaceFirst(line.sentence(), line.span(), line.type().token());
          truePositive = redaction.text().equals(expected);
          scores.get(line.type())[truePositive ? 0 : 1]++;
          if (!truePositive) {
            misses.add(
                "missed "
                    + line.type()
                    + ": "
                    + PiiCorpusGenerator.escape(line.sentence())
                    + " -> "
                    + PiiCorpusGenerator.escape(redaction.text()));
          }
        }
        for (PiiType type : PiiType.values()) {
          int found = redaction.counts().getOrDefault(type.configName(), 0);
          int falsePositives = found - (truePositive && type == line.type() ? 1 : 0);
          scores.get(type)[2] += falsePositives;
          if (falsePositives > 0) {
            misses.add(
                "false "
                    + type
                    + " in "
                    + (line.positive() ? "positive " : "negative ")
                    + line.type()
                    + ": "
                    + PiiCorpusGenerator.escape(line.sentence())
                    + " -> "
                    + PiiCorpusGenerator.escape(redaction.text()));
          }
        }
      }
    }

    StringBuilder table =
        new StringBuilder(
            String.format(
                "%n%-10s %9s %9s %5s %5s %5s %9s %7s%n",
                "type", "positives", "negatives", "tp", "fn", "fp", "precision", "recall"));
    for (PiiType type : PiiType.values()) {
      int[] s = scores.get(type);
      long negatives = corpus.get(type).stream().filter(line -> !line.positive()).count();
      table.append(
          String.format(
              "%-10s %9d %9d %5d %5d %5d %9.4f %7.4f%n",
              type.configName(),
              s[0] + s[1],
              negatives,
              s[0],
              s[1],
              s[2],
              precision(s),
              recall(s)));
    }
    System.out.println(table);
    misses.forEach(System.out::println);

    for (PiiType type : PiiType.values()) {
      int[] s = scores.get(type);
      assertThat(recall(s)).as(type + " recall\n" + table).isGreaterThanOrEqualTo(0.99);
      assertThat(precision(s)).as(type + " precision\n" + table).isGreaterThanOrEqualTo(0.99);
    }
  }

  @Test
  void redact_hardNegatives_areNeverChanged() {
    PiiRedactor redactor = PiiRedactor.defaults();
    List<String> changed = new ArrayList<>();
    for (List<Line> lines : corpus.values()) {
      for (Line line : lines) {
        if (!line.positive()) {
          Redaction redaction = redactor.redact(line.sentence());
          if (redaction.changed()) {
            changed.add(
                line.type()
                    + ": "
                    + PiiCorpusGenerator.escape(line.sentence())
                    + " -> "
                    + PiiCorpusGenerator.escape(redaction.text()));
          }
        }
      }
    }
    assertThat(changed).isEmpty();
  }

  private static double precision(int[] s) {
    return s[0] + s[2] == 0 ? 1.0 : (double) s[0] / (s[0] + s[2]);
  }

  private static double recall(int[] s) {
    return s[0] + s[1] == 0 ? 1.0 : (double) s[0] / (s[0] + s[1]);
  }

  private static String replaceFirst(String text, String span, String replacement) {
    int at = text.indexOf(span);
    return text.substring(0, at) + replacement + text.substring(at + span.length());
  }
}

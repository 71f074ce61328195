package io.llmlog.bench.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Loads a day of documents into several targets for the query and storage benchmarks: chunk by
 * chunk, each chunk to every target in turn, so that every contestant's index grows alike.
 */
final class Fill {
  /** What loading one target took, summed over the chunks. */
  static final class Totals {
    long docs;
    long documentBytes;
    long wallNanos;
    long cpuNanos;

    double docsPerSecond() {
      return docs / (wallNanos / 1e9);
    }

    void add(Totals other) {
      docs += other.docs;
      documentBytes += other.documentBytes;
      wallNanos += other.wallNanos;
      cpuNanos += other.cpuNanos;
    }
  }

  private Fill() {}

  /**
   * @param alsoEach called with each chunk after the targets got it (extra indices, raw byte
   *     counts)
   */
  static Map<Target, Totals> fill(
      Rig rig,
      Corpus corpus,
      long total,
      List<Target> targets,
      int batch,
      int concurrency,
      Consumer<List<Corpus.Doc>> alsoEach)
      throws InterruptedException {
    Loader loader = new Loader(rig.http);
    Map<Target, Totals> totals = new LinkedHashMap<>();
    targets.forEach(t -> totals.put(t, new Totals()));
    int chunk = 20_000;
    long started = System.nanoTime();
    long reported = 0;
    for (long sent = 0; sent < total; sent += chunk) {
      List<Corpus.Doc> docs = corpus.next((int) Math.min(chunk, total - sent));
      for (Target target : targets) {
        Loader.Run run = send(rig, loader, target, corpus, docs, batch, concurrency);
        Totals sum = totals.get(target);
        sum.docs += run.docs();
        sum.documentBytes += run.documentBytes();
        sum.wallNanos += run.wallNanos();
        sum.cpuNanos += run.cpuNanos();
      }
      alsoEach.accept(docs);
      if (sent + docs.size() - reported >= 100_000 || sent + docs.size() == total) {
        reported = sent + docs.size();
        StringBuilder line =
            new StringBuilder(
                String.format(
                    Locale.ROOT,
                    "  loaded %,d of %,d documents in %.0f s (load %s):",
                    reported,
                    total,
                    (System.nanoTime() - started) / 1e9,
                    Machine.load()));
        totals.forEach(
            (target, sum) ->
                line.append(
                    String.format(
                        Locale.ROOT, " %s %,.0f docs/s;", target.label, sum.docsPerSecond())));
        System.out.println(line);
      }
    }
    for (Target target : targets) {
      rig.refresh(target.indices(corpus));
    }
    rig.awaitMergesIdle(Duration.ofMinutes(30));
    return totals;
  }

  /** Sends documents to one target in batches from {@code concurrency} client threads. */
  static Loader.Run send(
      Rig rig,
      Loader loader,
      Target target,
      Corpus corpus,
      List<Corpus.Doc> docs,
      int batch,
      int concurrency)
      throws InterruptedException {
    List<Target.Batch> batches = new ArrayList<>();
    for (int from = 0; from < docs.size(); from += batch) {
      batches.add(target.batch(corpus, docs.subList(from, Math.min(docs.size(), from + batch))));
    }
    return loader.run(target, target.base(rig), batches, concurrency, () -> {});
  }
}

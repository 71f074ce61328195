package io.llmlog.bench.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.bench.data.LlmLogGenerator;
import io.llmlog.bench.data.StoredDocuments;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./llmlog bench storage}: bytes per document on disk after a force-merge to one segment per
 * shard, for llmlog's templates (documents sent through its native API), the brief's template with
 * default settings (a direct {@code _bulk} of the same documents) and the raw NDJSON; optionally
 * variations of llmlog's template ({@code --experiments}), filled with the documents llmlog stores.
 * The columns after the ratios say what the bytes are, from the index's files by extension.
 */
public final class StorageBenchmark {
  private StorageBenchmark() {}

  /** The options and their defaults, in the order the usage lists them. */
  public static Map<String, String> defaults() {
    Map<String, String> defaults = new LinkedHashMap<>();
    defaults.put("docs", "200000");
    defaults.put("texts", "natural");
    defaults.put("errors", "0.03");
    defaults.put("seed", "42");
    defaults.put("experiments", "as_installed");
    defaults.put("batch", "500");
    defaults.put("concurrency", "4");
    defaults.put("dir", "/tmp");
    defaults.put("llmlog", "");
    defaults.put("keep", "false");
    return defaults;
  }

  public static void main(String[] args) throws Exception {
    Options options = new Options(args, defaults());
    System.out.println("# llmlog bench storage " + options.describe());
    System.out.println("Machine: " + Machine.describe());
    try (Rig rig =
        Rig.start(
            Path.of(options.string("dir")),
            IngestBenchmark.settings(options.string("llmlog")),
            options.flag("keep"))) {
      Corpus corpus =
          new Corpus(
              options.number("seed"),
              LocalDate.of(2026, 8, 1),
              LlmLogGenerator.Texts.valueOf(options.string("texts").toUpperCase(Locale.ROOT)),
              Double.parseDouble(options.string("errors")));
      List<String> experiments = options.list("experiments");
      experiments.forEach(name -> Experiments.install(rig, name));
      AtomicLong raw = new AtomicLong();
      AtomicLong stored = new AtomicLong();
      StoredDocuments pipeline = new StoredDocuments(new ObjectMapper());
      Fill.fill(
          rig,
          corpus,
          options.number("docs"),
          List.of(Target.NATIVE, Target.DIRECT),
          options.integer("batch"),
          options.integer("concurrency"),
          docs -> {
            List<Corpus.Doc> processed = new ArrayList<>(docs.size());
            for (Corpus.Doc doc : docs) {
              raw.addAndGet(doc.json().length + 1);
              byte[] source = pipeline.source(doc.json());
              stored.addAndGet(source.length + 1);
              processed.add(new Corpus.Doc(doc.requestId(), source));
            }
            experiments.forEach(
                name ->
                    Experiments.load(
                        rig,
                        name,
                        corpus,
                        processed,
                        options.integer("batch"),
                        options.integer("concurrency")));
          });
      System.out.printf(
          Locale.ROOT,
          "The documents as llmlog stores them (after its default pipeline: redacted, derived fields added): %,d bytes of NDJSON, %.2f× the documents as sent%n",
          stored.get(),
          stored.get() / (double) raw.get());
      // As loaded: what a hot day takes on disk before any merge of ours, beside the brief's
      // template loaded with the same calls (its documents deleted by updates included).
      Map<String, String> loaded = new LinkedHashMap<>();
      loaded.put("llmlog, hot as loaded", Target.NATIVE.indices(corpus));
      loaded.put("brief's template, as loaded", Target.DIRECT.indices(corpus));
      Map<String, Double> loadedPerDoc = new LinkedHashMap<>();
      for (Map.Entry<String, String> entry : loaded.entrySet()) {
        rig.refresh(entry.getValue());
        Rig.IndexSize size = rig.size(entry.getValue());
        double perDoc = size.storeBytes() / (double) size.docs();
        loadedPerDoc.put(entry.getKey(), perDoc);
        System.out.printf(
            Locale.ROOT,
            "%s (%d segments as the engine merged them, %,d deleted documents): %,.0f bytes per document, %.2f× the raw JSON%n",
            entry.getKey(),
            size.segments(),
            size.deletedDocs(),
            perDoc,
            perDoc / (raw.get() / (double) options.number("docs")));
      }
      System.out.printf(
          Locale.ROOT,
          "llmlog hot as loaded vs the brief's template as loaded: %.2f×%n",
          loadedPerDoc.get("llmlog, hot as loaded")
              / loadedPerDoc.get("brief's template, as loaded"));
      Map<String, String> indices = new LinkedHashMap<>();
      indices.put(StorageReport.LLMLOG_WARM, Target.NATIVE.indices(corpus));
      indices.put("brief's template", Target.DIRECT.indices(corpus));
      experiments.forEach(
          name -> indices.put("llmlog template + " + name, Experiments.index(name, corpus)));
      StorageReport.print(
          rig,
          indices,
          java.util.Set.of(StorageReport.LLMLOG_WARM),
          options.number("docs"),
          raw.get(),
          "brief's template");
      System.out.println("Load average at the end: " + Machine.load());
    }
  }
}

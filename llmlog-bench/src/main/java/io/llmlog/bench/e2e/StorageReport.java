package io.llmlog.bench.e2e;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Bytes per document of several indices after a force-merge to one segment per shard, with what the
 * bytes hold.
 */
final class StorageReport {
  /** llmlog's own index, merged as its lifecycle's warm step merges it. */
  static final String LLMLOG_WARM = "llmlog, warm (lifecycle's merge, best_compression)";

  private StorageReport() {}

  /**
   * @param indices contestant label → index pattern
   * @param rawBytes the NDJSON bytes of the documents as sent (one document per line)
   * @param baseline the label the second ratio compares with (the brief's template)
   */
  static void print(
      Rig rig,
      Map<String, String> indices,
      java.util.Set<String> warm,
      long docs,
      long rawBytes,
      String baseline)
      throws IOException {
    Map<String, Rig.IndexSize> sizes = new LinkedHashMap<>();
    for (Map.Entry<String, String> entry : indices.entrySet()) {
      long start = System.nanoTime();
      rig.refresh(entry.getValue());
      if (warm.contains(entry.getKey())) {
        rig.warm(entry.getValue());
      } else {
        rig.forceMerge(entry.getValue());
      }
      Rig.IndexSize size = rig.size(entry.getValue());
      sizes.put(entry.getKey(), size);
      System.out.printf(
          Locale.ROOT,
          "  %s %s (%s) in %.0f s: %d segments, %,d documents%n",
          warm.contains(entry.getKey()) ? "warm step for" : "force-merged",
          entry.getKey(),
          entry.getValue(),
          (System.nanoTime() - start) / 1e9,
          size.segments(),
          size.docs());
    }
    double rawPerDoc = rawBytes / (double) docs;
    double basePerDoc =
        sizes.containsKey(baseline)
            ? sizes.get(baseline).storeBytes() / (double) sizes.get(baseline).docs()
            : Double.NaN;
    TreeSet<String> kinds = new TreeSet<>();
    sizes.values().forEach(s -> kinds.addAll(s.bytesByFileKind().keySet()));
    List<String> columns =
        kinds.stream()
            .filter(k -> sizes.values().stream().anyMatch(s -> share(s, k) >= 0.005))
            .toList();
    StringBuilder header =
        new StringBuilder(
            "| index | documents | bytes / doc | vs raw JSON | vs brief's template |");
    StringBuilder rule = new StringBuilder("|---|---:|---:|---:|---:|");
    for (String kind : columns) {
      header.append(' ').append(kind).append(" |");
      rule.append("---:|");
    }
    System.out.printf(
        Locale.ROOT,
        "%nRaw JSON: %,d documents, %,d bytes of NDJSON, %.0f bytes per document%n%n",
        docs,
        rawBytes,
        rawPerDoc);
    System.out.println(header);
    System.out.println(rule);
    System.out.printf(
        Locale.ROOT,
        "| raw NDJSON | %,d | %,.0f | 1.00× | %.2f× |%s%n",
        docs,
        rawPerDoc,
        rawPerDoc / basePerDoc,
        " |".repeat(columns.size()));
    for (Map.Entry<String, Rig.IndexSize> entry : sizes.entrySet()) {
      Rig.IndexSize size = entry.getValue();
      double perDoc = size.storeBytes() / (double) size.docs();
      StringBuilder row =
          new StringBuilder(
              String.format(
                  Locale.ROOT,
                  "| %s | %,d | %,.0f | %.2f× | %.2f× |",
                  entry.getKey(),
                  size.docs(),
                  perDoc,
                  perDoc / rawPerDoc,
                  perDoc / basePerDoc));
      for (String kind : columns) {
        row.append(
            String.format(
                Locale.ROOT,
                " %,.0f |",
                size.bytesByFileKind().getOrDefault(kind, 0L) / (double) size.docs()));
      }
      System.out.println(row);
    }
    System.out.println();
  }

  private static double share(Rig.IndexSize size, String kind) {
    long total = size.bytesByFileKind().values().stream().mapToLong(Long::longValue).sum();
    return total == 0 ? 0 : size.bytesByFileKind().getOrDefault(kind, 0L) / (double) total;
  }
}

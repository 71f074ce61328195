package io.llmlog.server.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.server.store.EngineBusyException;
import io.llmlog.server.store.IndexAdmin;
import io.llmlog.server.store.IndexAdmin.IndexStatus;
import io.llmlog.server.store.LogStore;
import io.llmlog.server.store.WriteOp;
import io.llmlog.server.store.WriteResult;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Brings an archived day back as a searchable index under its own name, so search and the dashboard
 * include it as before. The index is marked in its mapping's {@code _meta.llmlog}: {@code loading}
 * while documents go in (a crash there is finished by the next run), then {@code restored} with the
 * time and a digest of its content, and blocked for writes. The manager keeps a restored index for
 * {@code lifecycle.restore_keep} and then deletes it without a new export if it still equals its
 * archive — so restoring never starts an archive-restore loop.
 */
final class Restorer {
  private static final Logger LOG = LogManager.getLogger(Restorer.class);
  private static final int BULK_DOCUMENTS = 1000;
  private static final long BULK_BYTES = 4L << 20;

  /**
   * Settings that mean the same on any engine version; the rest (uuid, version, blocks, routing)
   * belong to the old index.
   */
  private static final List<String> PORTABLE =
      List.of(
          "index.number_of_shards",
          "index.refresh_interval",
          "index.translog.durability",
          "index.max_result_window",
          "index.mapping.",
          "index.analysis.",
          "index.similarity.",
          "index.query.default_field");

  private final IndexAdmin admin;
  private final LogStore store;
  private final ArchiveStore archives;
  private final ArchiveReader reader;
  private final ObjectMapper json;
  private final Clock clock;
  private final int replicas;
  private final int scanBatch;

  Restorer(
      IndexAdmin admin,
      LogStore store,
      ArchiveStore archives,
      ArchiveReader reader,
      ObjectMapper json,
      Clock clock,
      int replicas,
      int scanBatch) {
    this.admin = admin;
    this.store = store;
    this.archives = archives;
    this.reader = reader;
    this.json = json;
    this.clock = clock;
    this.replicas = replicas;
    this.scanBatch = scanBatch;
  }

  /** What a restore did. */
  record Result(
      String index, String outcome, long documents, List<Integer> sets, Instant restoredAt) {}

  /**
   * Restores a day, or resumes an interrupted restore of it; a day already restored has its keep
   * time started again.
   *
   * @throws LifecycleRequestException with status 404 when the day has no archive, 409 when an
   *     index of that day exists that is not a restored copy
   */
  Result restore(DayIndex day) throws IOException {
    List<ArchiveStore.ArchiveSet> sets =
        archives.sets(day).stream().filter(ArchiveStore.ArchiveSet::complete).toList();
    if (sets.isEmpty()) {
      throw new LifecycleRequestException(
          404,
          "no archive of "
              + day.name()
              + " in "
              + archives.root()
              + "; `llmlog archive list` shows the archived days");
    }
    IndexStatus existing = admin.indices(day.name()).get(day.name());
    String state =
        existing == null || existing.meta() == null
            ? null
            : existing.meta().path("state").asText(null);
    if ("restored".equals(state)) {
      ObjectNode meta = existing.meta().deepCopy();
      Instant now = clock.instant();
      meta.put("restored_at", now.toString());
      admin.putMeta(day.name(), meta);
      return new Result(day.name(), "already_restored", existing.documents(), numbers(sets), now);
    }
    if (existing != null && !"loading".equals(state)) {
      throw new LifecycleRequestException(
          409,
          "index "
              + day.name()
              + " exists with "
              + existing.documents()
              + " documents that are not a restored copy "
              + "(events that arrived after the day was archived); the lifecycle manager archives it as another set of that day. Run "
              + "`POST /api/v1/lifecycle/run`, then restore again to get every set back in one index.");
    }
    if (existing == null) {
      Manifest latest = sets.get(sets.size() - 1).manifest();
      ObjectNode mappings = latest.indexMappings().deepCopy();
      ObjectNode loading =
          json.createObjectNode()
              .put("state", "loading")
              .put("started_at", clock.instant().toString());
      ArrayNode numbers = loading.putArray("sets");
      sets.forEach(set -> numbers.add(set.number()));
      mappings.with("_meta").set("llmlog", loading);
      admin.create(day.name(), portable(latest.indexSettings()), mappings);
    } else if (existing.writeBlocked()) {
      admin.putSettings(day.name(), json.createObjectNode().put("index.blocks.write", false));
    }
    return load(day, sets);
  }

  /**
   * Loads every set (later sets win for equal ids), then marks the index restored and blocks
   * writes.
   */
  private Result load(DayIndex day, List<ArchiveStore.ArchiveSet> sets) throws IOException {
    List<WriteOp> batch = new ArrayList<>();
    long[] bytes = {0};
    for (ArchiveStore.ArchiveSet set : sets) {
      reader.readAll(
          set,
          (file, line, id, source) -> {
            batch.add(new WriteOp(day.name(), id, source, false));
            bytes[0] += source.length;
            if (batch.size() >= BULK_DOCUMENTS || bytes[0] >= BULK_BYTES) {
              write(batch);
              bytes[0] = 0;
            }
            return true;
          });
    }
    write(batch);
    admin.refresh(day.name());
    Digest content = new Digest();
    admin.scan(day.name(), scanBatch, true, content::add);
    if (sets.size() == 1 && !content.hex().equals(sets.get(0).manifest().contentDigest())) {
      throw new ArchiveException(
          "restored index "
              + day.name()
              + " does not equal its archive ("
              + content.count()
              + " documents, archive "
              + sets.get(0).manifest().documents()
              + "); it was left as it is for inspection");
    }
    Instant now = clock.instant();
    ObjectNode meta =
        json.createObjectNode().put("state", "restored").put("restored_at", now.toString());
    ArrayNode numbers = meta.putArray("sets");
    sets.forEach(set -> numbers.add(set.number()));
    meta.put("documents", content.count());
    meta.put("content_digest", content.hex());
    admin.blockWrites(day.name());
    admin.putMeta(day.name(), meta);
    LOG.info(
        "restored {} from {} archive set(s): {} documents",
        day.name(),
        sets.size(),
        content.count());
    return new Result(day.name(), "restored", content.count(), numbers(sets), now);
  }

  /**
   * True when a restored index still holds exactly what was restored into it and its archive sets
   * are all there and readable: then it can be deleted without a new export.
   */
  boolean unchanged(DayIndex day, IndexStatus index, List<ArchiveStore.ArchiveSet> sets)
      throws IOException {
    JsonNode meta = index.meta();
    List<Integer> restoredFrom = new ArrayList<>();
    meta.path("sets").forEach(n -> restoredFrom.add(n.asInt()));
    for (int number : restoredFrom) {
      ArchiveStore.ArchiveSet set =
          sets.stream().filter(s -> s.number() == number && s.complete()).findFirst().orElse(null);
      if (set == null) {
        return false;
      }
      try {
        reader.readAll(set, (file, line, id, source) -> true); // checksums and counts
      } catch (IOException | ArchiveException e) {
        // The index may now be the day's only whole copy: it stays until its archive is whole
        // again.
        throw new ArchiveException(
            "kept the restored index "
                + day.name()
                + ": its archive set "
                + set.number()
                + " does not match its "
                + "manifest ("
                + e.getMessage()
                + "), so the index may be the only whole copy of the day. Put the set back from a backup, or move "
                + set.dir()
                + " out of the archive directory so that the next run archives the index anew.",
            e);
      }
    }
    admin.refresh(day.name());
    Digest content = new Digest();
    admin.scan(day.name(), scanBatch, true, content::add);
    return content.count() == meta.path("documents").asLong(-1)
        && content.hex().equals(meta.path("content_digest").asText());
  }

  private void write(List<WriteOp> batch) {
    if (batch.isEmpty()) {
      return;
    }
    List<WriteResult> results = null;
    for (int attempt = 0; results == null; attempt++) {
      try {
        results = store.write(List.copyOf(batch), false);
      } catch (EngineBusyException e) {
        if (attempt >= 30) {
          throw e;
        }
        sleep(200L * Math.min(attempt + 1, 10));
      }
    }
    for (int i = 0; i < results.size(); i++) {
      if (!results.get(i).stored()) {
        throw new ArchiveException(
            "restoring document "
                + batch.get(i).id()
                + " into "
                + batch.get(i).index()
                + " failed: "
                + results.get(i).reason());
      }
    }
    batch.clear();
  }

  private ObjectNode portable(ObjectNode flat) {
    ObjectNode settings = json.createObjectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = flat.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (PORTABLE.stream()
          .anyMatch(
              p -> p.endsWith(".") ? entry.getKey().startsWith(p) : entry.getKey().equals(p))) {
        settings.set(entry.getKey(), entry.getValue());
      }
    }
    settings.put("index.number_of_replicas", replicas);
    return settings;
  }

  private static List<Integer> numbers(List<ArchiveStore.ArchiveSet> sets) {
    return sets.stream().map(ArchiveStore.ArchiveSet::number).toList();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ArchiveException("interrupted while restoring", e);
    }
  }
}

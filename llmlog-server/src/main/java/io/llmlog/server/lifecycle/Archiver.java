package io.llmlog.server.lifecycle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.server.store.IndexAdmin;
import io.llmlog.server.store.IndexAdmin.IndexStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The cold step for one index: export it to a new archive set, check the set against the index, and
 * only then delete the index. Every step leaves the day whole — the index is deleted last, and only
 * once its archive was read back and matched — so a crash at any point is repaired by running the
 * step again.
 */
final class Archiver {
  private static final Logger LOG = LogManager.getLogger(Archiver.class);
  private static final int ID_SCAN_BATCH = 5000;

  private final IndexAdmin admin;
  private final ArchiveStore store;
  private final ArchiveReader reader;
  private final LifecycleSettings settings;
  private final ObjectMapper json;
  private final Clock clock;

  Archiver(
      IndexAdmin admin,
      ArchiveStore store,
      ArchiveReader reader,
      LifecycleSettings settings,
      ObjectMapper json,
      Clock clock) {
    this.admin = admin;
    this.store = store;
    this.reader = reader;
    this.settings = settings;
    this.json = json;
    this.clock = clock;
  }

  /**
   * Archives the index of a day and deletes it.
   *
   * @return the verified set
   */
  ArchiveStore.ArchiveSet archive(
      DayIndex day, IndexStatus index, List<ArchiveStore.ArchiveSet> sets) throws IOException {
    if (!index.writeBlocked()) {
      admin.blockWrites(index.name());
    }
    // Every write acknowledged before the block must be visible to the scan and the count.
    admin.refresh(index.name());
    ArchiveStore.ArchiveSet mine = null;
    for (ArchiveStore.ArchiveSet set : sets) {
      if (!set.complete()) {
        // An interrupted export of this day; the index still exists, so the partial copy can go.
        store.delete(set);
      } else if (set.manifest().indexUuid().equals(index.uuid())) {
        mine = set;
      }
    }
    if (mine == null) {
      checkSpace(index);
      mine = export(day, index);
    }
    try {
      verify(mine, index);
    } catch (ArchiveException e) {
      // The index is still there: drop the bad copy, the next run exports again.
      store.delete(mine);
      throw e;
    }
    admin.delete(index.name());
    LOG.info(
        "archived {}: {} documents in {} file(s), {} bytes ({} compressed), index deleted",
        index.name(),
        mine.manifest().documents(),
        mine.manifest().files().size(),
        mine.manifest().bytes(),
        mine.manifest().compression().configName());
    return mine;
  }

  private void checkSpace(IndexStatus index) throws IOException {
    long usable = store.usableSpace();
    if (usable < index.storeBytes()) {
      throw new ArchiveException(
          "not enough free space in "
              + store.root()
              + " to archive "
              + index.name()
              + ": "
              + usable
              + " bytes free, the index takes "
              + index.storeBytes()
              + "; free space there or set lifecycle.archive_dir to a larger disk");
    }
  }

  /** Writes a new set from the index: parts first, the manifest last. */
  ArchiveStore.ArchiveSet export(DayIndex day, IndexStatus index) throws IOException {
    ObjectNode settingsNode = admin.settings(index.name());
    ObjectNode mappings = admin.mappings(index.name());
    if (mappings.path("_meta") instanceof ObjectNode meta) {
      meta.remove("llmlog"); // a restore marker belongs to that index, not to its archive
      if (meta.isEmpty()) {
        mappings.remove("_meta");
      }
    }
    String[] range = admin.range(index.name(), "timestamp");
    Path dir = store.newSet(day);
    long pauseEvery = settings.exportBatch();
    long pauseMillis = settings.exportPause().toMillis();
    List<Manifest.FileEntry> files;
    ArchiveWriter writer =
        new ArchiveWriter(dir, settings.compression(), settings.partBytes(), json);
    try (writer) {
      long[] seen = {0};
      admin.scan(
          index.name(),
          settings.exportBatch(),
          true,
          (id, source) -> {
            writer.add(id, source);
            if (pauseMillis > 0 && ++seen[0] % pauseEvery == 0) {
              pause(pauseMillis);
            }
          });
      files = writer.finish();
    }
    Manifest manifest =
        new Manifest(
            Manifest.FORMAT,
            LlmlogVersion.get(),
            index.name(),
            familyKey(day),
            day.day(),
            setNumber(dir),
            index.uuid(),
            clock.instant(),
            settings.compression(),
            writer.ids().count(),
            range[0],
            range[1],
            writer.ids().hex(),
            writer.content().hex(),
            files,
            settingsNode,
            mappings);
    store.writeJson(dir.resolve(Manifest.FILE), manifest.toJson(json));
    return new ArchiveStore.ArchiveSet(day, manifest.set(), dir, manifest, null);
  }

  /**
   * Reads the set back (checksums, per-file counts, digests of ids and content) and compares it
   * with the index (document count and the digest of its ids, scanned independently of the export);
   * records the result in {@code verification.json}.
   *
   * @throws ArchiveException on any difference
   */
  void verify(ArchiveStore.ArchiveSet set, IndexStatus index) throws IOException {
    Manifest manifest = set.manifest();
    Digest ids = new Digest();
    Digest content = new Digest();
    reader.readAll(
        set,
        (file, line, id, source) -> {
          ids.addId(id);
          content.add(id, source);
          return true;
        });
    if (ids.count() != manifest.documents()
        || !ids.hex().equals(manifest.idsDigest())
        || !content.hex().equals(manifest.contentDigest())) {
      throw new ArchiveException(
          "archive "
              + set.dir()
              + " does not match its manifest: read "
              + ids.count()
              + " documents, manifest says "
              + manifest.documents()
              + (content.hex().equals(manifest.contentDigest())
                  ? ""
                  : "; the content digest differs"));
    }
    long count = admin.count(index.name());
    Digest indexIds = new Digest();
    admin.scan(index.name(), ID_SCAN_BATCH, false, (id, source) -> indexIds.addId(id));
    if (count != manifest.documents()
        || indexIds.count() != manifest.documents()
        || !indexIds.hex().equals(manifest.idsDigest())) {
      throw new ArchiveException(
          "archive "
              + set.dir()
              + " does not match index "
              + index.name()
              + ": the index holds "
              + count
              + " documents ("
              + indexIds.count()
              + " scanned), the archive "
              + manifest.documents()
              + (indexIds.hex().equals(manifest.idsDigest()) ? "" : "; their ids differ"));
    }
    ObjectNode verification = json.createObjectNode();
    verification.put("verified_at", clock.instant().toString());
    verification.put("index", index.name());
    verification.put("index_uuid", index.uuid());
    verification.put("documents", count);
    verification.put("ids_digest", indexIds.hex());
    verification.put("files_checked", manifest.files().size());
    store.writeJson(set.dir().resolve(ArchiveStore.VERIFICATION), verification);
  }

  static String familyKey(DayIndex day) {
    return day.family().key();
  }

  private static int setNumber(Path dir) {
    return Integer.parseInt(dir.getFileName().toString());
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ArchiveException("interrupted while exporting", e);
    }
  }
}

package io.llmlog.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.server.store.IndexFamily;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** ArchiveWriter and ArchiveReader on real files: round trip, part splitting, damage detection. */
class ArchiveFilesTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final DayIndex DAY = DayIndex.of("t-", IndexFamily.LOGS, LocalDate.of(2026, 8, 1));

  @TempDir Path root;

  private ArchiveStore.ArchiveSet write(
      Compression compression, List<String[]> documents, long partBytes) throws IOException {
    ArchiveStore store = new ArchiveStore(root, "t-", JSON);
    Path dir = store.newSet(DAY);
    ArchiveWriter writer = new ArchiveWriter(dir, compression, partBytes, JSON);
    List<Manifest.FileEntry> files;
    try (writer) {
      for (String[] document : documents) {
        writer.add(document[0], document[1].getBytes(StandardCharsets.UTF_8));
      }
      files = writer.finish();
    }
    Manifest manifest =
        new Manifest(
            Manifest.FORMAT,
            "test",
            DAY.name(),
            "logs",
            DAY.day(),
            1,
            "uuid",
            Instant.EPOCH,
            compression,
            writer.ids().count(),
            null,
            null,
            writer.ids().hex(),
            writer.content().hex(),
            files,
            JSON.createObjectNode(),
            JSON.createObjectNode());
    store.writeJson(dir.resolve(Manifest.FILE), manifest.toJson(JSON));
    return store.sets(DAY).get(0);
  }

  private static List<String[]> documents(int count) {
    Random random = new Random(42);
    List<String[]> documents = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String prompt = (i % 2 == 0 ? "我要退款，订单号 " : "refund order ") + random.nextInt(1_000_000);
      documents.add(
          new String[] {
            "id-" + i,
            "{\"request_id\":\"id-"
                + i
                + "\",\"latency_ms\":2340.50,\"prompt\":\""
                + prompt
                + "\\n\",\"n\":1E+5}"
          });
    }
    return documents;
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void readAll_whatWasWritten_givesTheSameDocumentsExactlyAndSplitsParts(Compression compression)
      throws IOException {
    List<String[]> written = documents(500);

    ArchiveStore.ArchiveSet set = write(compression, written, 8 * 1024);
    List<String[]> read = new ArrayList<>();
    Digest content = new Digest();
    new ArchiveReader(JSON)
        .readAll(
            set,
            (file, line, id, source) -> {
              read.add(new String[] {id, new String(source, StandardCharsets.UTF_8)});
              content.add(id, source);
              return true;
            });

    assertThat(set.manifest().files()).hasSizeGreaterThan(3);
    assertThat(set.manifest().files())
        .allSatisfy(file -> assertThat(file.rawBytes()).isLessThan(8 * 1024 + 300));
    assertThat(read).hasSize(500);
    for (int i = 0; i < written.size(); i++) {
      assertThat(read.get(i)).containsExactly(written.get(i));
    }
    assertThat(content.hex()).isEqualTo(set.manifest().contentDigest());
    assertThat(set.dir().resolve(set.manifest().files().get(0).name()).toString())
        .endsWith(compression.extension());
    try (var leftovers = Files.list(set.dir())) {
      assertThat(leftovers.map(path -> path.getFileName().toString()))
          .noneMatch(name -> name.endsWith(".tmp"));
    }
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void readAll_oneByteChanged_failsNamingTheFile(Compression compression) throws IOException {
    ArchiveStore.ArchiveSet set = write(compression, documents(50), 1 << 20);
    Path part = set.dir().resolve(set.manifest().files().get(0).name());
    byte[] bytes = Files.readAllBytes(part);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(part, bytes);

    assertThatThrownBy(() -> new ArchiveReader(JSON).readAll(set, (file, line, id, source) -> true))
        .isInstanceOf(ArchiveException.class)
        .hasMessageContaining(part.toString());
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void readAll_partMissing_failsNamingIt(Compression compression) throws IOException {
    ArchiveStore.ArchiveSet set = write(compression, documents(50), 1 << 20);
    Files.delete(set.dir().resolve(set.manifest().files().get(0).name()));

    assertThatThrownBy(() -> new ArchiveReader(JSON).readAll(set, (file, line, id, source) -> true))
        .isInstanceOf(ArchiveException.class)
        .hasMessageContaining("is missing");
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void read_fromALine_skipsToItAndStopsWhenTold(Compression compression) throws IOException {
    ArchiveStore.ArchiveSet set = write(compression, documents(20), 1 << 20);
    List<String> ids = new ArrayList<>();

    boolean whole =
        new ArchiveReader(JSON)
            .read(
                set,
                0,
                5,
                (file, line, id, source) -> {
                  ids.add(id);
                  return ids.size() < 3;
                });

    assertThat(whole).isFalse();
    assertThat(ids).containsExactly("id-5", "id-6", "id-7");
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void sets_withoutManifest_isIncomplete(Compression compression) throws IOException {
    ArchiveStore store = new ArchiveStore(root, "t-", JSON);
    Path dir = store.newSet(DAY);
    try (ArchiveWriter writer = new ArchiveWriter(dir, compression, 1 << 20, JSON)) {
      writer.add("a", "{}".getBytes(StandardCharsets.UTF_8));
    }

    assertThat(store.sets(DAY))
        .singleElement()
        .satisfies(set -> assertThat(set.complete()).isFalse());
    assertThat(store.newSet(DAY).getFileName().toString()).isEqualTo("0002");
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void digest_sameDocumentsInAnotherOrder_isEqualAndADuplicateChangesIt(Compression ignored) {
    Digest a = new Digest();
    Digest b = new Digest();
    Digest c = new Digest();
    for (String id : List.of("x", "y", "z")) {
      a.addId(id);
    }
    for (String id : List.of("z", "x", "y")) {
      b.addId(id);
    }
    for (String id : List.of("x", "y", "z", "z")) {
      c.addId(id);
    }
    assertThat(a.hex()).isEqualTo(b.hex()).isNotEqualTo(c.hex());
  }
}

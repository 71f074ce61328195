package io.llmlog.server.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.server.store.IndexSchema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code manifest.json} of one archive set, written last: its presence says every file it lists is
 * complete and on disk. It carries what is needed to check the files (per-file SHA-256 and document
 * counts, digests of the ids and of the documents) and to rebuild the index (its mapping and
 * settings).
 *
 * @param set the set's number within the day (1, 2, ... when a day was archived more than once)
 * @param indexUuid the engine's uuid of the exported index: which index instance this is a copy of
 * @param idsDigest {@link Digest} of the documents' ids
 * @param contentDigest {@link Digest} of ids and sources
 * @param minTime earliest {@code timestamp} in the set, or null
 * @param maxTime latest {@code timestamp}, or null
 */
record Manifest(
    String format,
    String llmlogVersion,
    String index,
    String family,
    String day,
    int set,
    String indexUuid,
    Instant createdAt,
    Compression compression,
    long documents,
    String minTime,
    String maxTime,
    String idsDigest,
    String contentDigest,
    List<FileEntry> files,
    ObjectNode indexSettings,
    ObjectNode indexMappings) {

  static final String FORMAT = "llmlog-archive/1";
  static final String FILE = "manifest.json";

  /** One part file: its name, what it holds and the SHA-256 of its bytes as stored. */
  record FileEntry(String name, long documents, long rawBytes, long bytes, String sha256) {}

  Manifest {
    Objects.requireNonNull(index, "index");
    files = List.copyOf(files);
  }

  long rawBytes() {
    return files.stream().mapToLong(FileEntry::rawBytes).sum();
  }

  long bytes() {
    return files.stream().mapToLong(FileEntry::bytes).sum();
  }

  ObjectNode toJson(ObjectMapper json) {
    ObjectNode root = json.createObjectNode();
    root.put("format", format);
    root.put("llmlog_version", llmlogVersion);
    // The index schema the documents were written with: a newer one may hold fields this llmlog
    // does not map.
    root.put("schema_version", IndexSchema.VERSION);
    root.put("index", index);
    root.put("family", family);
    root.put("day", day);
    root.put("set", set);
    root.put("index_uuid", indexUuid);
    root.put("created_at", createdAt.toString());
    root.put("compression", compression.configName());
    root.put("documents", documents);
    ObjectNode range = root.putObject("time_range");
    range.put("field", "timestamp");
    range.put("min", minTime);
    range.put("max", maxTime);
    root.put("ids_digest", idsDigest);
    root.put("content_digest", contentDigest);
    root.put("raw_bytes", rawBytes());
    root.put("bytes", bytes());
    ArrayNode list = root.putArray("files");
    for (FileEntry file : files) {
      list.addObject()
          .put("name", file.name())
          .put("documents", file.documents())
          .put("raw_bytes", file.rawBytes())
          .put("bytes", file.bytes())
          .put("sha256", file.sha256());
    }
    root.set("index_settings", indexSettings);
    root.set("index_mappings", indexMappings);
    return root;
  }

  /**
   * @throws ArchiveException when the document is not a manifest this version can read
   */
  static Manifest fromJson(JsonNode root, String where) {
    if (!FORMAT.equals(root.path("format").asText())) {
      throw new ArchiveException(
          where
              + ": not an llmlog archive manifest of format "
              + FORMAT
              + " (format: "
              + root.path("format").asText("none")
              + ")");
    }
    int schema = root.path("schema_version").asInt(IndexSchema.UNVERSIONED);
    if (schema > IndexSchema.VERSION) {
      throw new ArchiveException(
          where
              + ": written by a newer llmlog (index schema version "
              + schema
              + "; this llmlog reads up to "
              + IndexSchema.VERSION
              + "); read it with that version");
    }
    Compression compression = Compression.byName(root.path("compression").asText());
    if (compression == null) {
      throw new ArchiveException(
          where + ": unknown compression '" + root.path("compression").asText() + "'");
    }
    List<FileEntry> files = new ArrayList<>();
    for (JsonNode file : root.path("files")) {
      String name = file.path("name").asText();
      if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
        throw new ArchiveException(where + ": bad file name '" + name + "'");
      }
      files.add(
          new FileEntry(
              name,
              file.path("documents").asLong(),
              file.path("raw_bytes").asLong(),
              file.path("bytes").asLong(),
              file.path("sha256").asText()));
    }
    JsonNode range = root.path("time_range");
    return new Manifest(
        root.path("format").asText(),
        root.path("llmlog_version").asText(),
        root.path("index").asText(),
        root.path("family").asText(),
        root.path("day").asText(),
        root.path("set").asInt(),
        root.path("index_uuid").asText(),
        Instant.parse(root.path("created_at").asText()),
        compression,
        root.path("documents").asLong(),
        range.path("min").isTextual() ? range.path("min").asText() : null,
        range.path("max").isTextual() ? range.path("max").asText() : null,
        root.path("ids_digest").asText(),
        root.path("content_digest").asText(),
        files,
        root.path("index_settings") instanceof ObjectNode settings
            ? settings
            : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(),
        root.path("index_mappings") instanceof ObjectNode mappings
            ? mappings
            : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode());
  }
}

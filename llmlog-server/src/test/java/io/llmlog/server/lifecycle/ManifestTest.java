package io.llmlog.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.server.store.IndexSchema;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class ManifestTest {
  static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode previousVersionsManifest() throws IOException {
    try (InputStream in =
        ManifestTest.class.getResourceAsStream(
            "/upgrade/schema-1/archive/llm-logs-2026.01.01/0001/manifest.json")) {
      return (ObjectNode) JSON.readTree(in);
    }
  }

  @Test
  void fromJson_manifestWithoutSchemaVersion_isReadAsThePreviousVersions() throws IOException {
    Manifest manifest = Manifest.fromJson(previousVersionsManifest(), "manifest.json");

    assertThat(manifest.documents()).isEqualTo(3);
    assertThat(manifest.toJson(JSON).path("schema_version").asInt()).isEqualTo(IndexSchema.VERSION);
  }

  @Test
  void fromJson_newerSchemaVersion_isRefusedNamingBoth() throws IOException {
    ObjectNode newer = previousVersionsManifest().put("schema_version", IndexSchema.VERSION + 1);

    assertThatThrownBy(() -> Manifest.fromJson(newer, "set/manifest.json"))
        .isInstanceOf(ArchiveException.class)
        .hasMessage(
            "set/manifest.json: written by a newer llmlog (index schema version "
                + (IndexSchema.VERSION + 1)
                + "; this llmlog reads up to "
                + IndexSchema.VERSION
                + "); read it with that version");
  }
}

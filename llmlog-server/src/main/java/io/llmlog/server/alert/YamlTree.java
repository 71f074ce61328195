package io.llmlog.server.alert;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * YAML read with snakeyaml-engine's Compose API, keeping each node's line, so that a rule's error
 * can name the line it is on. Scalars stay text: the rule loader says what each key must be.
 */
final class YamlTree {
  private YamlTree() {}

  /**
   * A value and the 1-based line it is on (0 when unknown, as for settings built in code). A
   * mapping's entries carry the line of their key.
   *
   * @param value a String (or null) for scalars, a {@code List<Node>} or a {@code Map<String, Node>}
   */
  record Located(Object value, int line) {
    @SuppressWarnings("unchecked")
    Map<String, Located> map() {
      return value instanceof Map<?, ?> map ? (Map<String, Located>) map : null;
    }

    @SuppressWarnings("unchecked")
    List<Located> list() {
      return value instanceof List<?> list ? (List<Located>) list : null;
    }

    String text() {
      return value instanceof String text ? text : null;
    }

    /** A mapping's entry, or null. */
    Located get(String key) {
      Map<String, Located> map = map();
      return map == null ? null : map.get(key);
    }
  }

  /**
   * Reads a file.
   *
   * @throws IOException when it cannot be read
   * @throws org.snakeyaml.engine.v2.exceptions.YamlEngineException when it is not YAML
   */
  static Located read(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      Optional<Node> root = new Compose(LoadSettings.builder().setLabel(file.toString()).build()).composeReader(reader);
      return root.map(YamlTree::located).orElse(new Located(null, 1));
    }
  }

  /** Reads a YAML string, e.g. a resource. */
  static Located parse(String yaml, String label) {
    Optional<Node> root = new Compose(LoadSettings.builder().setLabel(label).build()).composeString(yaml);
    return root.map(YamlTree::located).orElse(new Located(null, 1));
  }

  /** Values from settings built in code (maps, lists, scalars), without lines. */
  static Located fromObject(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Located> entries = new LinkedHashMap<>();
      map.forEach((key, item) -> entries.put(String.valueOf(key), fromObject(item)));
      return new Located(entries, 0);
    }
    if (value instanceof List<?> list) {
      List<Located> items = new ArrayList<>();
      list.forEach(item -> items.add(fromObject(item)));
      return new Located(items, 0);
    }
    return new Located(value == null ? null : value.toString(), 0);
  }

  private static Located located(Node node) {
    int line = line(node);
    if (node instanceof MappingNode mapping) {
      Map<String, Located> entries = new LinkedHashMap<>();
      for (NodeTuple tuple : mapping.getValue()) {
        String key = tuple.getKeyNode() instanceof ScalarNode scalar ? scalar.getValue() : String.valueOf(tuple.getKeyNode());
        Located value = located(tuple.getValueNode());
        // The key's line: where a reader looks for "window:", even when its value is a block below.
        entries.put(key, new Located(value.value(), line(tuple.getKeyNode())));
      }
      return new Located(entries, line);
    }
    if (node instanceof SequenceNode sequence) {
      List<Located> items = new ArrayList<>();
      for (Node item : sequence.getValue()) {
        items.add(located(item));
      }
      return new Located(items, line);
    }
    ScalarNode scalar = (ScalarNode) node;
    return new Located(Tag.NULL.equals(scalar.getTag()) ? null : scalar.getValue(), line);
  }

  private static int line(Node node) {
    return node.getStartMark().map(mark -> mark.getLine() + 1).orElse(0);
  }
}

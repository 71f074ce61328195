package io.llmlog.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * A YAML file read twice: once into values (maps, lists, strings, numbers, booleans) and once into
 * nodes for the line each value is on, so that a problem anywhere in it can be shown at its line
 * ({@code llmlog.yaml:12}). A mapping's entry is on its key's line: where a reader looks for {@code
 * window:}, even when the value is a block below it.
 *
 * @param value the document: a map, a list, a scalar or null
 * @param lines the 1-based line of every path that has one
 */
record YamlFile(Path file, Object value, Map<SettingPath, Integer> lines) {

  /**
   * @throws ConfigException when the file is missing, unreadable or not YAML
   */
  static YamlFile read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file " + file + " does not exist");
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
    }
    return parse(text, file, file.toString());
  }

  /**
   * Reads YAML text, such as a resource.
   *
   * @param label names the text in messages
   * @throws ConfigException when it is not YAML
   */
  static YamlFile parse(String text, Path file, String label) {
    try {
      LoadSettings settings = LoadSettings.builder().setLabel(label).build();
      Object value = new Load(settings).loadFromString(text);
      Map<SettingPath, Integer> lines = new HashMap<>();
      Optional<Node> root = new Compose(settings).composeString(text);
      root.ifPresent(node -> index(node, SettingPath.ROOT, line(node), lines));
      return new YamlFile(file, stringKeys(value, SettingPath.ROOT, label), lines);
    } catch (YamlEngineException e) {
      throw new ConfigException(label + " is not valid YAML: " + e.getMessage(), e);
    }
  }

  private static void index(
      Node node, SettingPath path, int line, Map<SettingPath, Integer> lines) {
    if (line > 0) {
      lines.put(path, line);
    }
    if (node instanceof MappingNode mapping) {
      for (NodeTuple tuple : mapping.getValue()) {
        String key =
            tuple.getKeyNode() instanceof ScalarNode scalar
                ? scalar.getValue()
                : String.valueOf(tuple.getKeyNode());
        index(tuple.getValueNode(), path.child(key), line(tuple.getKeyNode()), lines);
      }
    } else if (node instanceof SequenceNode sequence) {
      List<Node> items = sequence.getValue();
      for (int i = 0; i < items.size(); i++) {
        index(items.get(i), path.child(i), line(items.get(i)), lines);
      }
    }
  }

  private static int line(Node node) {
    return node.getStartMark().map(mark -> mark.getLine() + 1).orElse(0);
  }

  /**
   * Maps with string keys all the way down: YAML allows {@code 404: x}, llmlog's settings do not.
   */
  static Object stringKeys(Object value, SettingPath path, Object where) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> result = new LinkedHashMap<>();
      map.forEach(
          (key, item) -> {
            if (!(key instanceof String name)) {
              throw new ConfigException(
                  where
                      + ": "
                      + (path.isRoot() ? "" : path.display() + ": ")
                      + "keys must be strings, found "
                      + key);
            }
            result.put(name, stringKeys(item, path.child(name), where));
          });
      return result;
    }
    if (value instanceof List<?> list) {
      List<Object> result = new java.util.ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        result.add(stringKeys(list.get(i), path.child(i), where));
      }
      return result;
    }
    return value;
  }
}

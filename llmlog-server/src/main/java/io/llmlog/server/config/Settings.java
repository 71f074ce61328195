package io.llmlog.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * A configuration tree read from {@code llmlog.yaml}, addressed by dotted keys
 * ({@code server.port}). Each key can be overridden by an environment variable named after it
 * ({@code LLMLOG_SERVER_PORT}), and by command-line options on top of that.
 */
public final class Settings {
  private final Map<String, Object> root;
  private final Map<String, Object> options;
  private final Function<String, String> environment;
  private final String source;

  private Settings(Map<String, Object> root, Map<String, Object> options, Function<String, String> environment, String source) {
    this.root = root;
    this.options = options;
    this.environment = environment;
    this.source = source;
  }

  private Settings(Map<String, Object> root, Function<String, String> environment, String source) {
    this(root, Map.of(), environment, source);
  }

  /** No file: defaults, environment variables and options only. */
  public static Settings empty(Function<String, String> environment) {
    return new Settings(new LinkedHashMap<>(), environment, "defaults");
  }

  /** Settings from a map, as tests and embedders build them. */
  public static Settings of(Map<String, Object> root, Function<String, String> environment) {
    return new Settings(new LinkedHashMap<>(root), environment, "map");
  }

  /**
   * Reads a YAML file.
   *
   * @throws ConfigException when the file is missing or is not a YAML mapping
   */
  public static Settings load(Path file, Function<String, String> environment) {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      Object parsed = new Load(LoadSettings.builder().setLabel(file.toString()).build()).loadFromReader(reader);
      if (parsed == null) {
        return new Settings(new LinkedHashMap<>(), environment, file.toString());
      }
      if (!(parsed instanceof Map<?, ?> map)) {
        throw new ConfigException(file + ": the top level must be a mapping of keys such as 'server:' and 'engine:'");
      }
      return new Settings(stringKeys(map, ""), environment, file.toString());
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file " + file + " does not exist");
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
    } catch (YamlEngineException e) {
      throw new ConfigException(file + " is not valid YAML: " + e.getMessage(), e);
    }
  }

  /**
   * An environment variable that a setting names (an API key kept out of the file, say); null
   * when unset or empty.
   */
  public String environmentVariable(String name) {
    String value = environment.apply(name);
    return value == null || value.isEmpty() ? null : value;
  }

  /** Where the settings came from, for messages. */
  public String source() {
    return source;
  }

  /**
   * Sets a key as a command-line option does: it wins over the environment and the file. Null
   * leaves the key as it is.
   */
  public Settings with(String key, Object value) {
    if (value == null) {
      return this;
    }
    Map<String, Object> copy = new LinkedHashMap<>(options);
    copy.put(key, value);
    return new Settings(root, copy, environment, source);
  }

  /** The environment variable that overrides a key: {@code server.es_port} → {@code LLMLOG_SERVER_ES_PORT}. */
  public static String environmentName(String key) {
    return "LLMLOG_" + key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
  }

  /** The raw value of a key: a command-line option, else the environment, else the file; null when unset. */
  public Object raw(String key) {
    Object option = options.get(key);
    if (option != null) {
      return option;
    }
    String fromEnvironment = environment.apply(environmentName(key));
    if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
      return fromEnvironment;
    }
    Object node = root;
    for (String part : key.split("\\.")) {
      if (!(node instanceof Map<?, ?> map)) {
        return null;
      }
      node = map.get(part);
    }
    return node;
  }

  public String string(String key, String defaultValue) {
    Object value = raw(key);
    return value == null ? defaultValue : value.toString();
  }

  public int integer(String key, int defaultValue) {
    Object value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())) {
      return number.intValue();
    }
    try {
      return Integer.parseInt(value.toString().trim());
    } catch (NumberFormatException e) {
      throw invalid(key, value, "a whole number");
    }
  }

  public boolean bool(String key, boolean defaultValue) {
    Object value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    return switch (value.toString().trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw invalid(key, value, "true or false");
    };
  }

  public double decimal(String key, double defaultValue) {
    Object value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    if (value instanceof Number number) {
      return number.doubleValue();
    }
    try {
      return Double.parseDouble(value.toString().trim());
    } catch (NumberFormatException e) {
      throw invalid(key, value, "a number");
    }
  }

  /** A size such as {@code 10MB}, {@code 512kb} or a plain number of bytes. */
  public long bytes(String key, long defaultValue) {
    Object value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    try {
      return Units.parseBytes(value.toString());
    } catch (IllegalArgumentException e) {
      throw invalid(key, value, "a size such as 10MB, 512KB or 1048576");
    }
  }

  /** A duration such as {@code 5s}, {@code 10m}, {@code 30d} or {@code 250ms}. */
  public Duration duration(String key, Duration defaultValue) {
    Object value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    try {
      return Units.parseDuration(value.toString());
    } catch (IllegalArgumentException e) {
      throw invalid(key, value, "a duration such as 250ms, 5s, 10m, 2h or 30d");
    }
  }

  /** A list under a key (a YAML sequence), or null when unset. */
  public List<?> list(String key) {
    Object value = raw(key);
    if (value == null) {
      return null;
    }
    if (value instanceof List<?> items) {
      return items;
    }
    throw invalid(key, value, "a list");
  }

  /** A mapping under a key, or an empty map when unset. */
  public Map<String, Object> map(String key) {
    Object value = raw(key);
    if (value == null) {
      return Map.of();
    }
    if (value instanceof Map<?, ?> map) {
      return stringKeys(map, key);
    }
    throw invalid(key, value, "a mapping");
  }

  ConfigException invalid(String key, Object value, String expected) {
    return new ConfigException(key + " must be " + expected + ", was '" + value + "' (set in " + source
        + " or by the environment variable " + environmentName(key) + ")");
  }

  private static Map<String, Object> stringKeys(Map<?, ?> map, String path) {
    Map<String, Object> result = new LinkedHashMap<>();
    map.forEach((key, value) -> {
      if (!(key instanceof String name)) {
        throw new ConfigException((path.isEmpty() ? "" : path + ": ") + "keys must be strings, found " + key);
      }
      result.put(name, value instanceof Map<?, ?> child ? stringKeys(child, path.isEmpty() ? name : path + "." + name) : value);
    });
    return result;
  }

}

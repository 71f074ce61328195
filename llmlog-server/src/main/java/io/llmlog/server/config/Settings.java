package io.llmlog.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * llmlog's settings: {@code llmlog.yaml}, overridden by environment variables named after each key
 * ({@code server.port} → {@code LLMLOG_SERVER_PORT}), and by command-line options on top of that.
 *
 * <p><b>Reading a key declares it.</b> Each section reads its keys with the typed getters ({@link
 * #string}, {@link #integer}, {@link #bytes}, {@link #duration}, ...), each call naming the key,
 * its type (the getter), its default and, for sizes and durations, its unit, once. A section that
 * holds sections reads them through views: {@link #at} for a fixed sub-section, {@link #names} and
 * {@link #named} for a mapping of user-named sections, {@link #items} for a list whose items are
 * sections; a mapping whose keys are data is read with {@link #map}. After reading, {@link
 * #rejectUnknown(String)} refuses whatever the file holds that no read declared, naming its full
 * path and the nearest declared key, and {@link #rejectUnknown()} does the same for the whole file
 * and every {@code LLMLOG_*} environment variable. See {@code RATIONALE.md} ("Settings") for how to
 * declare a section.
 *
 * <p>A view shares the file, the environment, the options and the declarations with the settings it
 * came from; only its place differs.
 */
public final class Settings {
  /**
   * Environment variables that start with {@code LLMLOG_} but are not settings: the launcher's heap
   * and JVM options, the log level of {@code log4j2.xml}, and the command-line tools' server and
   * API key.
   */
  public static final Set<String> OTHER_VARIABLES =
      Set.of(
          "LLMLOG_HEAP", "LLMLOG_JAVA_OPTS", "LLMLOG_LOG_LEVEL", "LLMLOG_SERVER", "LLMLOG_API_KEY");

  private static final String MASK = "****";

  private final Source source;
  private final Declarations declarations;
  private final SettingPath base;

  /** The file, environment and options behind every view. */
  private record Source(
      Object root,
      Map<String, Object> options,
      Function<String, String> environment,
      Map<String, String> variables,
      String name,
      YamlFile file) {}

  private Settings(Source source, Declarations declarations, SettingPath base) {
    this.source = source;
    this.declarations = declarations;
    this.base = base;
  }

  private static Settings root(
      Object root,
      Function<String, String> environment,
      Map<String, String> variables,
      String name,
      YamlFile file) {
    return new Settings(
        new Source(root, Map.of(), environment, variables, name, file),
        new Declarations(),
        SettingPath.ROOT);
  }

  /** No file: defaults, environment variables and options only. */
  public static Settings empty(Function<String, String> environment) {
    return root(new LinkedHashMap<>(), environment, null, "defaults", null);
  }

  /**
   * No file, with the whole environment, so that an {@code LLMLOG_*} variable that is no setting
   * can be named.
   */
  public static Settings empty(Map<String, String> environment) {
    return root(new LinkedHashMap<>(), environment::get, Map.copyOf(environment), "defaults", null);
  }

  /** Settings from a map, as tests and embedders build them. */
  public static Settings of(Map<String, Object> root, Function<String, String> environment) {
    return root(
        YamlFile.stringKeys(root, SettingPath.ROOT, "settings"), environment, null, "map", null);
  }

  /**
   * Reads a YAML file.
   *
   * @throws ConfigException when the file is missing or is not a YAML mapping
   */
  public static Settings load(Path file, Function<String, String> environment) {
    return load(file, environment, null);
  }

  /** Reads a YAML file, with the whole environment (see {@link #empty(Map)}). */
  public static Settings load(Path file, Map<String, String> environment) {
    return load(file, environment::get, Map.copyOf(environment));
  }

  private static Settings load(
      Path file, Function<String, String> environment, Map<String, String> variables) {
    YamlFile yaml = YamlFile.read(file);
    Object root = yaml.value() == null ? new LinkedHashMap<>() : yaml.value();
    if (!(root instanceof Map)) {
      throw new ConfigException(
          file + ": the top level must be a mapping of keys such as 'server:' and 'engine:'");
    }
    return root(root, environment, variables, file.toString(), yaml);
  }

  /**
   * Reads a YAML file that holds one section: a mapping, or a bare list taken as the list under
   * {@code listKey} (a rules file may be either {@code - alert: ...} or {@code rules: [...]}). No
   * environment variables apply.
   *
   * @throws ConfigException when the file is missing or is not YAML
   */
  public static Settings loadSection(Path file, String listKey) {
    return section(YamlFile.read(file), file.toString(), listKey);
  }

  /**
   * As {@link #loadSection(Path, String)}, from YAML text such as a resource named {@code label}.
   */
  public static Settings parseSection(String yaml, String label, String listKey) {
    return section(YamlFile.parse(yaml, null, label), label, listKey);
  }

  private static Settings section(YamlFile yaml, String name, String listKey) {
    if (yaml.value() instanceof List<?> list) {
      Map<SettingPath, Integer> lines = new java.util.HashMap<>();
      yaml.lines()
          .forEach((path, line) -> lines.put(new SettingPath(prepend(listKey, path)), line));
      Map<String, Object> root = new LinkedHashMap<>();
      root.put(listKey, list);
      return root(root, key -> null, null, name, new YamlFile(yaml.file(), root, lines));
    }
    Object root = yaml.value() instanceof Map ? yaml.value() : new LinkedHashMap<>();
    return root(root, key -> null, null, name, yaml);
  }

  private static List<Object> prepend(String key, SettingPath path) {
    List<Object> segments = new ArrayList<>();
    segments.add(key);
    segments.addAll(path.segments());
    return segments;
  }

  /**
   * The value of an environment variable that a setting names (an API key kept out of the file,
   * say); null when unset or empty. It is no setting: {@code config show} does not list it.
   */
  public String environmentVariable(String name) {
    String value = source.environment().apply(name);
    return value == null || value.isEmpty() ? null : value;
  }

  /** Where the settings came from, for messages: the file, {@code defaults} or {@code map}. */
  public String source() {
    return source.name();
  }

  /**
   * Sets a key as a command-line option does: it wins over the environment and the file. Null
   * leaves the key as it is.
   */
  public Settings with(String key, Object value) {
    if (value == null) {
      return this;
    }
    Map<String, Object> options = new LinkedHashMap<>(source.options());
    options.put(base.at(key).display(), value);
    return new Settings(
        new Source(
            source.root(),
            options,
            source.environment(),
            source.variables(),
            source.name(),
            source.file()),
        declarations,
        base);
  }

  /**
   * The environment variable that overrides a key: {@code server.es_port} → {@code
   * LLMLOG_SERVER_ES_PORT}.
   */
  public static String environmentName(String key) {
    return "LLMLOG_" + key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
  }

  // --- views ---

  /** The section under {@code key}: keys read on it are {@code key.<name>}. */
  public Settings at(String key) {
    return view(base.at(key));
  }

  /** The section named {@code name} under this one, the name taken as it is (it may hold a dot). */
  public Settings child(String name) {
    return view(base.child(name));
  }

  /**
   * The names of a mapping of user-named sections ({@code gateway.upstreams: {openai: {...}}}), in
   * file order; each one's keys are read on {@link #named}. Empty when unset.
   */
  public List<String> names(String key) {
    Map<?, ?> map =
        structure(
            base.at(key), Declarations.Kind.NAMED, Map.class, "a mapping of names to sections");
    List<String> names = new ArrayList<>();
    if (map != null) {
      map.keySet().forEach(name -> names.add(String.valueOf(name)));
    }
    return names;
  }

  /** One user-named section of {@link #names}. */
  public Settings named(String key, String name) {
    declarations.declare(base.at(key), Declarations.Kind.NAMED);
    return view(base.at(key).child(name));
  }

  /**
   * The items of a list whose items are sections ({@code alerts.webhooks: [{url: ...}]}), each a
   * view whose keys are read relative to it; null when unset.
   *
   * @throws ConfigException when the value is not a list
   */
  public List<Settings> items(String key) {
    SettingPath path = base.at(key);
    List<?> list = structure(path, Declarations.Kind.LIST, List.class, "a list");
    if (list == null) {
      return null;
    }
    List<Settings> items = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      items.add(new Settings(source, declarations, path.child(i)));
    }
    return items;
  }

  private Settings view(SettingPath path) {
    declarations.declare(path, Declarations.Kind.SECTION);
    return new Settings(source, declarations, path);
  }

  /** The value holding sections at a path, declared as such; null when unset. */
  private <T> T structure(
      SettingPath path, Declarations.Kind kind, Class<T> type, String expected) {
    declarations.declare(path, kind);
    Object value = value(path).value();
    if (value != null && !type.isInstance(value)) {
      throw invalidAt(path, value, expected);
    }
    return type.cast(value);
  }

  /**
   * Makes this view's errors read as its section's others do, {@code <label>: <key>: <problem>}:
   * {@code pipeline[0] (mutate): remove_fields: unknown option}.
   *
   * @param noun what its keys are called in messages, such as {@code option}
   */
  public Settings labelled(String label, String noun) {
    declarations.label(base, new Declarations.Label(label, noun));
    return this;
  }

  /** This view's own value: a map for a section, or whatever a list item is. */
  public Object value() {
    return value(base).value();
  }

  /**
   * The keys of this view's mapping, in file order; empty when it is not a mapping. Declares
   * nothing.
   */
  public Set<String> keys() {
    Set<String> keys = new LinkedHashSet<>();
    if (value(base).value() instanceof Map<?, ?> map) {
      map.keySet().forEach(key -> keys.add(String.valueOf(key)));
    }
    return keys;
  }

  /** The full path of a key of this view, as messages show it: {@code alerts.webhooks[0].url}. */
  public String path(String key) {
    return base.at(key).display();
  }

  /** The 1-based line of a key in the file, 0 when it is not from a file. */
  public int line(String key) {
    return line(base.at(key));
  }

  /** This view's own line in the file, 0 when unknown. */
  public int line() {
    return line(base);
  }

  // --- typed getters: each call declares the key ---

  public String string(String key, String defaultValue) {
    return scalar(key, "text", defaultValue, false, Object::toString);
  }

  /** A value that is never shown: {@code config show} masks it, and messages leave it out. */
  public String secret(String key, String defaultValue) {
    return scalar(key, "text", defaultValue, true, Object::toString);
  }

  public int integer(String key, int defaultValue) {
    return scalar(
        key,
        "whole number",
        defaultValue,
        false,
        value -> {
          if (value instanceof Number number
              && number.doubleValue() == Math.rint(number.doubleValue())) {
            return number.intValue();
          }
          try {
            return Integer.parseInt(value.toString().trim());
          } catch (NumberFormatException e) {
            throw invalid(key, value, "a whole number");
          }
        });
  }

  public boolean bool(String key, boolean defaultValue) {
    return scalar(
        key,
        "true/false",
        defaultValue,
        false,
        value -> {
          if (value instanceof Boolean b) {
            return b;
          }
          return switch (value.toString().trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw invalid(key, value, "true or false");
          };
        });
  }

  public double decimal(String key, double defaultValue) {
    return scalar(
        key,
        "number",
        defaultValue,
        false,
        value -> {
          if (value instanceof Number number) {
            return number.doubleValue();
          }
          try {
            return Double.parseDouble(value.toString().trim());
          } catch (NumberFormatException e) {
            throw invalid(key, value, "a number");
          }
        });
  }

  /** A size such as {@code 10MB}, {@code 512kb} or a plain number of bytes. */
  public long bytes(String key, long defaultValue) {
    return scalar(
        key,
        "size",
        defaultValue,
        false,
        value -> {
          try {
            return Units.parseBytes(value.toString());
          } catch (IllegalArgumentException e) {
            throw invalid(key, value, "a size such as 10MB, 512KB or 1048576");
          }
        });
  }

  /** A duration such as {@code 5s}, {@code 10m}, {@code 30d} or {@code 250ms}. */
  public Duration duration(String key, Duration defaultValue) {
    return scalar(
        key,
        "duration",
        defaultValue,
        false,
        value -> {
          try {
            return Units.parseDuration(value.toString());
          } catch (IllegalArgumentException e) {
            throw invalid(key, value, "a duration such as 250ms, 5s, 10m, 2h or 30d");
          }
        });
  }

  /**
   * A list of names: a YAML list, or text of comma-separated names (what an environment variable
   * can say). The default when unset.
   */
  public List<String> strings(String key, List<String> defaultValue) {
    return list(key, defaultValue, true);
  }

  /**
   * A list of values, or one value taken as a list of one (commas are not split: a date format may
   * hold one).
   */
  public List<String> values(String key, List<String> defaultValue) {
    return list(key, defaultValue, false);
  }

  private List<String> list(String key, List<String> defaultValue, boolean splitText) {
    SettingPath path = base.at(key);
    Located found = value(path);
    List<String> values =
        found.value() == null ? defaultValue : names(path, found.value(), splitText);
    declarations.value(
        path,
        "list",
        values == null ? "(none)" : String.join(", ", values),
        found.origin(),
        declarations.isSecret(path));
    return values;
  }

  private List<String> names(SettingPath path, Object value, boolean splitText) {
    List<String> values = new ArrayList<>();
    if (value instanceof List<?> items) {
      for (Object item : items) {
        if (item == null || item instanceof Map || item instanceof List) {
          throw problemAt(path, "must be a list of names");
        }
        values.add(item.toString().trim());
      }
    } else if (value instanceof Map) {
      throw problemAt(path, "must be a list of names");
    } else if (splitText) {
      for (String part : value.toString().split(",")) {
        if (!part.isBlank()) {
          values.add(part.trim());
        }
      }
    } else {
      values.add(value.toString());
    }
    return List.copyOf(values);
  }

  /**
   * The raw value of a key (a string, number, boolean, list or map), null when unset. Its content
   * is the reader's to check; use the typed getters and views where they fit.
   */
  public Object raw(String key) {
    SettingPath path = base.at(key);
    declarations.declare(path, Declarations.Kind.RAW);
    Located found = value(path);
    if (found.value() != null
        && !(found.value() instanceof Map)
        && !(found.value() instanceof List)) {
      // Shown as read; a reader that learns only now that the value is secret reads it again with
      // secret().
      declarations.value(
          path, "text", show(path, found.value()), found.origin(), declarations.isSecret(path));
    }
    return found.value();
  }

  /** True when the key is set (to something other than null). */
  public boolean has(String key) {
    return raw(key) != null;
  }

  /**
   * A list under a key (a YAML sequence), or null when unset; its items are the reader's to check.
   */
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

  /**
   * A mapping whose keys are data, not settings (field names, labels, headers), or are checked by
   * another reader; an empty map when unset.
   */
  public Map<String, Object> map(String key) {
    SettingPath path = base.at(key);
    declarations.declare(path, Declarations.Kind.FREE);
    Located found = value(path);
    if (found.value() == null) {
      return Map.of();
    }
    if (found.value() instanceof Map<?, ?> map) {
      Map<String, Object> result = new LinkedHashMap<>();
      map.forEach((name, item) -> result.put(String.valueOf(name), item));
      declarations.value(
          path, "mapping", show(path, result), found.origin(), declarations.isSecret(path));
      return result;
    }
    throw invalid(key, found.value(), "a mapping");
  }

  /** A mapping of names to single values, such as {@code mutate.rename: {old: new}}. */
  public Map<String, String> stringMap(String key) {
    Map<String, String> result = new LinkedHashMap<>();
    map(key)
        .forEach(
            (name, value) -> {
              if (value == null || value instanceof Map || value instanceof List) {
                throw problem(key + "." + name, "must be a single value");
              }
              result.put(name, value.toString());
            });
    return result;
  }

  /** Declares a key (and all below it) secret before it is read: {@code config show} masks it. */
  public Settings secretKey(String key) {
    declarations.secret(base.at(key));
    return this;
  }

  // --- errors ---

  /** A value that cannot be used: names the key, what it must be, and where it was set. */
  public ConfigException invalid(String key, Object value, String expected) {
    return invalidAt(base.at(key), value, expected);
  }

  /** A problem with a key, framed like the rest of its section's errors. */
  public ConfigException problem(String key, String problem) {
    return problemAt(base.at(key), problem);
  }

  /** A problem with this view as a whole, such as a step without a filter name. */
  public ConfigException problem(String problem) {
    Map.Entry<SettingPath, Declarations.Label> label = declarations.labelOf(base);
    if (label != null && label.getKey().equals(base)) {
      return new ConfigException(where(base) + label.getValue().text() + ": " + problem);
    }
    return new ConfigException(where(base) + base.display() + ": " + problem);
  }

  private ConfigException problemAt(SettingPath path, String problem) {
    Map.Entry<SettingPath, Declarations.Label> label = declarations.labelOf(path);
    if (label != null) {
      return new ConfigException(
          where(path)
              + label.getValue().text()
              + ": "
              + path.displayFrom(label.getKey().segments().size())
              + ": "
              + problem);
    }
    return new ConfigException(where(path) + path.display() + ": " + problem);
  }

  private ConfigException invalidAt(SettingPath path, Object value, String expected) {
    Located found = value(path);
    String origin =
        switch (found.origin()) {
          case "option" -> "set by a command-line option";
          case "env" -> "set by the environment variable " + environmentName(path.display());
          case "file" ->
              "set in " + (line(path) > 0 ? source.name() + ":" + line(path) : source.name());
          default ->
              "set in "
                  + source.name()
                  + (path.plain()
                      ? " or by the environment variable " + environmentName(path.display())
                      : "");
        };
    String shown = declarations.isSecret(path) ? MASK : String.valueOf(value);
    Map.Entry<SettingPath, Declarations.Label> label = declarations.labelOf(path);
    if (label != null) {
      return new ConfigException(
          label.getValue().text()
              + ": "
              + path.displayFrom(label.getKey().segments().size())
              + ": must be "
              + expected
              + ", was '"
              + shown
              + "'");
    }
    return new ConfigException(
        path.display() + " must be " + expected + ", was '" + shown + "' (" + origin + ")");
  }

  private String where(SettingPath path) {
    int line = line(path);
    return line > 0 ? source.name() + ":" + line + ": " : "";
  }

  // --- unknown keys ---

  /**
   * Refuses the first key under {@code section} (a dotted key, or {@code ""} for this view) that no
   * read declared, naming its full path and the nearest declared key.
   *
   * @throws ConfigException listing every unknown key under the section
   */
  public void rejectUnknown(String section) {
    List<String> problems = unknown(section);
    if (!problems.isEmpty()) {
      throw new ConfigException(String.join("\n", problems));
    }
  }

  /** The problems {@link #rejectUnknown(String)} would report, one line each. */
  public List<String> unknown(String section) {
    List<String> problems = new ArrayList<>();
    for (UnknownKey unknown : unknownKeys(section)) {
      problems.add(
          (unknown.line() > 0 ? source.name() + ":" + unknown.line() + ": " : "")
              + unknown.message());
    }
    return problems;
  }

  /**
   * A key that no read declared.
   *
   * @param path its full path, such as {@code limits.max_body_byte}
   * @param key its own name, such as {@code max_body_byte}
   * @param line its line in the file, 0 when unknown
   * @param suggestion the nearest declared key beside it, or null
   * @param message the whole sentence, such as {@code limits.max_body_byte is not a limits setting;
   *     did you mean limits.max_body_bytes?}
   */
  public record UnknownKey(String path, String key, int line, String suggestion, String message) {}

  /**
   * The keys under {@code section} (a dotted key, or {@code ""} for this view) that no read
   * declared.
   */
  public List<UnknownKey> unknownKeys(String section) {
    return declarations.unknown(source.root(), base.at(section), this::line);
  }

  /**
   * Refuses every key of the file that no section declared, and every {@code LLMLOG_*} environment
   * variable that maps to no declared key (when the environment was given as a whole). Call it
   * after every section has read its settings.
   *
   * @throws ConfigException listing them all
   */
  public void rejectUnknown() {
    List<String> problems = new ArrayList<>(unknown(""));
    problems.addAll(unknownVariables());
    problems.addAll(unknownOptions());
    if (!problems.isEmpty()) {
      throw new ConfigException(String.join("\n", problems));
    }
  }

  /**
   * The {@code LLMLOG_*} environment variables that are no setting, each with the nearest one that
   * is.
   */
  public List<String> unknownVariables() {
    if (source.variables() == null) {
      return List.of();
    }
    Map<String, SettingPath> known = declarations.environmentNames();
    List<String> problems = new ArrayList<>();
    for (String name : new TreeMap<>(source.variables()).keySet()) {
      if (!name.startsWith("LLMLOG_")
          || known.containsKey(name)
          || OTHER_VARIABLES.contains(name)) {
        continue;
      }
      String nearest = io.llmlog.core.NearestName.of(name, known.keySet());
      problems.add(
          "the environment variable "
              + name
              + " is not an llmlog setting"
              + (nearest == null
                  ? ""
                  : "; did you mean " + nearest + " (" + known.get(nearest).display() + ")?"));
    }
    return problems;
  }

  /**
   * The options set with {@link #with} (command-line options, embedders' overrides) that name no
   * declared key.
   */
  public List<String> unknownOptions() {
    Map<String, SettingPath> known = declarations.environmentNames();
    List<String> names = new ArrayList<>();
    known.values().forEach(path -> names.add(path.display()));
    List<String> problems = new ArrayList<>();
    for (String key : source.options().keySet()) {
      if (!declarations.declared(SettingPath.ROOT.at(key))) {
        String nearest = io.llmlog.core.NearestName.of(key, names);
        problems.add(
            "the option "
                + key
                + " is not an llmlog setting"
                + (nearest == null ? "" : "; did you mean " + nearest + "?"));
      }
    }
    return problems;
  }

  /** Every setting read so far, its value (secrets masked) and where the value came from. */
  public List<EffectiveSetting> effective() {
    return declarations.effective();
  }

  // --- lookup ---

  /**
   * A value and where it came from: {@code option}, {@code env}, {@code file} or {@code default}
   * (null value).
   */
  private record Located(Object value, String origin) {}

  private Located value(SettingPath path) {
    if (path.plain()) {
      Object option = source.options().get(path.display());
      if (option != null) {
        return new Located(option, "option");
      }
      String fromEnvironment = source.environment().apply(environmentName(path.display()));
      if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
        return new Located(fromEnvironment, "env");
      }
    }
    Object value = find(source.root(), path);
    return new Located(value, value == null ? "default" : "file");
  }

  /** The value at a path of a tree of maps and lists, or null. */
  static Object find(Object tree, SettingPath path) {
    Object node = tree;
    for (Object segment : path.segments()) {
      if (segment instanceof Integer index && node instanceof List<?> list) {
        node = index < list.size() ? list.get(index) : null;
      } else if (node instanceof Map<?, ?> map) {
        node = map.get(segment);
      } else {
        return null;
      }
    }
    return node;
  }

  int line(SettingPath path) {
    if (source.file() == null) {
      return 0;
    }
    Integer line = source.file().lines().get(path);
    return line == null ? 0 : line;
  }

  private <T> T scalar(
      String key, String type, T defaultValue, boolean secret, Function<Object, T> parse) {
    SettingPath path = base.at(key);
    if (secret) {
      declarations.secret(path);
    }
    Located found = value(path);
    if (found.value() == null) {
      declarations.value(
          path,
          type,
          defaultValue == null ? "(none)" : show(path, defaultValue),
          "default",
          declarations.isSecret(path));
      return defaultValue;
    }
    declarations.value(
        path, type, show(path, found.value()), found.origin(), declarations.isSecret(path));
    if (found.value() instanceof Map || found.value() instanceof List) {
      throw invalid(key, "…", "a single value");
    }
    T value = parse.apply(found.value());
    declarations.value(path, type, show(path, value), found.origin(), declarations.isSecret(path));
    return value;
  }

  private String show(SettingPath path, Object value) {
    if (declarations.isSecret(path)) {
      return masked(value);
    }
    if (value instanceof String text && text.isEmpty()) {
      return "\"\"";
    }
    return value instanceof Duration duration
        ? Units.formatDuration(duration)
        : String.valueOf(value);
  }

  /**
   * A secret as {@code config show} prints it: a URL keeps its scheme and host (a Slack webhook's
   * token is in its path), anything else is stars.
   */
  public static String masked(Object value) {
    String text = String.valueOf(value);
    int scheme = text.indexOf("://");
    if (scheme > 0 && !text.contains(",")) {
      int hostStart = text.lastIndexOf('@') > scheme ? text.lastIndexOf('@') + 1 : scheme + 3;
      int hostEnd = text.indexOf('/', hostStart);
      return text.substring(0, scheme + 3)
          + text.substring(hostStart, hostEnd < 0 ? text.length() : hostEnd)
          + "/"
          + MASK;
    }
    return MASK;
  }
}

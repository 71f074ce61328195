package io.llmlog.server.config;

import io.llmlog.core.NearestName;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToIntFunction;

/**
 * Every setting the sections declared by reading it: its path, what it is, and the value it got.
 * Reading a key is declaring it, so the declaration and the read cannot drift apart; whatever the
 * file holds that no section declared is unknown and named with its full path and the nearest
 * declared key. Shared by all views of one {@link Settings}.
 */
final class Declarations {
  /** What a path was declared as. */
  enum Kind {
    /** A value read with a typed getter. */
    VALUE,
    /** A value read as it is; the reader checks its content itself. */
    RAW,
    /** A mapping whose keys are data (field names, labels) or are checked by another reader. */
    FREE,
    /** A section: its keys are settings. */
    SECTION,
    /** A mapping of user-named sections ({@code gateway.upstreams.<name>}). */
    NAMED,
    /** A list whose items are sections ({@code alerts.webhooks[*]}). */
    LIST
  }

  /** How the errors of a view read: {@code pipeline[0] (mutate): remove_fields: unknown option}. */
  record Label(String text, String noun) {}

  private record Shown(String type, String value, String origin, boolean secret) {}

  private final Map<SettingPath, EnumSet<Kind>> kinds = new HashMap<>();
  private final Map<SettingPath, Set<Object>> children = new HashMap<>();
  private final Map<SettingPath, Label> labels = new HashMap<>();
  private final Map<SettingPath, Shown> shown = new LinkedHashMap<>();
  private final Set<SettingPath> secrets = new LinkedHashSet<>();

  synchronized void declare(SettingPath path, Kind kind) {
    kinds.computeIfAbsent(path, p -> EnumSet.noneOf(Kind.class)).add(kind);
    for (SettingPath at = path; !at.isRoot(); at = at.parent()) {
      children.computeIfAbsent(at.parent(), p -> new LinkedHashSet<>()).add(at.last());
      kinds.computeIfAbsent(at.parent(), p -> EnumSet.noneOf(Kind.class)).add(Kind.SECTION);
    }
  }

  synchronized void value(
      SettingPath path, String type, String value, String origin, boolean secret) {
    declare(path, Kind.VALUE);
    if (secret) {
      secrets.add(path);
    }
    shown.put(path, new Shown(type, value, origin, secret));
  }

  synchronized void secret(SettingPath path) {
    secrets.add(path);
  }

  synchronized boolean isSecret(SettingPath path) {
    for (SettingPath at = path; ; at = at.parent()) {
      if (secrets.contains(at)) {
        return true;
      }
      if (at.isRoot()) {
        return false;
      }
    }
  }

  synchronized void label(SettingPath path, Label label) {
    labels.put(path, label);
  }

  /**
   * The label of the nearest labelled view holding the path, and where it starts; null when none.
   */
  synchronized Map.Entry<SettingPath, Label> labelOf(SettingPath path) {
    for (SettingPath at = path; ; at = at.parent()) {
      Label label = labels.get(at);
      if (label != null) {
        return Map.entry(at, label);
      }
      if (at.isRoot()) {
        return null;
      }
    }
  }

  /** Every declared value, by path. */
  synchronized List<EffectiveSetting> effective() {
    Map<String, EffectiveSetting> sorted = new TreeMap<>();
    shown.forEach(
        (path, value) ->
            sorted.put(
                path.display(),
                new EffectiveSetting(
                    path.display(), value.type(), value.value(), value.origin(), value.secret())));
    return List.copyOf(sorted.values());
  }

  /** True when a read declared the path. */
  synchronized boolean declared(SettingPath path) {
    return kinds.containsKey(path);
  }

  /** The environment variable names of every declared plain value. */
  synchronized Map<String, SettingPath> environmentNames() {
    Map<String, SettingPath> names = new TreeMap<>();
    kinds.forEach(
        (path, kind) -> {
          if (path.plain()
              && !path.isRoot()
              && (kind.contains(Kind.VALUE)
                  || kind.contains(Kind.RAW)
                  || kind.contains(Kind.FREE)
                  || kind.contains(Kind.LIST))) {
            names.put(Settings.environmentName(path.display()), path);
          }
        });
    return names;
  }

  /**
   * The problems of the keys under {@code under} that nothing declared, each named with its full
   * path and the nearest declared key.
   */
  synchronized List<Settings.UnknownKey> unknown(
      Object tree, SettingPath under, ToIntFunction<SettingPath> lines) {
    List<Settings.UnknownKey> problems = new ArrayList<>();
    Object node = Settings.find(tree, under);
    walk(node, under, lines, problems);
    return problems;
  }

  private void walk(
      Object node,
      SettingPath path,
      ToIntFunction<SettingPath> lines,
      List<Settings.UnknownKey> problems) {
    EnumSet<Kind> kind = kinds.getOrDefault(path, EnumSet.noneOf(Kind.class));
    if (kind.contains(Kind.FREE)) {
      return;
    }
    if (node instanceof Map<?, ?> map
        && (kind.contains(Kind.SECTION) || kind.contains(Kind.NAMED) || path.isRoot())) {
      for (Object key : map.keySet()) {
        SettingPath child = path.child(key);
        if (kind.contains(Kind.NAMED) || kinds.containsKey(child)) {
          walk(map.get(key), child, lines, problems);
        } else {
          problems.add(unknownKey(child, lines.applyAsInt(child)));
        }
      }
    } else if (node instanceof List<?> list && kind.contains(Kind.LIST)) {
      for (int i = 0; i < list.size(); i++) {
        walk(list.get(i), path.child(i), lines, problems);
      }
    }
  }

  private Settings.UnknownKey unknownKey(SettingPath path, int line) {
    String key = String.valueOf(path.last());
    Set<String> siblings = new LinkedHashSet<>();
    children
        .getOrDefault(path.parent(), Set.of())
        .forEach(
            sibling -> {
              if (sibling instanceof String name) {
                siblings.add(name);
              }
            });
    String nearest = NearestName.of(key, siblings);
    SettingPath suggestion = nearest == null ? elsewhere(key) : path.parent().child(nearest);
    Map.Entry<SettingPath, Label> label = labelOf(path);
    String message;
    if (label != null) {
      int start = label.getKey().segments().size();
      String hint =
          suggestion != null && suggestion.startsWith(label.getKey())
              ? "; did you mean " + suggestion.displayFrom(start) + "?"
              : NearestName.hint(key, siblings);
      message =
          label.getValue().text()
              + ": "
              + path.displayFrom(start)
              + ": unknown "
              + label.getValue().noun()
              + hint;
    } else {
      String what =
          path.parent().isRoot()
              ? "a setting"
              : article(path.section()) + " " + path.section() + " setting";
      message =
          path.display()
              + " is not "
              + what
              + (suggestion != null
                  ? "; did you mean " + suggestion.display() + "?"
                  : siblings.isEmpty()
                      ? ""
                      : "; "
                          + (path.parent().isRoot()
                              ? "the sections are "
                              : path.parent().display() + " has ")
                          + String.join(", ", new TreeSet<>(siblings)));
    }
    return new Settings.UnknownKey(path.display(), key, line, nearest, message);
  }

  /** A declared value with the same last key elsewhere: a key put in the wrong section. */
  private SettingPath elsewhere(String key) {
    SettingPath found = null;
    for (Map.Entry<SettingPath, EnumSet<Kind>> entry : kinds.entrySet()) {
      SettingPath candidate = entry.getKey();
      if (key.equals(candidate.last())
          && (entry.getValue().contains(Kind.VALUE) || entry.getValue().contains(Kind.RAW))) {
        if (found != null && !found.equals(candidate)) {
          return null; // ambiguous
        }
        found = candidate;
      }
    }
    return found;
  }

  private static String article(String word) {
    return !word.isEmpty() && "aeiou".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
  }
}

package io.llmlog.server.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a setting is: its keys and list positions from the top, such as {@code alerts, webhooks, 0,
 * url}, shown as {@code alerts.webhooks[0].url}. A key is one segment even when it holds a dot, as
 * a model name in a price table may ({@code gpt-4.1}).
 */
record SettingPath(List<Object> segments) {
  static final SettingPath ROOT = new SettingPath(List.of());

  SettingPath {
    segments = List.copyOf(segments);
  }

  /** The path of a dotted key below this one: {@code at("retry.max_attempts")}. */
  SettingPath at(String dottedKey) {
    if (dottedKey.isEmpty()) {
      return this;
    }
    List<Object> more = new ArrayList<>(segments);
    for (String part : dottedKey.split("\\.", -1)) {
      more.add(part);
    }
    return new SettingPath(more);
  }

  /** The path of one key or list position below this one, taken as it is. */
  SettingPath child(Object segment) {
    List<Object> more = new ArrayList<>(segments);
    more.add(segment);
    return new SettingPath(more);
  }

  SettingPath parent() {
    return new SettingPath(segments.subList(0, Math.max(0, segments.size() - 1)));
  }

  Object last() {
    return segments.isEmpty() ? null : segments.get(segments.size() - 1);
  }

  boolean isRoot() {
    return segments.isEmpty();
  }

  boolean startsWith(SettingPath prefix) {
    return segments.size() >= prefix.segments.size()
        && segments.subList(0, prefix.segments.size()).equals(prefix.segments);
  }

  /** The top-level section, such as {@code alerts}. */
  String section() {
    return segments.isEmpty() ? "" : String.valueOf(segments.get(0));
  }

  /**
   * True when no list position is on the way, so that a command-line option or an environment
   * variable can set it.
   */
  boolean plain() {
    return segments.stream().allMatch(segment -> segment instanceof String);
  }

  /** {@code alerts.webhooks[0].url}. */
  String display() {
    return displayFrom(0);
  }

  /** The display of the segments from {@code start} on, such as {@code convert.latency_ms}. */
  String displayFrom(int start) {
    StringBuilder text = new StringBuilder();
    for (int i = start; i < segments.size(); i++) {
      Object segment = segments.get(i);
      if (segment instanceof Integer index) {
        text.append('[').append(index).append(']');
      } else {
        if (!text.isEmpty()) {
          text.append('.');
        }
        text.append(segment);
      }
    }
    return text.toString();
  }

  @Override
  public String toString() {
    return display();
  }
}

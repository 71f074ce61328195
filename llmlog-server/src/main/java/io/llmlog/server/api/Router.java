package io.llmlog.server.api;

import io.llmlog.server.config.LlmlogConfig.Role;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Matches a method and path against routes written as {@code /api/v1/logs/{request_id}}. A path
 * that matches with another method answers 405 rather than 404. A last segment {@code {name*}}
 * takes the rest of the path, one or more segments, still URL-encoded (the dashboard's files:
 * {@code /ui/{file*}}).
 */
final class Router {
  private final List<Entry> entries = new ArrayList<>();

  /** A route and the role a caller needs for it (null: open to everyone, such as /health). */
  record Entry(String method, String[] segments, Role role, Route route) {}

  /** A route that matched, with its path parameters. */
  record Match(Entry entry, Map<String, String> parameters) {}

  Router add(String method, String pattern, Role role, Route route) {
    entries.add(new Entry(method, split(pattern), role, route));
    return this;
  }

  /** The matching route; null when none; {@link #pathKnown} tells 404 from 405. */
  Match match(String method, String path) {
    String[] segments = split(path);
    String effective = method.equals("HEAD") ? "GET" : method;
    for (Entry entry : entries) {
      if (!entry.method().equals(method) && !entry.method().equals(effective)) {
        continue;
      }
      Map<String, String> parameters = bind(entry.segments(), segments);
      if (parameters != null) {
        return new Match(entry, parameters);
      }
    }
    return null;
  }

  /** The methods that would match this path, for a 405's Allow header. */
  List<String> methodsFor(String path) {
    String[] segments = split(path);
    List<String> methods = new ArrayList<>();
    for (Entry entry : entries) {
      if (bind(entry.segments(), segments) != null && !methods.contains(entry.method())) {
        methods.add(entry.method());
      }
    }
    return methods;
  }

  private static Map<String, String> bind(String[] pattern, String[] path) {
    boolean rest = pattern.length > 0 && pattern[pattern.length - 1].endsWith("*}");
    if (rest ? path.length < pattern.length : pattern.length != path.length) {
      return null;
    }
    Map<String, String> parameters = new HashMap<>();
    for (int i = 0; i < pattern.length; i++) {
      String part = pattern[i];
      if (rest && i == pattern.length - 1) {
        // Left encoded: decoding would let an encoded '/' or '..' pose as path structure.
        String[] tail = Arrays.copyOfRange(path, i, path.length);
        if (Arrays.asList(tail).contains("")) {
          return null;
        }
        parameters.put(part.substring(1, part.length() - 2), String.join("/", tail));
      } else if (part.startsWith("{") && part.endsWith("}")) {
        if (path[i].isEmpty()) {
          return null;
        }
        parameters.put(
            part.substring(1, part.length() - 1),
            URLDecoder.decode(path[i].replace("+", "%2B"), StandardCharsets.UTF_8));
      } else if (!part.equals(path[i])) {
        return null;
      }
    }
    return parameters;
  }

  private static String[] split(String path) {
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    if (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
  }
}

package io.llmlog.server.gateway;

import io.llmlog.server.config.ConfigException;
import io.llmlog.server.config.Settings;
import io.llmlog.server.config.Units;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code gateway:} section of {@code llmlog.yaml}: every key of the logging gateway, with its
 * default.
 *
 * <pre>
 * gateway:
 *   enabled: true
 *   upstreams:                       # name: url, or name: {url: ..., family: openai|anthropic}
 *     openai: https://api.openai.com           # there by default
 *     anthropic: https://api.anthropic.com     # there by default
 *     deepseek: https://api.deepseek.com
 *     ollama: {url: http://localhost:11434, family: openai}
 *   connect_timeout: 10s             # connecting to an upstream; 502 beyond
 *   read_timeout: 10m                # waiting for an answer that is not a stream; 504 beyond
 *   stream_idle_timeout: 5m          # silence inside a stream before it is given up
 *   max_request_bytes: 32MB          # 413 beyond
 *   max_concurrent_calls: 1024       # calls in flight; 503 beyond
 *   max_capture_bytes: 4MB           # of each request and answer kept for the record
 *   queue_records: 10000             # calls waiting to be logged; more are dropped and counted
 *   queue_bytes: 64MB                # the same queue's bound in bytes
 * </pre>
 *
 * @param upstreams by name; {@code openai} and {@code anthropic} unless configured otherwise
 */
public record GatewaySettings(
    boolean enabled,
    Map<String, Upstream> upstreams,
    Duration connectTimeout,
    Duration readTimeout,
    Duration streamIdleTimeout,
    long maxRequestBytes,
    int maxConcurrentCalls,
    long maxCaptureBytes,
    int queueRecords,
    long queueBytes) {

  /** The providers' public APIs, there unless configured otherwise. */
  public static final Map<String, Upstream> DEFAULT_UPSTREAMS = Map.of(
      "openai", new Upstream("openai", Upstream.Family.OPENAI, URI.create("https://api.openai.com")),
      "anthropic", new Upstream("anthropic", Upstream.Family.ANTHROPIC, URI.create("https://api.anthropic.com")));

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

  public GatewaySettings {
    upstreams = Map.copyOf(upstreams);
  }

  /** Reads {@code gateway.*}, applying defaults. */
  public static GatewaySettings from(Settings settings) {
    return new GatewaySettings(
        settings.bool("gateway.enabled", true),
        upstreams(settings),
        positive(settings, "gateway.connect_timeout", Duration.ofSeconds(10)),
        positive(settings, "gateway.read_timeout", Duration.ofMinutes(10)),
        positive(settings, "gateway.stream_idle_timeout", Duration.ofMinutes(5)),
        atLeast(settings, "gateway.max_request_bytes", 32L << 20, 1024),
        (int) atLeast(settings, "gateway.max_concurrent_calls", 1024, 1),
        atLeast(settings, "gateway.max_capture_bytes", 4L << 20, 1024),
        (int) atLeast(settings, "gateway.queue_records", 10_000, 1),
        atLeast(settings, "gateway.queue_bytes", 64L << 20, 1024));
  }

  private static Map<String, Upstream> upstreams(Settings settings) {
    Map<String, Upstream> upstreams = new LinkedHashMap<>(DEFAULT_UPSTREAMS);
    Object raw = settings.raw("gateway.upstreams");
    if (raw instanceof String text) {
      // LLMLOG_GATEWAY_UPSTREAMS=deepseek=https://api.deepseek.com,claude=anthropic:https://...
      for (String item : text.split(",")) {
        String trimmed = item.trim();
        if (trimmed.isEmpty()) {
          continue;
        }
        int equals = trimmed.indexOf('=');
        if (equals <= 0) {
          throw new ConfigException("gateway.upstreams entries must be name=url or name=family:url, was '" + trimmed + "'");
        }
        String value = trimmed.substring(equals + 1).trim();
        String family = null;
        for (Upstream.Family known : Upstream.Family.values()) {
          if (value.startsWith(known.key() + ":") && !value.startsWith(known.key() + "://")) {
            family = known.key();
            value = value.substring(known.key().length() + 1);
          }
        }
        put(upstreams, trimmed.substring(0, equals).trim(), value, family);
      }
    } else if (raw != null) {
      settings.map("gateway.upstreams").forEach((name, value) -> {
        if (value instanceof Map<?, ?> entry) {
          put(upstreams, name, entry.get("url") == null ? null : String.valueOf(entry.get("url")),
              entry.get("family") == null ? null : String.valueOf(entry.get("family")));
        } else {
          put(upstreams, name, value == null ? null : String.valueOf(value), null);
        }
      });
    }
    return upstreams;
  }

  private static void put(Map<String, Upstream> upstreams, String name, String url, String family) {
    String at = "gateway.upstreams." + name;
    if (!NAME.matcher(name).matches()) {
      throw new ConfigException(at + ": an upstream's name is lower-case letters, digits, '-' and '_' (it is a path segment: /gateway/<name>/...)");
    }
    if (url == null || url.isBlank()) {
      throw new ConfigException(at + ": needs a url, such as https://api.deepseek.com");
    }
    URI uri;
    try {
      String trimmed = url.trim();
      uri = URI.create(trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(at + ": '" + url + "' is not a URL");
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null || uri.getRawQuery() != null
        || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      throw new ConfigException(at + ": the url must be http(s)://host[:port][/path] without query or credentials, was '" + url + "'");
    }
    Upstream.Family resolved;
    if (family == null) {
      // A configured name keeps the family it had by default (an own URL for "anthropic" stays Anthropic).
      Upstream known = DEFAULT_UPSTREAMS.get(name);
      resolved = known != null ? known.family() : Upstream.Family.OPENAI;
    } else {
      resolved = Upstream.Family.parse(family);
      if (resolved == null) {
        throw new ConfigException(at + ".family must be openai or anthropic, was '" + family + "'");
      }
    }
    upstreams.put(name, new Upstream(name, resolved, uri));
  }

  private static Duration positive(Settings settings, String key, Duration defaultValue) {
    Duration value = settings.duration(key, defaultValue);
    if (value.isZero() || value.isNegative()) {
      throw new ConfigException(key + " must be a duration greater than 0, was " + Units.formatDuration(value));
    }
    return value;
  }

  private static long atLeast(Settings settings, String key, long defaultValue, long min) {
    long value = key.endsWith("_bytes") ? settings.bytes(key, defaultValue) : settings.integer(key, (int) defaultValue);
    if (value < min) {
      throw new ConfigException(key + " must be at least " + min + ", was " + value);
    }
    return value;
  }

  /** The upstream with this name, or null. */
  public Upstream upstream(String name) {
    return upstreams.get(name.toLowerCase(Locale.ROOT));
  }
}

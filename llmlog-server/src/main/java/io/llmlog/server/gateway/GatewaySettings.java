package io.llmlog.server.gateway;

import io.llmlog.server.config.ConfigException;
import io.llmlog.server.config.Settings;
import io.llmlog.server.config.Units;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * The {@code gateway:} section of {@code llmlog.yaml}: every key of the logging gateway, with its
 * default.
 *
 * <pre>
 * gateway:
 *   enabled: true
 *   upstreams:                       # by name: its url, and its family (openai unless said)
 *     openai: {url: https://api.openai.com}            # there by default
 *     anthropic: {url: https://api.anthropic.com}      # there by default (family anthropic)
 *     deepseek: {url: https://api.deepseek.com}
 *     claude-proxy: {url: https://llm-proxy.internal/anthropic, family: anthropic}
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
 * Upstreams are user-named sections; one upstream's key can come from the environment ({@code
 * LLMLOG_GATEWAY_UPSTREAMS_OPENAI_URL}), and {@code LLMLOG_GATEWAY_UPSTREAMS} gives them all as
 * text, {@code name=url,name=family:url}, as {@code LLMLOG_AUTH_API_KEYS} gives keys.
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
  public static final Map<String, Upstream> DEFAULT_UPSTREAMS = defaults();

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

  public GatewaySettings {
    upstreams = Map.copyOf(upstreams);
  }

  private static Map<String, Upstream> defaults() {
    Map<String, Upstream> defaults = new LinkedHashMap<>();
    defaults.put(
        "openai",
        new Upstream("openai", Upstream.Family.OPENAI, URI.create("https://api.openai.com")));
    defaults.put(
        "anthropic",
        new Upstream(
            "anthropic", Upstream.Family.ANTHROPIC, URI.create("https://api.anthropic.com")));
    return java.util.Collections.unmodifiableMap(defaults);
  }

  /**
   * Reads {@code gateway.*}, applying defaults.
   *
   * @throws ConfigException naming the key and what would be valid, or an unknown key with the
   *     nearest one
   */
  public static GatewaySettings from(Settings settings) {
    Settings gateway = settings.at("gateway");
    GatewaySettings read =
        new GatewaySettings(
            gateway.bool("enabled", true),
            upstreams(gateway),
            positive(gateway, "connect_timeout", Duration.ofSeconds(10)),
            positive(gateway, "read_timeout", Duration.ofMinutes(10)),
            positive(gateway, "stream_idle_timeout", Duration.ofMinutes(5)),
            atLeast(
                gateway, gateway.bytes("max_request_bytes", 32L << 20), "max_request_bytes", 1024),
            (int)
                atLeast(
                    gateway,
                    gateway.integer("max_concurrent_calls", 1024),
                    "max_concurrent_calls",
                    1),
            atLeast(
                gateway, gateway.bytes("max_capture_bytes", 4L << 20), "max_capture_bytes", 1024),
            (int) atLeast(gateway, gateway.integer("queue_records", 10_000), "queue_records", 1),
            atLeast(gateway, gateway.bytes("queue_bytes", 64L << 20), "queue_bytes", 1024));
    settings.rejectUnknown("gateway");
    return read;
  }

  private static Map<String, Upstream> upstreams(Settings gateway) {
    Map<String, Upstream> upstreams = new LinkedHashMap<>();
    if (gateway.raw("upstreams") instanceof String text) {
      // LLMLOG_GATEWAY_UPSTREAMS=deepseek=https://api.deepseek.com,claude=anthropic:https://...
      if (holdsCredentials(text)) {
        gateway.secret("upstreams", null);
      }
      upstreams.putAll(DEFAULT_UPSTREAMS);
      for (String item : text.split(",")) {
        String trimmed = item.trim();
        if (trimmed.isEmpty()) {
          continue;
        }
        int equals = trimmed.indexOf('=');
        if (equals <= 0) {
          // The entry is not shown: a URL may hold what should not be printed.
          throw gateway.problem(
              "upstreams",
              "entries are name=url or name=family:url (family openai or anthropic), separated by commas");
        }
        String name = trimmed.substring(0, equals).trim();
        String url = trimmed.substring(equals + 1).trim();
        // As in the file: a default name given its own URL keeps its family ("anthropic" stays
        // Anthropic).
        Upstream byDefault = DEFAULT_UPSTREAMS.get(name);
        String family = byDefault == null ? null : byDefault.family().key();
        for (Upstream.Family known : Upstream.Family.values()) {
          if (url.startsWith(known.key() + ":") && !url.startsWith(known.key() + "://")) {
            family = known.key();
            url = url.substring(known.key().length() + 1);
          }
        }
        upstreams.put(
            name,
            upstream(
                name,
                url,
                family,
                (key, problem) ->
                    gateway.problem(
                        "upstreams", name + (key == null ? "" : " " + key) + ": " + problem)));
      }
      return upstreams;
    }
    Set<String> names = new LinkedHashSet<>(DEFAULT_UPSTREAMS.keySet());
    names.addAll(gateway.names("upstreams"));
    for (String name : names) {
      // The defaults are read too, so that their url and family show in `config show` and can come
      // from the environment.
      Settings upstream = gateway.named("upstreams", name);
      if (upstream.value() != null && !(upstream.value() instanceof Map)) {
        throw upstream.problem(
            "an upstream is a section with its url (and family), such as "
                + name
                + ": {url: https://api.example.com}");
      }
      Upstream known = DEFAULT_UPSTREAMS.get(name);
      String url = upstream.string("url", known == null ? null : known.base().toString());
      if (url != null && holdsCredentials(url)) {
        // Read again as a secret: `config show` masks it, the message below leaves it out.
        upstream.secret("url", null);
      }
      // A configured name keeps the family it has by default (an own URL for "anthropic" stays
      // Anthropic).
      String family = upstream.string("family", known == null ? null : known.family().key());
      upstreams.put(
          name,
          upstream(
              name,
              url,
              family,
              (key, problem) ->
                  key == null ? upstream.problem(problem) : upstream.problem(key, problem)));
    }
    return upstreams;
  }

  /**
   * Checks one upstream's name, url and family; {@code problem} frames a message about one of its
   * keys ({@code url}, {@code family}, or null for the upstream itself) as its source's errors
   * read.
   */
  private static Upstream upstream(
      String name, String url, String family, BiFunction<String, String, ConfigException> problem) {
    if (!NAME.matcher(name).matches()) {
      throw problem.apply(
          null,
          "an upstream's name is lower-case letters, digits, '-' and '_' (it is a path segment: /gateway/<name>/...)");
    }
    if (url == null || url.isBlank()) {
      throw problem.apply(null, "needs a url, such as https://api.deepseek.com");
    }
    if (holdsCredentials(url)) {
      throw problem.apply(
          "url",
          "may not hold credentials or a query (it would be shown and logged); the client's own "
              + "Authorization or x-api-key header reaches the upstream");
    }
    URI uri;
    try {
      String trimmed = url.trim();
      uri =
          URI.create(trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed);
    } catch (IllegalArgumentException e) {
      throw problem.apply("url", "'" + url + "' is not a URL");
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null
        || uri.getRawFragment() != null) {
      throw problem.apply("url", "must be http(s)://host[:port][/path], was '" + url + "'");
    }
    Upstream.Family resolved =
        family == null ? Upstream.Family.OPENAI : Upstream.Family.parse(family);
    if (resolved == null) {
      throw problem.apply("family", "must be openai or anthropic, was '" + family + "'");
    }
    return new Upstream(name, resolved, uri);
  }

  /** A user part or a query: where URLs carry keys. */
  private static boolean holdsCredentials(String url) {
    int scheme = url.indexOf("://");
    int hostEnd = url.indexOf('/', scheme < 0 ? 0 : scheme + 3);
    String authority =
        url.substring(scheme < 0 ? 0 : scheme + 3, hostEnd < 0 ? url.length() : hostEnd);
    return authority.contains("@") || url.contains("?");
  }

  private static Duration positive(Settings gateway, String key, Duration defaultValue) {
    Duration value = gateway.duration(key, defaultValue);
    if (value.isZero() || value.isNegative()) {
      throw gateway.invalid(key, Units.formatDuration(value), "a duration greater than 0");
    }
    return value;
  }

  private static long atLeast(Settings gateway, long value, String key, long min) {
    if (value < min) {
      throw gateway.invalid(key, value, "at least " + min);
    }
    return value;
  }

  /** The upstream with this name, or null. */
  public Upstream upstream(String name) {
    return upstreams.get(name.toLowerCase(Locale.ROOT));
  }
}

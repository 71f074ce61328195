package io.llmlog.server.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The server's configuration: {@code llmlog.yaml}, overridden by {@code LLMLOG_*} environment
 * variables and command-line options. The sections other capabilities own ({@code pipeline}, {@code
 * alerts}, {@code lifecycle}) are read by them from {@link #settings()}.
 */
public record LlmlogConfig(
    Server server, Engine engine, Limits limits, Auth auth, Settings settings) {
  /** The sections read here; the other capabilities read theirs from {@link #settings()}. */
  public static final List<String> SECTIONS = List.of("server", "engine", "limits", "auth");

  /**
   * Where llmlog listens and keeps its data.
   *
   * @param otlpPort the OTLP/HTTP listener's port (OpenTelemetry exporters default to 4318); 0 for
   *     none (OTLP is still served on {@code port})
   */
  public record Server(
      String host, int port, int esPort, int otlpPort, Path dataDir, boolean insecure) {
    /** True when the host is a loopback address, so nobody else can reach the server. */
    public boolean loopbackOnly() {
      try {
        for (InetAddress address : InetAddress.getAllByName(host)) {
          if (!address.isLoopbackAddress()) {
            return false;
          }
        }
        return true;
      } catch (UnknownHostException e) {
        throw new ConfigException("server.host '" + host + "' cannot be resolved");
      }
    }
  }

  /**
   * The search engine: embedded unless {@code urls} names an external OpenSearch or Elasticsearch
   * cluster.
   */
  public record Engine(
      List<URI> urls,
      String username,
      String password,
      String indexPrefix,
      int shards,
      int replicas,
      String refreshInterval,
      Duration requestTimeout,
      int maxConcurrentBulks,
      Duration bulkQueueTimeout,
      int templatePriority) {

    /**
     * The priority of llmlog's index templates unless {@code engine.template_priority} says
     * otherwise.
     */
    public static final int DEFAULT_TEMPLATE_PRIORITY = 200;

    public boolean embedded() {
      return urls.isEmpty();
    }
  }

  /** What one request may carry; beyond these, a clear 4xx. */
  public record Limits(
      long maxBodyBytes,
      long maxDecompressedBytes,
      int maxJsonDepth,
      int maxStringLength,
      int maxRecordsPerRequest,
      int maxMetadataKeys,
      Duration maxFutureSkew) {}

  /**
   * API keys; with none configured, the server only accepts loopback binding (or {@code
   * --insecure}).
   */
  public record Auth(List<ApiKey> apiKeys) {
    public boolean enabled() {
      return !apiKeys.isEmpty();
    }
  }

  /**
   * One API key, what it may do, and the name it acts under (a reviewer's id on the reviews it
   * stores). Without a configured name the key is named after its role and a short digest of it,
   * which identifies it without revealing it.
   */
  public record ApiKey(String key, Role role, String name) {
    public ApiKey {
      java.util.Objects.requireNonNull(key, "key");
      java.util.Objects.requireNonNull(role, "role");
      if (name == null || name.isBlank()) {
        name = role.name().toLowerCase(Locale.ROOT) + "-" + digest(key);
      }
    }

    public ApiKey(String key, Role role) {
      this(key, role, null);
    }

    @Override
    public String toString() {
      return "ApiKey[" + name + ", " + role + "]";
    }

    private static String digest(String key) {
      try {
        byte[] hash =
            java.security.MessageDigest.getInstance("SHA-256")
                .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return java.util.HexFormat.of().formatHex(hash, 0, 4);
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * What a key may do; {@code admin} may do everything, {@code review} may read and store reviews
   * (a reviewer's key, which must not ingest calls).
   */
  public enum Role {
    INGEST,
    READ,
    REVIEW,
    ADMIN;

    public boolean allows(Role needed) {
      return this == ADMIN || this == needed || (this == REVIEW && needed == READ);
    }
  }

  /** Reads the whole configuration, applying defaults. */
  public static LlmlogConfig from(Settings settings) {
    Server server =
        new Server(
            settings.string("server.host", "127.0.0.1"),
            port(settings, "server.port", 8080),
            port(settings, "server.es_port", 9200),
            port(settings, "server.otlp_port", 4318),
            Path.of(settings.string("server.data_dir", "./data")),
            settings.bool("server.insecure", false));
    Engine engine =
        new Engine(
            urls(settings.string("engine.url", "")),
            settings.string("engine.username", null),
            settings.secret("engine.password", null),
            indexPrefix(settings.string("engine.index_prefix", "")),
            positive(settings, "engine.shards", 1),
            nonNegative(settings, "engine.replicas", 0),
            settings.string("engine.refresh_interval", "5s"),
            settings.duration("engine.request_timeout", Duration.ofSeconds(30)),
            positive(settings, "engine.max_concurrent_bulks", 4),
            settings.duration("engine.bulk_queue_timeout", Duration.ofSeconds(2)),
            nonNegative(settings, "engine.template_priority", Engine.DEFAULT_TEMPLATE_PRIORITY));
    Limits limits =
        new Limits(
            settings.bytes("limits.max_body_bytes", 10L << 20),
            settings.bytes("limits.max_decompressed_bytes", 32L << 20),
            positive(settings, "limits.max_json_depth", 64),
            (int) Math.min(Integer.MAX_VALUE, settings.bytes("limits.max_string_length", 4L << 20)),
            positive(settings, "limits.max_records_per_request", 10_000),
            positive(settings, "limits.max_metadata_keys", 100),
            settings.duration("limits.max_future_skew", Duration.ofDays(1)));
    Auth auth = new Auth(apiKeys(settings));
    List<String> unknown = new ArrayList<>();
    SECTIONS.forEach(section -> unknown.addAll(settings.unknown(section)));
    if (!unknown.isEmpty()) {
      throw new ConfigException(String.join("\n", unknown));
    }
    return new LlmlogConfig(server, engine, limits, auth, settings);
  }

  private static int port(Settings settings, String key, int defaultValue) {
    int port = settings.integer(key, defaultValue);
    if (port < 0 || port > 65535) {
      throw settings.invalid(key, port, "a port between 0 and 65535 (0 picks a free one)");
    }
    return port;
  }

  private static int positive(Settings settings, String key, int defaultValue) {
    int value = settings.integer(key, defaultValue);
    if (value <= 0) {
      throw settings.invalid(key, value, "greater than 0");
    }
    return value;
  }

  private static int nonNegative(Settings settings, String key, int defaultValue) {
    int value = settings.integer(key, defaultValue);
    if (value < 0) {
      throw settings.invalid(key, value, "0 or more");
    }
    return value;
  }

  private static String indexPrefix(String prefix) {
    if (!prefix.equals(prefix.toLowerCase(Locale.ROOT))
        || prefix.contains("*")
        || prefix.contains(",")
        || prefix.contains(" ")) {
      throw new ConfigException(
          "engine.index_prefix must be lower case without '*', ',' or spaces, was '"
              + prefix
              + "'");
    }
    return prefix;
  }

  private static List<URI> urls(String text) {
    List<URI> urls = new ArrayList<>();
    for (String part : text.split(",")) {
      String trimmed = part.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      URI uri =
          URI.create(trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
          || uri.getHost() == null) {
        throw new ConfigException(
            "engine.url must be http(s)://host:port[,http(s)://host:port...], was '" + text + "'");
      }
      urls.add(uri);
    }
    return List.copyOf(urls);
  }

  /**
   * API keys from {@code auth.api_keys} (a list of {@code {key, role}}) or from the environment
   * variable {@code LLMLOG_AUTH_API_KEYS} as {@code key1:ingest,key2:read}.
   */
  private static List<ApiKey> apiKeys(Settings settings) {
    Object raw = settings.raw("auth.api_keys");
    List<ApiKey> keys = new ArrayList<>();
    if (raw instanceof String) {
      String text = settings.secret("auth.api_keys", null);
      for (String item : text.split(",")) {
        String trimmed = item.trim();
        if (trimmed.isEmpty()) {
          continue;
        }
        String[] parts = trimmed.split(":");
        if (parts.length >= 3 && isRole(parts[parts.length - 2])) {
          // key:role:name
          int nameColon = trimmed.lastIndexOf(':');
          int roleColon = trimmed.lastIndexOf(':', nameColon - 1);
          keys.add(
              apiKey(
                  trimmed.substring(0, roleColon),
                  parts[parts.length - 2],
                  trimmed.substring(nameColon + 1)));
          continue;
        }
        int colon = trimmed.lastIndexOf(':');
        if (colon <= 0) {
          throw new ConfigException(
              "auth.api_keys entries must be key:role or key:role:name (role ingest, read, review or admin), was '"
                  + mask(trimmed)
                  + "'");
        }
        keys.add(apiKey(trimmed.substring(0, colon), trimmed.substring(colon + 1), null));
      }
    } else if (raw != null) {
      for (Settings item : settings.items("auth.api_keys")) {
        String key = item.value() instanceof Map ? item.secret("key", null) : null;
        if (key == null) {
          throw new ConfigException(
              "each entry of auth.api_keys needs 'key' and 'role' (ingest, read, review or admin), and may have a 'name'");
        }
        keys.add(apiKey(key, String.valueOf(item.string("role", null)), item.string("name", null)));
      }
    }
    return List.copyOf(keys);
  }

  private static boolean isRole(String text) {
    return List.of("ingest", "read", "review", "admin")
        .contains(text.trim().toLowerCase(Locale.ROOT));
  }

  /** An entry that is not key:role may still be a key: never shown. */
  private static String mask(String entry) {
    return entry.length() <= 4 ? "****" : entry.substring(0, 2) + "****";
  }

  private static ApiKey apiKey(String key, String role, String name) {
    if (key.length() < 16) {
      throw new ConfigException(
          "auth.api_keys: a key must be at least 16 characters long (use e.g. `openssl rand -hex 24`)");
    }
    if (name != null && !name.trim().matches("[\\p{L}\\p{N}_.@-]{1,64}")) {
      throw new ConfigException(
          "auth.api_keys: a name is 1 to 64 letters, digits, '_', '.', '@' or '-', was '"
              + name
              + "'");
    }
    try {
      return new ApiKey(
          key,
          Role.valueOf(role.trim().toUpperCase(Locale.ROOT)),
          name == null ? null : name.trim());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          "auth.api_keys: role must be ingest, read, review or admin, was '" + role + "'");
    }
  }
}

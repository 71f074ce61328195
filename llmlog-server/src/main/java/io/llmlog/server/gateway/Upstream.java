package io.llmlog.server.gateway;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * A provider API the gateway forwards to, by the name that appears in its path ({@code
 * /gateway/<name>/...}). Only configured upstreams are reachable: the request chooses one by name,
 * never by URL.
 *
 * @param base the URL the path after the name is appended to, without a trailing '/'
 */
public record Upstream(String name, Family family, URI base) {
  public Upstream {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(base, "base");
  }

  /** The API shape an upstream speaks, which decides how its calls are read for the record. */
  public enum Family {
    /** OpenAI's API and the many compatible ones (DeepSeek, Qwen, Ollama, vLLM, ...). */
    OPENAI,
    /** Anthropic's Messages API. */
    ANTHROPIC;

    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The family with this key, or null. */
    public static Family parse(String key) {
      for (Family family : values()) {
        if (family.key().equalsIgnoreCase(key.trim())) {
          return family;
        }
      }
      return null;
    }
  }

  /**
   * The upstream URL for a path below the upstream's name, still URL-encoded as the client sent it,
   * and its raw query. The path is appended below {@link #base()}; a result that would leave the
   * base's scheme, host or port is refused.
   *
   * @throws IllegalArgumentException when the path holds a dot segment or would leave the upstream
   */
  public URI resolve(String rawPath, String rawQuery) {
    for (String segment : rawPath.split("/", -1)) {
      String lower = segment.toLowerCase(Locale.ROOT);
      if (segment.equals(".")
          || segment.equals("..")
          || lower.equals("%2e")
          || lower.equals("%2e%2e")
          || lower.equals(".%2e")
          || lower.equals("%2e.")) {
        throw new IllegalArgumentException("the path may not contain '.' or '..' segments");
      }
    }
    String path = rawPath.startsWith("/") ? rawPath : "/" + rawPath;
    URI uri =
        URI.create(base + path + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery));
    if (!Objects.equals(uri.getScheme(), base.getScheme())
        || !Objects.equals(uri.getHost(), base.getHost())
        || uri.getPort() != base.getPort()
        || uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("the path may not change the upstream's address");
    }
    return uri;
  }
}

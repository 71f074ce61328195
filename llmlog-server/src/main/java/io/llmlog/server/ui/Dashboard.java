package io.llmlog.server.ui;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The web dashboard's files: {@code GET /} is the page, {@code GET /ui/<build>/<file>} its scripts,
 * styles and the chart library, each with the headers it must be served with. The page reads
 * everything else from the REST API with the browser's own requests, so the files themselves need
 * no API key. The API serves what this class answers; the dashboard knows nothing of HTTP.
 *
 * <p>Every file carries a strict Content-Security-Policy: scripts and styles only from this server
 * and never inline, no plugins, no framing, and requests only back to this origin. Log contents are
 * attacker-controlled text; the policy is the second wall behind the page's rule of rendering them
 * as text only.
 */
public final class Dashboard {
  /** The {@code build} placeholder in {@code index.html}. */
  static final String BUILD_PLACEHOLDER = "{{build}}";

  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          + "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

  /** Asset URLs change with every build, so a browser may keep them as long as it likes. */
  static final String IMMUTABLE = "public, max-age=31536000, immutable";

  /** The page is revalidated on every load, so a new build shows at once. */
  static final String REVALIDATE = "no-cache";

  private final Assets assets;
  private final byte[] index;

  private Dashboard(Assets assets) {
    this.assets = assets;
    this.index =
        new String(assets.files().get(Assets.INDEX), StandardCharsets.UTF_8)
            .replace(BUILD_PLACEHOLDER, assets.build())
            .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A file to serve.
   *
   * @param headers the headers to send with it (security policy and caching), in order
   */
  public record File(String contentType, byte[] body, Map<String, String> headers) {}

  /** Reads the dashboard's files from the classpath. */
  public static Dashboard load() {
    return new Dashboard(Assets.load());
  }

  /** The prefix of every asset URL: {@code /ui/3f2a9c1d0b7e/}. */
  public String assetPrefix() {
    return "/ui/" + assets.build() + "/";
  }

  /** {@code GET /}: the page. */
  public File page() {
    return new File("text/html; charset=utf-8", index, headers(REVALIDATE));
  }

  /**
   * {@code GET /ui/{file*}}: a file, named {@code <build>/<path>}.
   *
   * @return empty when there is no such file
   */
  public Optional<File> asset(String file) {
    int slash = file.indexOf('/');
    String build = slash < 0 ? "" : file.substring(0, slash);
    String path = slash < 0 ? "" : file.substring(slash + 1);
    byte[] body = path.equals(Assets.INDEX) ? null : assets.files().get(path);
    if (body == null) {
      return Optional.empty();
    }
    // A page of an older build may still ask for its files; it gets today's, but not for keeps.
    return Optional.of(
        new File(
            contentType(path),
            body,
            headers(build.equals(assets.build()) ? IMMUTABLE : REVALIDATE)));
  }

  private static Map<String, String> headers(String cacheControl) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    headers.put("X-Content-Type-Options", "nosniff");
    headers.put("X-Frame-Options", "DENY");
    headers.put("Referrer-Policy", "no-referrer");
    headers.put("Cache-Control", cacheControl);
    return headers;
  }

  static String contentType(String path) {
    String extension = path.substring(path.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    return switch (extension) {
      case "js" -> "text/javascript; charset=utf-8";
      case "css" -> "text/css; charset=utf-8";
      case "html" -> "text/html; charset=utf-8";
      case "svg" -> "image/svg+xml";
      case "png" -> "image/png";
      case "json" -> "application/json";
      default -> "application/octet-stream";
    };
  }
}

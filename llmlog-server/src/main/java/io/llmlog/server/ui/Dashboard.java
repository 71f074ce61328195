package io.llmlog.server.ui;

import io.llmlog.server.api.ApiException;
import io.llmlog.server.api.Exchange;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Serves the web dashboard: {@code GET /} is the page, {@code GET /ui/<build>/<file>} its scripts,
 * styles and the chart library. The page reads everything else from the REST API with the
 * browser's own requests, so the files themselves need no API key.
 *
 * <p>Every answer carries a strict Content-Security-Policy: scripts and styles only from this
 * server and never inline, no plugins, no framing, and requests only back to this origin. Log
 * contents are attacker-controlled text; the policy is the second wall behind the page's rule of
 * rendering them as text only.
 */
public final class Dashboard {
  /** The {@code build} placeholder in {@code index.html}. */
  static final String BUILD_PLACEHOLDER = "{{build}}";
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
  /** Asset URLs change with every build, so a browser may keep them as long as it likes. */
  static final String IMMUTABLE = "public, max-age=31536000, immutable";

  private final Assets assets;
  private final byte[] index;

  private Dashboard(Assets assets) {
    this.assets = assets;
    this.index = new String(assets.files().get(Assets.INDEX), StandardCharsets.UTF_8)
        .replace(BUILD_PLACEHOLDER, assets.build())
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Reads the dashboard's files from the classpath. */
  public static Dashboard load() {
    return new Dashboard(Assets.load());
  }

  /** The prefix of every asset URL: {@code /ui/3f2a9c1d0b7e/}. */
  public String assetPrefix() {
    return "/ui/" + assets.build() + "/";
  }

  /** {@code GET /}: the page. Revalidated on every load, so a new build shows at once. */
  public void index(Exchange exchange) {
    secure(exchange);
    exchange.header("Cache-Control", "no-cache");
    exchange.send(200, "text/html; charset=utf-8", index);
  }

  /** {@code GET /ui/{file*}}: {@code <build>/<path>}. */
  public void asset(Exchange exchange) {
    String file = exchange.pathParameter("file");
    int slash = file.indexOf('/');
    String build = slash < 0 ? "" : file.substring(0, slash);
    String path = slash < 0 ? "" : file.substring(slash + 1);
    byte[] body = path.equals(Assets.INDEX) ? null : assets.files().get(path);
    if (body == null) {
      throw ApiException.notFound("no such dashboard file: " + exchange.path());
    }
    secure(exchange);
    // A page of an older build may still ask for its files; it gets today's, but not for keeps.
    exchange.header("Cache-Control", build.equals(assets.build()) ? IMMUTABLE : "no-cache");
    exchange.send(200, contentType(path), body);
  }

  private static void secure(Exchange exchange) {
    exchange.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    exchange.header("X-Content-Type-Options", "nosniff");
    exchange.header("X-Frame-Options", "DENY");
    exchange.header("Referrer-Policy", "no-referrer");
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

package io.llmlog.server.gateway;

import java.util.HashSet;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;

/**
 * Which headers cross the gateway. The client's credentials ({@code Authorization}, {@code
 * x-api-key}) and the provider's own headers go through; llmlog's and Helicone's headers,
 * hop-by-hop headers and those the gateway sets itself do not.
 */
public final class ForwardedHeaders {
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "proxy-authenticate",
          "proxy-authorization",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade");

  /**
   * Set by the gateway for the upstream: its host and length, no compression (the answer is read
   * for the record), a body already decoded, and the trace with the gateway's span.
   */
  private static final Set<String> REQUEST_OWN =
      Set.of(
          "host",
          "content-length",
          "content-encoding",
          "accept-encoding",
          "expect",
          "traceparent",
          "tracestate");

  private ForwardedHeaders() {}

  /** The request headers to send upstream. */
  public static HttpFields.Mutable request(HttpFields client) {
    Set<String> named = connectionTokens(client);
    HttpFields.Mutable upstream = HttpFields.build(client.size());
    for (HttpField field : client) {
      String name = field.getLowerCaseName();
      if (!HOP_BY_HOP.contains(name)
          && !REQUEST_OWN.contains(name)
          && !named.contains(name)
          && !name.startsWith(CallTags.LLMLOG_PREFIX)
          && !name.startsWith(CallTags.HELICONE_PREFIX)) {
        upstream.add(field);
      }
    }
    return upstream;
  }

  /** True for an answer header to pass back to the client. */
  public static boolean response(HttpField field, Set<String> connectionTokens) {
    String name = field.getLowerCaseName();
    return !HOP_BY_HOP.contains(name) && !connectionTokens.contains(name);
  }

  /** The headers a {@code Connection} header names, which are hop-by-hop too. */
  public static Set<String> connectionTokens(HttpFields headers) {
    Set<String> tokens = new HashSet<>();
    for (String value : headers.getValuesList("connection")) {
      for (String token : value.split(",")) {
        if (!token.isBlank()) {
          tokens.add(token.trim().toLowerCase(java.util.Locale.ROOT));
        }
      }
    }
    return tokens;
  }
}

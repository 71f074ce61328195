package io.llmlog.server.api;

import io.llmlog.server.config.LlmlogConfig;
import io.llmlog.server.config.LlmlogConfig.Role;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Checks API keys sent as {@code Authorization: ApiKey <key>}, {@code Bearer <key>}, or Basic auth
 * with the key as password (what log shippers can send). Elasticsearch clients send {@code ApiKey
 * base64(id:key)}; that form is accepted too. Keys are compared in constant time.
 */
final class Authenticator {
  private final List<LlmlogConfig.ApiKey> keys;

  Authenticator(LlmlogConfig.Auth auth) {
    this.keys = auth.apiKeys();
  }

  boolean enabled() {
    return !keys.isEmpty();
  }

  /** The key in the header (its role and name), or null when there is no valid key. */
  LlmlogConfig.ApiKey authenticate(String authorization) {
    if (authorization == null) {
      return null;
    }
    int space = authorization.indexOf(' ');
    if (space < 0) {
      return null;
    }
    String scheme = authorization.substring(0, space).toLowerCase(Locale.ROOT);
    String credentials = authorization.substring(space + 1).trim();
    return switch (scheme) {
      case "apikey" -> firstMatch(credentials, afterColon(decodeBase64(credentials)));
      case "bearer" -> firstMatch(credentials, null);
      case "basic" -> firstMatch(afterColon(decodeBase64(credentials)), null);
      default -> null;
    };
  }

  /** The key sent bare (the gateway's {@code X-Llmlog-Api-Key}): its role, or null. */
  Role authenticateKey(String key) {
    LlmlogConfig.ApiKey found = key == null ? null : lookup(key.trim());
    return found == null ? null : found.role();
  }

  private LlmlogConfig.ApiKey firstMatch(String candidate, String alternative) {
    LlmlogConfig.ApiKey key = lookup(candidate);
    return key != null ? key : lookup(alternative);
  }

  private LlmlogConfig.ApiKey lookup(String candidate) {
    if (candidate == null) {
      return null;
    }
    byte[] given = candidate.getBytes(StandardCharsets.UTF_8);
    LlmlogConfig.ApiKey found = null;
    for (LlmlogConfig.ApiKey key : keys) {
      // Every key is compared, so timing does not tell which key was close.
      if (MessageDigest.isEqual(given, key.key().getBytes(StandardCharsets.UTF_8))
          && found == null) {
        found = key;
      }
    }
    return found;
  }

  private static String decodeBase64(String text) {
    try {
      return new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String afterColon(String text) {
    if (text == null) {
      return null;
    }
    int colon = text.indexOf(':');
    return colon < 0 ? null : text.substring(colon + 1);
  }
}

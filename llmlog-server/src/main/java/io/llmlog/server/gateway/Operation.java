package io.llmlog.server.gateway;

import java.util.Locale;

/**
 * The kinds of call the gateway logs, recognised by method and path below the upstream; every other
 * request is forwarded without a record. Paths are matched by their end, so that APIs that put the
 * same endpoints under another prefix (Azure's {@code /openai/deployments/<name>/chat/completions})
 * are logged too.
 */
public enum Operation {
  CHAT("chat"),
  TEXT_COMPLETION("text_completion"),
  EMBEDDINGS("embeddings"),
  RESPONSES("responses"),
  /** Anthropic's Messages API: a chat call in Anthropic's shape. */
  MESSAGES("chat");

  private final String field;

  Operation(String field) {
    this.field = field;
  }

  /** The record's {@code operation}. */
  public String field() {
    return field;
  }

  /** The operation of a request to an upstream of this family, or null when it is not logged. */
  public static Operation of(Upstream.Family family, String method, String path) {
    if (!"POST".equals(method)) {
      return null;
    }
    String p = path.toLowerCase(Locale.ROOT);
    if (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    if (family == Upstream.Family.ANTHROPIC) {
      return p.endsWith("/messages") ? MESSAGES : null;
    }
    if (p.endsWith("/chat/completions")) {
      return CHAT;
    }
    if (p.endsWith("/completions")) {
      return TEXT_COMPLETION;
    }
    if (p.endsWith("/embeddings")) {
      return EMBEDDINGS;
    }
    return p.endsWith("/responses") ? RESPONSES : null;
  }
}

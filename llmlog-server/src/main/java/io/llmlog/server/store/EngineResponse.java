package io.llmlog.server.store;

import java.nio.charset.StandardCharsets;

/** A raw answer of the engine's REST API. */
public record EngineResponse(int status, byte[] body) {
  public boolean ok() {
    return status >= 200 && status < 300;
  }

  public String text() {
    return new String(body, StandardCharsets.UTF_8);
  }
}

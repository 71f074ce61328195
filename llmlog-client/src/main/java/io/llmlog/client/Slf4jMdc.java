package io.llmlog.client;

import org.slf4j.MDC;

/** Reads SLF4J's MDC. Loaded only when slf4j-api is present. */
final class Slf4jMdc {
  private Slf4jMdc() {}

  static String get(String key) {
    String value = MDC.get(key);
    return value == null || value.isBlank() ? null : value;
  }
}

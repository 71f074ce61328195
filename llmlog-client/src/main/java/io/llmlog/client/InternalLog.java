package io.llmlog.client;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The SDK's own diagnostics: SLF4J when the application has a binding, else {@link System.Logger}
 * (java.util.logging by default). Like zipkin-reporter, the first failure of a kind is a WARN and
 * the repeats are DEBUG, so a dead receiver cannot flood the application's log.
 */
final class InternalLog {
  private static final String NAME = "io.llmlog.client";

  private final AtomicBoolean warned = new AtomicBoolean();

  /** Logs at WARN the first time, at DEBUG after that. */
  void firstWarnThenDebug(String message, Throwable error) {
    if (warned.compareAndSet(false, true)) {
      warn(message + " (further failures of this kind are logged at DEBUG)", error);
    } else {
      debug(message, error);
    }
  }

  /** True once {@link #firstWarnThenDebug} has warned. */
  boolean hasWarned() {
    return warned.get();
  }

  static void warn(String message, Throwable error) {
    if (Slf4jSupport.bound()) {
      Slf4jLog.warn(NAME, message, error);
    } else {
      System.getLogger(NAME).log(System.Logger.Level.WARNING, message, error);
    }
  }

  static void info(String message) {
    if (Slf4jSupport.bound()) {
      Slf4jLog.info(NAME, message);
    } else {
      System.getLogger(NAME).log(System.Logger.Level.INFO, message);
    }
  }

  static void debug(String message, Throwable error) {
    if (Slf4jSupport.bound()) {
      Slf4jLog.debug(NAME, message, error);
    } else {
      System.getLogger(NAME).log(System.Logger.Level.DEBUG, message, error);
    }
  }

  /** The SLF4J calls, in their own class so that InternalLog loads without slf4j-api. */
  private static final class Slf4jLog {
    static void warn(String name, String message, Throwable error) {
      org.slf4j.LoggerFactory.getLogger(name).warn(message, error);
    }

    static void info(String name, String message) {
      org.slf4j.LoggerFactory.getLogger(name).info(message);
    }

    static void debug(String name, String message, Throwable error) {
      org.slf4j.LoggerFactory.getLogger(name).debug(message, error);
    }
  }
}

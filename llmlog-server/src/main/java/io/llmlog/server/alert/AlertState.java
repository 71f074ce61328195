package io.llmlog.server.alert;

import java.util.Locale;

/**
 * Where an alert instance is: inactive → pending (for {@code for:}) → firing → resolved → inactive.
 */
enum AlertState {
  INACTIVE,
  PENDING,
  FIRING,
  RESOLVED;

  String text() {
    return name().toLowerCase(Locale.ROOT);
  }

  static AlertState parse(String text) {
    return valueOf(text.toUpperCase(Locale.ROOT));
  }
}

package io.llmlog.server.alert;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a receiver is told when an alert fires, fires again ({@code repeat}), or resolves.
 *
 * @param status {@code firing} or {@code resolved}
 * @param labels alertname, severity, the rule's labels and its group_by values
 * @param value the condition's left side; NaN when there was none (e.g. resolved for lack of calls)
 * @param endsAt when it resolved; null while firing
 */
record Notification(
    String status,
    String alert,
    String severity,
    Map<String, String> labels,
    double value,
    double threshold,
    double calls,
    String condition,
    String window,
    String summary,
    Instant startsAt,
    Instant endsAt,
    boolean repeat) {

  /** Identifies the alert instance across notifications, as Alertmanager's fingerprint does. */
  String fingerprint() {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(new TreeMap<>(labels).toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  boolean firing() {
    return status.equals("firing");
  }
}

package io.llmlog.server.alert;

import io.llmlog.server.config.ConfigException;
import io.llmlog.server.config.Settings;
import java.time.Duration;
import java.util.List;

/**
 * The {@code alerts:} section of llmlog.yaml, besides the rules themselves.
 *
 * @param enabled false turns evaluation and notifications off (live aggregates stay)
 * @param interval how often rules are evaluated
 * @param leaseTtl how long the evaluator's lease lasts without renewal; a standby takes over after
 *     it
 * @param webhooks the receivers of notifications
 * @param backoff retries of a failed delivery
 * @param webhookTimeout connect and request timeout of one delivery attempt
 */
public record AlertSettings(
    boolean enabled,
    Duration interval,
    Duration leaseTtl,
    List<Webhook> webhooks,
    Notifier.Backoff backoff,
    Duration webhookTimeout) {

  public static AlertSettings from(Settings settings) {
    Duration interval = settings.duration("alerts.evaluation_interval", Duration.ofSeconds(15));
    if (interval.compareTo(Duration.ofSeconds(1)) < 0
        || interval.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new ConfigException(
          "alerts.evaluation_interval must be between 1s and 10m, was " + interval);
    }
    Duration defaultTtl =
        interval.multipliedBy(3).compareTo(Duration.ofSeconds(30)) < 0
            ? Duration.ofSeconds(30)
            : interval.multipliedBy(3);
    Duration leaseTtl = settings.duration("alerts.lease_ttl", defaultTtl);
    if (leaseTtl.compareTo(interval.multipliedBy(2)) < 0) {
      throw new ConfigException(
          "alerts.lease_ttl must be at least twice alerts.evaluation_interval ("
              + interval
              + "), was "
              + leaseTtl);
    }
    int attempts = settings.integer("alerts.retry.max_attempts", 6);
    if (attempts < 1 || attempts > 20) {
      throw new ConfigException(
          "alerts.retry.max_attempts must be between 1 and 20, was " + attempts);
    }
    Notifier.Backoff backoff =
        new Notifier.Backoff(
            attempts,
            settings.duration("alerts.retry.initial_backoff", Duration.ofSeconds(1)),
            settings.duration("alerts.retry.max_backoff", Duration.ofSeconds(60)));
    return new AlertSettings(
        settings.bool("alerts.enabled", true),
        interval,
        leaseTtl,
        Webhook.from(settings),
        backoff,
        settings.duration("alerts.webhook_timeout", Duration.ofSeconds(10)));
  }
}

package io.llmlog.server.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Delivers notifications to every webhook, in order, on one named daemon thread: a firing and its
 * resolve never overtake each other. A failed delivery (connection error, 429 or 5xx) is retried
 * with exponential backoff up to {@code maxAttempts}; other 4xx answers are not retried. The queue
 * is bounded; what does not fit is dropped and counted. Counters: {@code
 * llmlog.alerts.notifications{result=delivered|failed|dropped}}.
 */
final class Notifier implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(Notifier.class);
  static final int QUEUE_CAPACITY = 1_000;

  /** Waits between attempts; tests pass one that records instead of sleeping. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /** How often and how patiently a delivery is tried: delay n = min(max, initial × 2^(n-1)). */
  record Backoff(int maxAttempts, Duration initial, Duration max) {
    Duration delay(int failedAttempts) {
      long millis = initial.toMillis() << Math.min(30, failedAttempts - 1);
      return Duration.ofMillis(Math.min(max.toMillis(), millis));
    }
  }

  private final List<Webhook> webhooks;
  private final Backoff backoff;
  private final Duration timeout;
  private final ObjectMapper json;
  private final Sleeper sleeper;
  private final MeterRegistry meters;
  private final String server;
  private final HttpClient http;
  private final BlockingQueue<Notification> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private final Thread thread;
  private volatile boolean closed;

  Notifier(
      List<Webhook> webhooks,
      Backoff backoff,
      Duration timeout,
      ObjectMapper json,
      Sleeper sleeper,
      MeterRegistry meters,
      String server) {
    this.webhooks = List.copyOf(webhooks);
    this.backoff = backoff;
    this.timeout = timeout;
    this.json = json;
    this.sleeper = sleeper;
    this.meters = meters;
    this.server = server;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    this.thread = new Thread(this::run, "llmlog-alert-notifier");
    this.thread.setDaemon(true);
    if (!this.webhooks.isEmpty()) {
      this.thread.start();
    }
  }

  /** Queues notifications; never blocks. */
  void send(List<Notification> notifications) {
    if (webhooks.isEmpty()) {
      return;
    }
    for (Notification notification : notifications) {
      if (closed || !queue.offer(notification)) {
        meters
            .counter("llmlog.alerts.notifications", "result", "dropped")
            .increment(webhooks.size());
      }
    }
  }

  private void run() {
    while (!closed || !queue.isEmpty()) {
      Notification next;
      try {
        next = queue.poll(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (next == null) {
        continue;
      }
      for (Webhook webhook : webhooks) {
        try {
          deliver(webhook, next);
        } catch (InterruptedException e) {
          meters.counter("llmlog.alerts.notifications", "result", "dropped").increment();
          return;
        }
      }
    }
  }

  /**
   * Delivers one notification to one webhook, retrying as the backoff allows; true when delivered.
   */
  boolean deliver(Webhook webhook, Notification notification) throws InterruptedException {
    byte[] body;
    try {
      body = json.writeValueAsBytes(webhook.body(notification, server, json));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    String last = null;
    for (int attempt = 1; attempt <= backoff.maxAttempts(); attempt++) {
      if (attempt > 1) {
        sleeper.sleep(backoff.delay(attempt - 1));
      }
      HttpRequest.Builder request =
          HttpRequest.newBuilder(webhook.url())
              .timeout(timeout)
              .header("Content-Type", "application/json")
              .header("User-Agent", "llmlog-alerts")
              .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      webhook.headers().forEach(request::header);
      try {
        HttpResponse<Void> response =
            http.send(request.build(), HttpResponse.BodyHandlers.discarding());
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
          meters.counter("llmlog.alerts.notifications", "result", "delivered").increment();
          return true;
        }
        last = "HTTP " + status;
        if (status != 429 && status < 500) {
          break;
        }
      } catch (IOException e) {
        last = e.toString();
      }
    }
    meters.counter("llmlog.alerts.notifications", "result", "failed").increment();
    LOG.warn(
        "could not deliver the {} notification of alert {} to {}: {}",
        notification.status(),
        notification.alert(),
        webhook.url(),
        last);
    return false;
  }

  /** Stops taking notifications and delivers what is queued, waiting up to {@code deadline}. */
  void close(Duration deadline) {
    closed = true;
    if (!thread.isAlive()) {
      return;
    }
    try {
      thread.join(deadline.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      thread.interrupt();
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }
}

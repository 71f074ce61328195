package io.llmlog.client;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** {@link LlmLogger.Builder#summaryEvery}: a daemon thread that logs the counters in one line. */
final class SummaryLog {
  private SummaryLog() {}

  static Thread start(LlmLogger logger, Duration interval) {
    Thread thread =
        new Thread(
            () -> {
              try {
                while (!Thread.currentThread().isInterrupted()) {
                  TimeUnit.NANOSECONDS.sleep(interval.toNanos());
                  InternalLog.info(logger.summaryLine());
                }
              } catch (InterruptedException closed) {
                // close() ends the summaries.
              }
            },
            "llmlog-summary-" + logger.service());
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}

package io.llmlog.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmlog.core.LlmLogEntry;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An application that forgets {@code close()}: a real child JVM logs records and returns from
 * {@code main}; the shutdown hook sends them.
 */
class ShutdownHookIT {
  static final int RECORDS = 2000;

  /** The forgetful application: logs, never closes, exits. */
  public static void main(String[] args) {
    LlmLogger.Builder builder =
        LlmLogger.builder("forgetful")
            .noLines()
            .endpoint(URI.create(args[0]))
            .batchTimeout(
                java.time.Duration.ofSeconds(30)); // nothing is sent before exit but by the hook
    if (args.length > 1 && args[1].equals("no-hook")) {
      builder.shutdownHook(false);
    }
    LlmLogger logger = builder.build();
    for (int i = 0; i < RECORDS; i++) {
      logger.log(
          LlmLogEntry.builder().requestId("exit-" + i).model("gpt-4o").prompt("p" + i).build());
    }
  }

  @Test
  void exit_withoutClose_theHookFlushesEveryRecord() throws Exception {
    try (Receiver receiver = new Receiver()) {
      assertThat(runChild(receiver.uri(), "hook")).isZero();

      assertThat(receiver.lines("/api/v1/logs")).hasSize(RECORDS);
    }
  }

  @Test
  void exit_withoutCloseAndHookTurnedOff_recordsAreLost() throws Exception {
    try (Receiver receiver = new Receiver()) {
      assertThat(runChild(receiver.uri(), "no-hook")).isZero();

      assertThat(receiver.lines("/api/v1/logs")).isEmpty();
    }
  }

  private static int runChild(URI endpoint, String mode) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx256m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    ShutdownHookIT.class.getName(),
                    endpoint.toString(),
                    mode))
            .inheritIO()
            .start();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return child.exitValue();
  }
}

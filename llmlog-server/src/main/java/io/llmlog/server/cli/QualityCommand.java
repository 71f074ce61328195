package io.llmlog.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./llmlog quality}: work with the quality evaluators of a running server. */
@Command(
    name = "quality",
    header = "Score past calls with an evaluator.",
    mixinStandardHelpOptions = true,
    subcommands = {QualityCommand.Run.class})
final class QualityCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * {@code ./llmlog quality run}: the server scores the calls of a window with one evaluator; this
   * shows its progress and a summary. The run keeps a checkpoint in the engine after every page of
   * calls, so after a crash, a stop or Ctrl-C the same command continues where it stopped.
   */
  @Command(
      name = "run",
      header = "Score the calls of a time window with an evaluator, with progress; resumable.",
      mixinStandardHelpOptions = true,
      description = {
        "Asks the server to score past calls with one of its evaluators (quality.evaluators in llmlog.yaml)",
        "and shows the progress. Calls the evaluator already scored are skipped. Ctrl-C stops the run after",
        "the calls in hand; the same command again continues where it stopped (the checkpoint is kept in the",
        "engine, in the llmlog-quality-state index), on any server of the cluster.",
        "",
        "  ./llmlog quality run --evaluator relevance --from now-7d",
        "  ./llmlog quality run --evaluator json_valid --from now-24h --q 'service:checkout'",
        ""
      })
  static final class Run implements Callable<Integer> {
    static final Set<String> FINAL = Set.of("done", "stopped", "failed");

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--evaluator",
        required = true,
        paramLabel = "NAME",
        description = "the evaluator to score with")
    String evaluator;

    @Option(
        names = "--from",
        required = true,
        paramLabel = "TIME",
        description = "earliest call time: ISO-8601 or date math such as now-7d")
    String from;

    @Option(
        names = "--to",
        paramLabel = "TIME",
        description = "latest call time (default: now, when the run first starts)")
    String to;

    @Option(
        names = {"--q", "--query"},
        paramLabel = "KQL",
        description = "only the calls matching this KQL")
    String query;

    @Option(
        names = "--poll",
        paramLabel = "DURATION",
        defaultValue = "1s",
        hidden = true,
        description = "how often to ask for progress")
    String poll;

    @Mixin ServerConnection connection;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      ApiClient client = connection.client();
      ObjectNode body = ApiClient.JSON.createObjectNode();
      body.put("evaluator", evaluator);
      body.put("from", from);
      if (to != null) {
        body.put("to", to);
      }
      if (query != null) {
        body.put("q", query);
      }
      long started = System.nanoTime();
      JsonNode status = client.post("/api/v1/quality/runs", body, Duration.ofSeconds(60));
      String id = status.path("id").asText();
      out.printf(
          "run %s: %s over %s .. %s%s%s%n",
          id,
          evaluator,
          status.path("from").asText(),
          status.path("to").asText(),
          query == null ? "" : " where " + query,
          status.path("scanned").asLong() > 0
              ? " (continuing: " + status.path("scanned").asLong() + " calls done)"
              : "");
      out.flush();
      AtomicBoolean interrupted = new AtomicBoolean();
      Thread stopper =
          new Thread(
              () -> {
                interrupted.set(true);
                try {
                  client.post(
                      "/api/v1/quality/runs/" + id + "/stop",
                      ApiClient.JSON.createObjectNode(),
                      Duration.ofSeconds(10));
                } catch (RuntimeException ignored) {
                  // The server went away too: the checkpoint it saved is where the next run
                  // continues.
                }
                out.printf("%nstopping; run the same command again to continue%n");
                out.flush();
              },
              "llmlog-quality-stop");
      Runtime.getRuntime().addShutdownHook(stopper);
      long pollMillis = io.llmlog.server.config.Units.parseDuration(poll).toMillis();
      boolean terminal = System.console() != null;
      long lastLine = 0;
      try {
        while (!FINAL.contains(status.path("state").asText())) {
          Thread.sleep(pollMillis);
          status = client.get("/api/v1/quality/runs/" + id, Map.of());
          if (terminal) {
            out.print("\r" + bar(status));
            out.flush();
          } else if (System.nanoTime() - lastLine > 5_000_000_000L) {
            out.println(bar(status));
            out.flush();
            lastLine = System.nanoTime();
          }
        }
      } finally {
        if (!interrupted.get()) {
          Runtime.getRuntime().removeShutdownHook(stopper);
        }
      }
      if (terminal) {
        out.println();
      }
      out.println(bar(status));
      out.printf(
          Locale.ROOT,
          "%s in %.1f s: %,d calls looked at, %,d scored, %,d skipped (already scored, not selected or not applicable), %,d failed%n",
          status.path("state").asText(),
          (System.nanoTime() - started) / 1e9,
          status.path("scanned").asLong(),
          status.path("scored").asLong(),
          status.path("skipped").asLong(),
          status.path("failed").asLong());
      if (status.has("error")) {
        out.println("error: " + status.path("error").asText());
      }
      out.flush();
      return status.path("state").asText().equals("done") ? 0 : 1;
    }

    static String bar(JsonNode status) {
      long total = status.path("total").asLong(-1);
      long scanned = status.path("scanned").asLong();
      int width = 30;
      double share = total > 0 ? Math.min(1, scanned / (double) total) : 0;
      int filled = (int) Math.round(share * width);
      return String.format(
          Locale.ROOT,
          "[%s%s] %3.0f%% %,d/%s calls · %,d scored · %,d skipped · %,d failed",
          "#".repeat(filled),
          ".".repeat(width - filled),
          share * 100,
          scanned,
          total >= 0 ? String.format(Locale.ROOT, "%,d", total) : "?",
          status.path("scored").asLong(),
          status.path("skipped").asLong(),
          status.path("failed").asLong());
    }
  }
}

package io.llmlog.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RulesCommandTest extends CommandLineTestBase {
  @Test
  void check_malformedRules_exitsNonZeroNamingRuleLineAndReason() throws IOException {
    Path file = dir.resolve("rules.yaml");
    Files.writeString(
        file,
        """
        - alert: HighErrorRate
          condition: count(errors) / count(all) > 0.05
          window: 5m
          severity: critical
        - alert: SlowP95
          condition: p95(latency_ms) > 10000
          window: 10m
        - alert: BadWindow
          condition: percentile(latency_ms, 95) > 10000
          window: ten minutes
        - alert: UnknownField
          condition: avg(latency) > 5000
          window: 5m
        """);

    int exit = run("rules", "check", file.toString());

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString())
        .contains(
            file
                + ":6: rule 'SlowP95': condition: unknown function 'p95' (functions: count, sum, avg, min, max, percentile) at column 1",
            file
                + ":10: rule 'BadWindow': window 'ten minutes' is not a duration such as 5m, 10m or 1h",
            file + ":12: rule 'UnknownField': condition: unknown field 'latency' (numeric fields: ",
            "3 problems; the server refuses to start with these rules");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void check_validRules_exitsZeroWithASummary() throws IOException {
    Path file = dir.resolve("rules.yaml");
    Files.writeString(
        file,
        """
        - alert: HighErrorRate
          condition: count(errors) / count(all) > 0.05
          window: 5m
          severity: critical
        - alert: SlowInference
          condition: percentile(latency_ms, 95) > 10000
          window: 10m
          severity: warning
        """);

    int exit = run("rules", "check", file.toString());

    assertThat(exit).isZero();
    assertThat(out.toString())
        .startsWith(file + ": 2 rules, all valid")
        .contains("HighErrorRate [critical]", "SlowInference [warning]");
  }

  @Test
  void check_missingFile_exitsNonZero() {
    assertThat(run("rules", "check", dir.resolve("nope.yaml").toString())).isEqualTo(1);
    assertThat(err.toString()).contains("does not exist");
  }
}

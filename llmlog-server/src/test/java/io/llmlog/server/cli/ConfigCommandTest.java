package io.llmlog.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigCommandTest extends CommandLineTestBase {
  @Test
  void check_typos_exitsOneNamingEachWithLineAndSuggestion() throws IOException {
    Path file = dir.resolve("llmlog.yaml");
    Files.writeString(
        file,
        """
        limits:
          max_body_byte: 1MB
        alerts:
          evaluation_interval: 30s
          webhooks:
            - url: https://hooks.slack.com/services/T0/B0/SECRETTOKEN
              formt: slack
        """);

    int exit = run("config", "check", file.toString());

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString())
        .contains(
            file
                + ":2: limits.max_body_byte is not a limits setting; did you mean limits.max_body_bytes?",
            file
                + ":7: alerts.webhooks[0].formt is not an alerts setting; did you mean alerts.webhooks[0].format?",
            "2 problems; the server refuses to start with it");
    assertThat(err.toString()).doesNotContain("SECRETTOKEN");
  }

  @Test
  void check_validFile_exitsZero() throws IOException {
    Path file = dir.resolve("llmlog.yaml");
    Files.writeString(
        file, "server:\n  port: 8081\nlifecycle:\n  logs: {warm_after: 7d, cold_after: 30d}\n");

    assertThat(run("config", "check", file.toString())).isEqualTo(0);
    assertThat(out.toString()).contains(file + ": valid");
  }

  @Test
  void show_everySetting_withItsOrigin_secretsMasked() throws IOException {
    Path file = dir.resolve("llmlog.yaml");
    Files.writeString(
        file,
        """
        engine:
          url: http://es1:9200
          username: llmlog
          password: hunter2-engine-password
        auth:
          api_keys:
            - {key: 0123456789abcdef-secret-key, role: admin}
        alerts:
          webhooks:
            - url: https://hooks.slack.com/services/T0/B0/SECRETTOKEN
              format: slack
              headers: {Authorization: Bearer header-secret}
        """);

    int exit = run("config", "show", "--config", file.toString(), "--port", "0");

    assertThat(exit).as(err.toString()).isEqualTo(0);
    String shown = out.toString();
    assertThat(shown)
        .containsPattern("engine\\.password +\\*\\*\\*\\* +file")
        .containsPattern("auth\\.api_keys\\[0\\]\\.key +\\*\\*\\*\\* +file")
        .containsPattern(
            "alerts\\.webhooks\\[0\\]\\.url +https://hooks\\.slack\\.com/\\*\\*\\*\\* +file")
        .containsPattern("alerts\\.webhooks\\[0\\]\\.format +slack +file")
        .containsPattern("server\\.port +0 +option")
        .containsPattern("limits\\.max_body_bytes +10485760 +default")
        .containsPattern("lifecycle\\.logs\\.warm_after +30d +default");
    assertThat(shown).doesNotContain("hunter2", "secret-key", "SECRETTOKEN", "header-secret");
  }
}

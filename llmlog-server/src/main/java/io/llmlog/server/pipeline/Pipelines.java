package io.llmlog.server.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.server.config.Settings;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;

/** Builds the pipelines from configuration. */
public final class Pipelines {
  private Pipelines() {}

  /**
   * The call pipeline: the brief's Logstash stage done once — parse a shipped JSON line, flatten the
   * brief's nesting, read the time, derive totals and rates.
   */
  public static Pipeline calls(Settings settings, ObjectMapper json, Clock clock) {
    return new Pipeline(List.of(
        new JsonFilter(json, "message", null),
        new FlattenFilter(),
        new DateFilter(List.of("timestamp", "@timestamp"), ZoneOffset.UTC, clock),
        new DeriveFilter()));
  }

  /** The quality pipeline: quality records only need their time read. */
  public static Pipeline quality(Settings settings, Clock clock) {
    return new Pipeline(List.of(new DateFilter(List.of("timestamp", "@timestamp"), ZoneOffset.UTC, clock)));
  }
}

package io.llmlog.server.otlp;

import io.llmlog.server.config.ConfigException;
import io.llmlog.server.config.Settings;
import java.util.Locale;

/**
 * The {@code otlp:} section of {@code llmlog.yaml}. (The dedicated listener's port is {@code
 * server.otlp_port}, beside the other ports.)
 *
 * <pre>
 * otlp:
 *   keep: genai        # genai | genai_traces | all
 * </pre>
 *
 * @param keep which spans that are not model calls are stored as steps
 */
public record OtlpSettings(Keep keep) {
  /** Which spans become steps; model calls are always stored. */
  public enum Keep {
    /**
     * GenAI steps (agents, tools, retrievals, workflows) and the spans that parent a model call or
     * a GenAI step.
     */
    GENAI,
    /** Also every other span of a trace that has a GenAI span. */
    GENAI_TRACES,
    /** Every span. */
    ALL
  }

  public static final OtlpSettings DEFAULTS = new OtlpSettings(Keep.GENAI);

  /**
   * @throws ConfigException naming the key and what would be valid, or an unknown key with the
   *     nearest one
   */
  public static OtlpSettings from(Settings settings) {
    String keep = settings.string("otlp.keep", "genai").trim().toLowerCase(Locale.ROOT);
    OtlpSettings read =
        switch (keep) {
          case "genai" -> new OtlpSettings(Keep.GENAI);
          case "genai_traces" -> new OtlpSettings(Keep.GENAI_TRACES);
          case "all" -> new OtlpSettings(Keep.ALL);
          default ->
              throw settings.invalid(
                  "otlp.keep",
                  keep,
                  "genai (model calls and GenAI steps), genai_traces (and every span of their traces) or all (every span)");
        };
    settings.rejectUnknown("otlp");
    return read;
  }
}

package io.llmlog.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.server.alert.AlertRules;
import io.llmlog.server.alert.AlertSettings;
import io.llmlog.server.alert.RulesException;
import io.llmlog.server.config.ConfigException;
import io.llmlog.server.config.LlmlogConfig;
import io.llmlog.server.config.Settings;
import io.llmlog.server.gateway.GatewaySettings;
import io.llmlog.server.lifecycle.LifecycleSettings;
import io.llmlog.server.live.LiveSettings;
import io.llmlog.server.otlp.OtlpSettings;
import io.llmlog.server.pipeline.Pipelines;
import io.llmlog.server.quality.QualitySettings;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Every section of llmlog's configuration, read and checked before anything starts: each capability
 * reads its own section (declaring its keys as it reads them), then whatever the file holds, or an
 * {@code LLMLOG_*} environment variable names, that no section declared is refused. A new section
 * is one line in {@link #SECTIONS}.
 */
public final class ServerSettings {
  /**
   * A section: the top-level keys it owns, and how it is read (from the settings and the sections
   * before it).
   */
  private record Section(List<String> keys, Consumer<ServerSettings> read) {}

  private static final List<Section> SECTIONS =
      List.of(
          new Section(LlmlogConfig.SECTIONS, s -> s.config = LlmlogConfig.from(s.settings)),
          new Section(List.of("live"), s -> s.live = LiveSettings.from(s.settings)),
          new Section(
              List.of("alerts"),
              s -> {
                s.rules = AlertRules.load(s.settings, s.live());
                s.alerts = AlertSettings.from(s.settings);
              }),
          new Section(
              List.of("lifecycle"),
              s -> s.lifecycle = LifecycleSettings.from(s.settings, s.dataDir(), s.embedded())),
          new Section(List.of("otlp"), s -> s.otlp = OtlpSettings.from(s.settings)),
          new Section(List.of("gateway"), s -> s.gateway = GatewaySettings.from(s.settings)),
          new Section(List.of("quality"), s -> s.quality = QualitySettings.from(s.settings)),
          // Built here to check it; the server builds it again once the store its sampling asks
          // exists.
          new Section(
              List.of("pipeline"),
              s ->
                  Pipelines.build(
                      s.settings, new ObjectMapper(), Clock.systemUTC(), requestId -> false)));

  private final Settings settings;
  private LlmlogConfig config;
  private LiveSettings live;
  private AlertRules rules;
  private AlertSettings alerts;
  private LifecycleSettings lifecycle;
  private OtlpSettings otlp;
  private GatewaySettings gateway;
  private QualitySettings quality;

  private ServerSettings(Settings settings, LlmlogConfig config) {
    this.settings = settings;
    this.config = config;
  }

  /**
   * Reads every section of a configuration whose own sections ({@code server}, {@code engine}, ...)
   * were read already, and refuses unknown keys and variables.
   *
   * @throws ConfigException for the first section that cannot be read, or listing the unknown keys
   * @throws RulesException listing every problem of the alert rules
   */
  public static ServerSettings read(LlmlogConfig config) {
    ServerSettings read = new ServerSettings(config.settings(), config);
    for (Section section : SECTIONS.subList(1, SECTIONS.size())) {
      section.read().accept(read);
    }
    config.settings().rejectUnknown();
    return read;
  }

  /**
   * Everything wrong with a configuration, for {@code ./llmlog config check}: each section's first
   * problem (all of them for alert rules), then every unknown key outside the sections that failed
   * (a section that stopped early has not declared its later keys), then every unknown variable.
   */
  public static List<String> problems(Settings settings) {
    ServerSettings read = new ServerSettings(settings, null);
    List<String> problems = new ArrayList<>();
    Set<String> failed = new HashSet<>();
    for (Section section : SECTIONS) {
      try {
        section.read().accept(read);
      } catch (ConfigException | RulesException e) {
        problems.add(e.getMessage());
        failed.addAll(section.keys());
      }
    }
    for (Settings.UnknownKey unknown : settings.unknownKeys("")) {
      if (!failed.contains(unknown.path().split("[.\\[]", 2)[0])) {
        problems.add(
            (unknown.line() > 0 ? settings.source() + ":" + unknown.line() + ": " : "")
                + unknown.message());
      }
    }
    problems.addAll(settings.unknownVariables());
    problems.addAll(settings.unknownOptions());
    return problems;
  }

  public LlmlogConfig config() {
    return config;
  }

  public LiveSettings live() {
    return live == null ? LiveSettings.defaults() : live;
  }

  public AlertRules rules() {
    return rules;
  }

  public AlertSettings alerts() {
    return alerts;
  }

  public LifecycleSettings lifecycle() {
    return lifecycle;
  }

  public OtlpSettings otlp() {
    return otlp;
  }

  public GatewaySettings gateway() {
    return gateway;
  }

  public QualitySettings quality() {
    return quality;
  }

  private Path dataDir() {
    return config == null ? Path.of("./data") : config.server().dataDir();
  }

  private boolean embedded() {
    return config == null || config.engine().embedded();
  }
}

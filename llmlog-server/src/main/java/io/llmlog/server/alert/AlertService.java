package io.llmlog.server.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.core.Timestamps;
import io.llmlog.server.config.Settings;
import io.llmlog.server.live.LiveAggregates;
import io.llmlog.server.live.ViewSpec;
import io.llmlog.server.store.LogStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Evaluates the alert rules every {@code alerts.evaluation_interval} of the injected {@link Clock}
 * and notifies. Each evaluation, on every server: publish this server's live rollups; read the
 * lease. The server that holds the lease (or finds it expired) merges all servers' rollups over the
 * rules' windows, runs the {@link Evaluator}, and commits the new states by replacing the lease
 * conditionally; only if that write wins does it record the transitions in {@code llm-alerts-*},
 * log them and send notifications. So with any number of servers on one engine each transition is
 * notified once, and a standby takes over when the lease expires.
 *
 * <p>The loop polls the clock a few times a second (real time) and evaluates when an interval of
 * the clock has passed, so tests drive it with a clock they move.
 */
public final class AlertService implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(AlertService.class);
  private static final Duration ROLLUP_CLEANUP = Duration.ofHours(1);

  private final AlertSettings settings;
  private final List<Rule> rules;
  private final Map<String, ViewSpec> viewOfRule;
  private final ScoreRules.Windows scoreWindows;
  private final LiveAggregates live;
  private final LeaseStore leases;
  private final AlertHistory history;
  private final Notifier notifier;
  private final Evaluator evaluator = new Evaluator();
  private final Clock clock;
  private final String server;
  private final Thread thread;
  private volatile boolean closed;
  private volatile Status status;
  private Instant nextDue;
  private Instant nextCleanup;
  private boolean failing;
  private boolean leaseIndexReady;

  /** What the API shows: the instances as the leader last committed them, and who evaluates. */
  private record Status(
      String role,
      String leader,
      Instant lastRun,
      Instant evaluatedAt,
      Map<String, Instance> instances,
      String error) {}

  private AlertService(
      AlertSettings settings,
      AlertRules rules,
      LiveAggregates live,
      LogStore store,
      ObjectMapper json,
      Clock clock,
      MeterRegistry meters) {
    this.settings = settings;
    this.rules = rules.rules();
    this.live = live;
    this.leases = new LeaseStore(store, json);
    this.history = new AlertHistory(store, json);
    this.clock = clock;
    this.server = live.serverId();
    this.viewOfRule = new LinkedHashMap<>();
    this.scoreWindows = new ScoreRules.Windows(store.scoreAggregations());
    for (Rule rule : this.rules) {
      if (ScoreRules.isScoreRule(rule.condition())) {
        continue;
      }
      ViewSpec view =
          live.views().stream()
              .filter(v -> v.serves(rule.filter(), rule.groupBy()))
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("no live view for rule " + rule.name()));
      viewOfRule.put(rule.name(), view);
    }
    this.notifier =
        new Notifier(
            settings.webhooks(),
            settings.backoff(),
            settings.webhookTimeout(),
            json,
            duration -> Thread.sleep(duration),
            meters,
            server);
    this.status = new Status("starting", null, null, null, Map.of(), null);
    Gauge.builder(
            "llmlog.alerts.firing",
            this,
            service ->
                service.status.instances().values().stream()
                    .filter(instance -> instance.state() == AlertState.FIRING)
                    .count())
        .description("Alert instances firing")
        .register(meters);
    this.thread = new Thread(this::run, "llmlog-alerts");
    this.thread.setDaemon(true);
  }

  /**
   * The alerting of a server, not yet evaluating.
   *
   * @throws io.llmlog.server.config.ConfigException for bad {@code alerts.*} settings
   */
  public static AlertService create(
      Settings config,
      AlertRules rules,
      LiveAggregates live,
      LogStore store,
      ObjectMapper json,
      Clock clock,
      MeterRegistry meters) {
    return new AlertService(AlertSettings.from(config), rules, live, store, json, clock, meters);
  }

  /**
   * Starts evaluating once the store is ready, unless {@code alerts.enabled} is false (then the API
   * shows the rules only).
   */
  public void start() {
    if (settings.enabled()) {
      thread.start();
    } else {
      status = new Status("disabled", null, null, null, Map.of(), null);
    }
  }

  private void run() {
    nextDue = clock.instant();
    long poll = Math.min(250, settings.interval().toMillis());
    while (!closed) {
      Instant now = clock.instant();
      if (!now.isBefore(nextDue)) {
        nextDue = now.plus(settings.interval());
        tick(now);
      }
      try {
        Thread.sleep(poll);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** One evaluation at {@code now}; never throws. */
  void tick(Instant now) {
    try {
      live.publish();
      if (!leaseIndexReady) {
        leases.ensureIndex();
        leaseIndexReady = true;
      }
      LeaseStore.Lease lease = leases.read();
      boolean mine = lease != null && lease.holder().equals(server);
      if (lease != null && !mine && lease.expiresAt().isAfter(now)) {
        status =
            new Status(
                "standby",
                lease.holder(),
                now,
                lease.evaluatedAt(),
                byKey(lease.instances()),
                null);
        recovered();
        return;
      }
      Map<String, Instance> previous = lease == null ? Map.of() : byKey(lease.instances());
      int lookBack = rules.stream().mapToInt(Rule::windowMinutes).max().orElse(1);
      LiveAggregates.Snapshot snapshot = live.snapshot(lookBack, true);
      Evaluator.Outcome outcome =
          evaluator.evaluate(
              rules,
              rule ->
                  viewOfRule.containsKey(rule.name())
                      ? snapshot.window(
                          viewOfRule.get(rule.name()),
                          rule.groupBy().isEmpty(),
                          rule.windowMinutes())
                      : scoreWindows.window(rule, now),
              previous,
              now);
      if (!leases.write(
          lease, server, now.plus(settings.leaseTtl()), now, outcome.instances().values())) {
        // Another server's write came first: it evaluates; show what it committed.
        LeaseStore.Lease winner = leases.read();
        status =
            winner == null
                ? new Status("standby", null, now, status.evaluatedAt(), status.instances(), null)
                : new Status(
                    "standby",
                    winner.holder(),
                    now,
                    winner.evaluatedAt(),
                    byKey(winner.instances()),
                    null);
        return;
      }
      if (!mine) {
        LOG.info(
            "this server ({}) now evaluates the alert rules{}",
            server,
            lease == null ? "" : " (taking over from " + lease.holder() + ")");
      }
      log(outcome);
      notifier.send(outcome.notifications());
      status = new Status("leader", server, now, now, outcome.instances(), null);
      recovered();
      try {
        history.record(outcome.transitions(), server);
      } catch (RuntimeException e) {
        LOG.warn(
            "could not record {} alert transitions in the history: {}",
            outcome.transitions().size(),
            e.getMessage());
      }
      if (nextCleanup == null || !now.isBefore(nextCleanup)) {
        nextCleanup = now.plus(ROLLUP_CLEANUP);
        live.deleteRollupsBefore(now.minus(Duration.ofDays(1)));
      }
    } catch (RuntimeException e) {
      Status last = status;
      status =
          new Status(
              last.role(),
              last.leader(),
              now,
              last.evaluatedAt(),
              last.instances(),
              e.getMessage());
      if (!failing) {
        LOG.warn(
            "alert evaluation failed (rules are not evaluated until the search engine answers again): {}",
            e.toString());
        failing = true;
      } else {
        LOG.debug("alert evaluation failed again: {}", e.toString());
      }
    }
  }

  private void recovered() {
    if (failing) {
      LOG.info("alert evaluation works again");
      failing = false;
    }
  }

  private void log(Evaluator.Outcome outcome) {
    for (Notification n : outcome.notifications()) {
      if (n.firing()) {
        LOG.warn(
            "ALERT {} {}{} [{}] value={} threshold={} labels={}: {}",
            n.alert(),
            n.repeat() ? "still " : "",
            "firing",
            n.severity(),
            Template.number(n.value()),
            Template.number(n.threshold()),
            n.labels(),
            n.summary());
      } else {
        LOG.info(
            "ALERT {} resolved [{}] value={} labels={}: {}",
            n.alert(),
            n.severity(),
            Template.number(n.value()),
            n.labels(),
            n.summary());
      }
    }
  }

  private static Map<String, Instance> byKey(List<Instance> instances) {
    Map<String, Instance> map = new LinkedHashMap<>();
    instances.forEach(instance -> map.put(instance.key(), instance));
    return map;
  }

  /**
   * What {@code GET /api/v1/alerts} shows: the rules, each with its state, value, threshold and
   * instances.
   */
  public AlertsOverview overview() {
    Status current = status;
    AlertsOverview.Evaluation evaluation =
        new AlertsOverview.Evaluation(
            settings.interval(),
            server,
            current.role(),
            current.leader(),
            current.lastRun(),
            current.evaluatedAt(),
            current.error(),
            settings.webhooks().size());
    List<AlertsOverview.RuleState> states = new ArrayList<>();
    for (Rule rule : rules) {
      List<Instance> instances =
          current.instances().values().stream().filter(i -> i.rule().equals(rule.name())).toList();
      AlertState worst =
          instances.stream()
              .map(Instance::state)
              .max(AlertService::severityOrder)
              .orElse(AlertState.INACTIVE);
      Instance single = rule.groupBy().isEmpty() && instances.size() == 1 ? instances.get(0) : null;
      List<AlertsOverview.InstanceState> instanceStates = new ArrayList<>();
      for (Instance instance : instances) {
        instanceStates.add(
            new AlertsOverview.InstanceState(
                instance.labels(),
                instance.state().text(),
                instance.activeSince(),
                instance.firedAt(),
                instance.resolvedAt(),
                instance.lastNotified(),
                instance.value(),
                instance.threshold(),
                instance.calls(),
                instance.evaluatedAt(),
                since(instance),
                Evaluator.summary(rule, instance)));
      }
      states.add(
          new AlertsOverview.RuleState(
              rule.name(),
              rule.condition().text(),
              rule.windowText(),
              rule.severity(),
              rule.filter(),
              rule.groupBy(),
              rule.pendingFor(),
              rule.minCount(),
              rule.labels(),
              rule.summary() == null ? null : rule.summary().text(),
              rule.repeatInterval(),
              rule.origin(),
              worst.text(),
              single == null ? Double.NaN : single.value(),
              single != null && !Double.isNaN(single.threshold())
                  ? single.threshold()
                  : threshold(rule),
              single == null ? null : since(single),
              instanceStates));
    }
    return new AlertsOverview(evaluation, states);
  }

  /** The threshold when it is a constant, for rules that were never evaluated. */
  private static double threshold(Rule rule) {
    return rule.condition().right() instanceof Condition.Number number
        ? number.number()
        : Double.NaN;
  }

  private static int severityOrder(AlertState left, AlertState right) {
    return Integer.compare(rank(left), rank(right));
  }

  private static int rank(AlertState state) {
    return switch (state) {
      case INACTIVE -> 0;
      case RESOLVED -> 1;
      case PENDING -> 2;
      case FIRING -> 3;
    };
  }

  private static Instant since(Instance instance) {
    return switch (instance.state()) {
      case PENDING, FIRING -> instance.activeSince();
      case RESOLVED -> instance.resolvedAt();
      case INACTIVE -> null;
    };
  }

  /** A page of alert transitions for {@code GET /api/v1/alerts/history}, newest first. */
  public AlertsOverview.History history(
      String alert, String state, String from, String to, int size) {
    return history.search(alert, state, from, to, size);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      live.publish();
    } catch (RuntimeException e) {
      LOG.debug("could not publish the last live rollups: {}", e.toString());
    }
    release();
    notifier.close(Duration.ofSeconds(5));
  }

  /** Hands the lease back on a clean stop, so that a standby takes over at its next evaluation. */
  private void release() {
    if (!"leader".equals(status.role())) {
      return;
    }
    try {
      LeaseStore.Lease lease = leases.read();
      if (lease != null && lease.holder().equals(server)) {
        Instant now = clock.instant();
        leases.write(lease, server, now, lease.evaluatedAt(), lease.instances());
        LOG.info("released the alert evaluation lease");
      }
    } catch (RuntimeException e) {
      LOG.debug("could not release the alert lease; it expires by itself: {}", e.toString());
    }
  }

  @Override
  public String toString() {
    return "AlertService["
        + rules.size()
        + " rules, "
        + status.role()
        + ", at "
        + (status.lastRun() == null ? "-" : Timestamps.format(status.lastRun()))
        + "]";
  }
}

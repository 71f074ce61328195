package io.llmlog.bench.sdk;

import io.llmlog.client.DropReason;
import io.llmlog.client.LlmLogger;
import io.llmlog.client.ReporterMetrics;
import io.llmlog.core.LlmLogEntry;
import io.llmlog.core.codec.LlmLogJson;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What {@code LlmLogger.log()} costs the caller's thread, next to what a user pays with Log4j2's
 * all-async loggers (LMAX disruptor) when they build the JSON line themselves, as the brief's
 * Python logger does ({@code logger.info(json.dumps(record))}).
 *
 * <p>The record is the brief's example with a 4 KB prompt. Both sides hand the record to a
 * background thread whose sink counts and discards: llmlog's reporter encodes the brief's line
 * there; Log4j2's appender gets the ready string.
 *
 * <p>Two loads. Unpaced ({@code *_saturated}), the caller logs as fast as it can, faster than any
 * background thread can encode 4 KB records, so the queues fill: llmlog then drops (counted, as
 * {@code queue_full}) and Log4j2 is set to discard too ({@code
 * log4j2.asyncQueueFullPolicy=Discard}) instead of blocking. Paced ({@code *_paced}), an untimed
 * setup burns about 40 µs of CPU before each call (some 20,000 calls a second, still far above a
 * real application's LLM call rate), so that the background thread can keep up and calls take the
 * enqueue path. Each fork prints what its background thread delivered and dropped.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class LoggerBenchmark {
  static final String SERVICE = "llm-inference";
  static final String LOG4J_ASYNC =
      "-Dlog4j2.contextSelector=org.apache.logging.log4j.core.async.AsyncLoggerContextSelector";
  static final String LOG4J_DISCARD = "-Dlog4j2.asyncQueueFullPolicy=Discard";

  /** The brief's example with a 4 KB prompt. */
  @State(Scope.Benchmark)
  public static class Record {
    LlmLogEntry entry;

    @Setup
    public void setUp() {
      StringBuilder prompt = new StringBuilder("解释机器学习的基本概念。");
      while (prompt.length() < 4096) {
        prompt.append(
            "Explain the basic concepts of machine learning, with examples and the maths behind them. ");
      }
      entry =
          io.llmlog.core.testing.BriefExample.entry().toBuilder()
              .prompt(prompt.substring(0, 4096))
              .build();
    }
  }

  /** An llmlog logger with its default bounds whose lines are counted and discarded. */
  @State(Scope.Benchmark)
  public static class Llmlog {
    final LongAdder lines = new LongAdder();
    LlmLogger logger;

    @Setup
    public void setUp() {
      logger = LlmLogger.builder(SERVICE).lines(line -> lines.increment()).build();
    }

    @TearDown
    public void tearDown() {
      logger.close(Duration.ofSeconds(30));
      ReporterMetrics metrics = logger.lineMetrics();
      System.out.printf(
          "%n[llmlog] logged=%d delivered=%d (%.1f%%) dropped queue_full=%d shutdown=%d; lines written=%d%n",
          metrics.logged(),
          metrics.delivered(),
          100.0 * metrics.delivered() / Math.max(1, metrics.logged()),
          metrics.dropped(DropReason.QUEUE_FULL),
          metrics.dropped(DropReason.SHUTDOWN),
          lines.sum());
    }
  }

  /** A Log4j2 async logger (AsyncLoggerContextSelector) whose appender counts and discards. */
  @State(Scope.Benchmark)
  public static class Log4j {
    LoggerContext context;
    CountingAppender appender;
    Logger logger;
    long calls;

    @Setup
    public void setUp() {
      ConfigurationBuilder<BuiltConfiguration> builder =
          ConfigurationBuilderFactory.newConfigurationBuilder();
      builder.setStatusLevel(org.apache.logging.log4j.Level.WARN);
      builder.add(builder.newRootLogger(org.apache.logging.log4j.Level.INFO));
      context = Configurator.initialize(builder.build());
      appender = new CountingAppender();
      appender.start();
      context.getConfiguration().addAppender(appender);
      context
          .getConfiguration()
          .getRootLogger()
          .addAppender(appender, org.apache.logging.log4j.Level.INFO, null);
      context.updateLoggers();
      logger = context.getLogger("bench");
      if (!logger.getClass().getName().endsWith("AsyncLogger")) {
        throw new IllegalStateException(
            "not an async logger: " + logger.getClass().getName() + "; run with " + LOG4J_ASYNC);
      }
    }

    @TearDown
    public void tearDown() {
      Configurator.shutdown(context, 30, TimeUnit.SECONDS);
      System.out.printf(
          "%n[log4j2] calls=%d appended=%d (%.1f%%)%n",
          calls, appender.appended.sum(), 100.0 * appender.appended.sum() / Math.max(1, calls));
    }
  }

  /**
   * Burns about 40 µs of CPU before each call, outside the measurement (JMH then timestamps every
   * call, which adds some 20-30 ns to each measured call).
   */
  @State(Scope.Thread)
  public static class Pace {
    @Setup(Level.Invocation)
    public void pace() {
      Blackhole.consumeCPU(16_000);
    }
  }

  @Benchmark
  public void llmlog_saturated(Llmlog llmlog, Record record) {
    llmlog.logger.log(record.entry);
  }

  @Benchmark
  public void llmlog_paced(Llmlog llmlog, Record record, Pace pace) {
    llmlog.logger.log(record.entry);
  }

  /**
   * What a user measures in an application: four threads logging on two cores, each pacing itself
   * as above, so that callers and the reporter thread compete for cores as they do in a busy
   * service.
   */
  @Benchmark
  @Threads(4)
  public void llmlog_paced_4threads(Llmlog llmlog, Record record, Pace pace) {
    llmlog.logger.log(record.entry);
  }

  @Benchmark
  @Fork(
      value = 1,
      jvmArgsAppend = {"-Xms2g", "-Xmx2g", LOG4J_ASYNC, LOG4J_DISCARD})
  public void log4j2Async_saturated(Log4j log4j, Record record) {
    log4j.calls++;
    log4j.logger.info(LlmLogJson.briefLine(record.entry, SERVICE));
  }

  @Benchmark
  @Fork(
      value = 1,
      jvmArgsAppend = {"-Xms2g", "-Xmx2g", LOG4J_ASYNC, LOG4J_DISCARD})
  public void log4j2Async_paced(Log4j log4j, Record record, Pace pace) {
    log4j.calls++;
    log4j.logger.info(LlmLogJson.briefLine(record.entry, SERVICE));
  }

  /** Counts what reaches it; stands in for Log4j2's NullAppender. */
  static final class CountingAppender extends AbstractAppender {
    final LongAdder appended = new LongAdder();

    CountingAppender() {
      super("counting", null, null, true, Property.EMPTY_ARRAY);
    }

    @Override
    public void append(LogEvent event) {
      appended.increment();
    }
  }
}

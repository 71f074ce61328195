package io.llmlog.spring.boot;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The {@code llmlog.*} properties: where the calls go, under which service, how they are sampled
 * and redacted, and the bounds of the SDK's queue. Two are enough to start: {@code llmlog.endpoint}
 * and {@code llmlog.service}.
 */
@ConfigurationProperties(prefix = "llmlog")
public class LlmlogProperties {
  /** Whether Spring AI and LangChain4j calls are logged at all. */
  private boolean enabled = true;

  /**
   * The llmlog server, such as http://localhost:8080. Without it, calls are only written as JSON
   * log lines.
   */
  private URI endpoint;

  /** An llmlog API key with the ingest role, sent as "Authorization: ApiKey <key>". */
  private String apiKey;

  /** The service name records are logged under; spring.application.name when not set. */
  private String service;

  /** The environment written on every record, such as prod or staging. */
  private String environment;

  /**
   * How long closing the application waits for queued records to be sent; by default 5 s plus 2 ms
   * per record the queue may hold (25 s).
   */
  private Duration closeTimeout;

  /** Logs a one-line summary of the SDK's counters at INFO at this interval; off when not set. */
  private Duration summaryInterval;

  private final Sampling sampling = new Sampling();

  private final Redaction redaction = new Redaction();

  private final Lines lines = new Lines();

  private final Queue queue = new Queue();

  private final Context context = new Context();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public URI getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(URI endpoint) {
    this.endpoint = endpoint;
  }

  public String getApiKey() {
    return apiKey;
  }

  public void setApiKey(String apiKey) {
    this.apiKey = apiKey;
  }

  public String getService() {
    return service;
  }

  public void setService(String service) {
    this.service = service;
  }

  public String getEnvironment() {
    return environment;
  }

  public void setEnvironment(String environment) {
    this.environment = environment;
  }

  public Duration getCloseTimeout() {
    return closeTimeout;
  }

  public void setCloseTimeout(Duration closeTimeout) {
    this.closeTimeout = closeTimeout;
  }

  public Duration getSummaryInterval() {
    return summaryInterval;
  }

  public void setSummaryInterval(Duration summaryInterval) {
    this.summaryInterval = summaryInterval;
  }

  public Sampling getSampling() {
    return sampling;
  }

  public Redaction getRedaction() {
    return redaction;
  }

  public Lines getLines() {
    return lines;
  }

  public Queue getQueue() {
    return queue;
  }

  public Context getContext() {
    return context;
  }

  /**
   * Error-aware sampling in the application: failed (and slow) calls always kept, a share of the
   * rest.
   */
  public static class Sampling {
    /** The share of successful calls kept, from 0 to 1; kept calls stand for 1/rate calls. */
    private double rate = 1.0;

    /** Calls at least this slow are always kept; none when not set. */
    private Duration latencyThreshold;

    /** Whether failed calls are always kept. */
    private boolean keepErrors = true;

    public double getRate() {
      return rate;
    }

    public void setRate(double rate) {
      this.rate = rate;
    }

    public Duration getLatencyThreshold() {
      return latencyThreshold;
    }

    public void setLatencyThreshold(Duration latencyThreshold) {
      this.latencyThreshold = latencyThreshold;
    }

    public boolean isKeepErrors() {
      return keepErrors;
    }

    public void setKeepErrors(boolean keepErrors) {
      this.keepErrors = keepErrors;
    }
  }

  /** Redaction of personal data before it leaves the application. */
  public static class Redaction {
    /**
     * Whether records are redacted in the application before they are sent (the server redacts
     * anyway); the JSON log lines are redacted either way unless llmlog.lines.redact is false.
     */
    private boolean clientSide = false;

    public boolean isClientSide() {
      return clientSide;
    }

    public void setClientSide(boolean clientSide) {
      this.clientSide = clientSide;
    }
  }

  /** The brief's JSON log line for each call, through the application's logging. */
  public static class Lines {
    /**
     * Whether each call is also written as a JSON log line (SLF4J, on a logger named after the
     * service); by default only when no endpoint is set.
     */
    private Boolean enabled;

    /** Whether personal data in the log lines is redacted. */
    private boolean redact = true;

    public Boolean getEnabled() {
      return enabled;
    }

    public void setEnabled(Boolean enabled) {
      this.enabled = enabled;
    }

    public boolean isRedact() {
      return redact;
    }

    public void setRedact(boolean redact) {
      this.redact = redact;
    }
  }

  /**
   * The bounds of each destination's queue; records beyond them are dropped and counted as
   * queue_full.
   */
  public static class Queue {
    /** Records held before new ones are dropped. */
    private int maxRecords = 10_000;

    /** Estimated bytes held before new records are dropped. */
    private DataSize maxBytes = DataSize.ofMegabytes(16);

    public int getMaxRecords() {
      return maxRecords;
    }

    public void setMaxRecords(int maxRecords) {
      this.maxRecords = maxRecords;
    }

    public DataSize getMaxBytes() {
      return maxBytes;
    }

    public void setMaxBytes(DataSize maxBytes) {
      this.maxBytes = maxBytes;
    }
  }

  /** Where the session and the user of a call come from when no LlmLogContext scope sets them. */
  public static class Context {
    /** The MDC key holding the current session id. */
    private String mdcSessionKey;

    /** The MDC key holding the current user id. */
    private String mdcUserKey;

    public String getMdcSessionKey() {
      return mdcSessionKey;
    }

    public void setMdcSessionKey(String mdcSessionKey) {
      this.mdcSessionKey = mdcSessionKey;
    }

    public String getMdcUserKey() {
      return mdcUserKey;
    }

    public void setMdcUserKey(String mdcUserKey) {
      this.mdcUserKey = mdcUserKey;
    }
  }
}

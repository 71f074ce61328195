package io.llmlog.server.gateway;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

/**
 * One call through the gateway, as it happens: what was asked, what came back and how it ended. The
 * HTTP side fills it in while relaying; once ended it goes to the recorder, which turns it into a
 * record off the call's path.
 */
public final class GatewayCall {
  /** How a call ended. */
  public enum End {
    /** The upstream answered in full (whatever its status). */
    COMPLETED("ok"),
    /** The client went away before the answer was complete. */
    CANCELLED("cancelled"),
    /** The upstream's answer broke off, or went silent past the stream idle timeout. */
    UPSTREAM_ERROR("upstream_error"),
    /** No answer: the upstream could not be reached. */
    UNREACHABLE("unreachable"),
    /** No answer within the read timeout. */
    TIMEOUT("timeout");

    private final String outcome;

    End(String outcome) {
      this.outcome = outcome;
    }

    /** The {@code outcome} tag of the gateway's call counter. */
    public String outcome() {
      return outcome;
    }
  }

  final Upstream upstream;
  final Operation operation;
  final CallTags tags;
  final Instant started;
  final long startNanos;
  final Capture request;
  final boolean stream;

  /** The client's credentials, kept only to scrub them from the record. */
  final List<String> secrets;

  private final long captureLimit;
  private volatile int status;
  private volatile String contentType;
  private volatile Capture response;
  private volatile long endNanos;
  private volatile End end;
  private volatile String failure;

  GatewayCall(
      Upstream upstream,
      Operation operation,
      CallTags tags,
      Instant started,
      long startNanos,
      Capture request,
      boolean stream,
      List<String> secrets,
      long captureLimit) {
    this.upstream = upstream;
    this.operation = operation;
    this.tags = tags;
    this.started = started;
    this.startNanos = startNanos;
    this.request = request;
    this.stream = stream;
    this.secrets = secrets;
    this.captureLimit = captureLimit;
  }

  public Upstream upstream() {
    return upstream;
  }

  public CallTags tags() {
    return tags;
  }

  /** True when the client asked for a stream. */
  public boolean streamed() {
    return stream;
  }

  /** True when the call is logged (a known operation); other requests are only forwarded. */
  public boolean logged() {
    return operation != null;
  }

  /** The upstream's answer began: its status and content type. */
  public void answered(int status, String contentType) {
    this.status = status;
    this.contentType = contentType;
    this.response = new Capture(captureLimit);
  }

  /** A piece of the answer passed to the client. */
  public void passed(ByteBuffer chunk) {
    if (operation != null) {
      response.add(chunk, System.nanoTime());
    }
  }

  /**
   * The call is over. {@code failure} says why when it did not complete; it must hold no secret.
   */
  public void end(End how, String failure) {
    this.endNanos = System.nanoTime();
    this.end = how;
    this.failure = failure;
  }

  public End end() {
    return end;
  }

  int status() {
    return status;
  }

  String contentType() {
    return contentType;
  }

  Capture response() {
    return response;
  }

  long endNanos() {
    return endNanos;
  }

  String failure() {
    return failure;
  }

  /** Roughly what this call holds in memory while it waits to be logged. */
  long footprint() {
    return 512 + request.footprint() + (response == null ? 0 : response.footprint());
  }
}

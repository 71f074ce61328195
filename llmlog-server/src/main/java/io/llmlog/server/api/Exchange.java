package io.llmlog.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.server.config.LlmlogConfig;
import io.llmlog.server.ingest.Body;
import io.llmlog.server.ingest.PayloadTooLargeException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/** One HTTP request and its answer, as route handlers see them. */
public final class Exchange {
  private final Request request;
  private final Response response;
  private final Callback callback;
  private final ObjectMapper json;
  private final LlmlogConfig.Limits limits;
  private final Map<String, String> pathParameters;
  private final Fields query;
  private boolean answered;
  private String caller;

  Exchange(
      Request request,
      Response response,
      Callback callback,
      ObjectMapper json,
      LlmlogConfig.Limits limits,
      Map<String, String> pathParameters) {
    this.request = request;
    this.response = response;
    this.callback = callback;
    this.json = json;
    this.limits = limits;
    this.pathParameters = pathParameters;
    this.query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
  }

  /**
   * The name of the API key that authenticated this request, or null when the server has no keys.
   */
  public String caller() {
    return caller;
  }

  void caller(String name) {
    this.caller = name;
  }

  public String method() {
    return request.getMethod();
  }

  public String path() {
    // The raw, still-encoded path: the router decodes each segment once, so an id may hold any
    // character.
    return request.getHttpURI().getPath();
  }

  /** A {@code {name}} segment of the route's path, URL-decoded. */
  public String pathParameter(String name) {
    return pathParameters.get(name);
  }

  /** A query parameter, or null. */
  public String query(String name) {
    String value = query.getValue(name);
    return value == null || value.isEmpty() ? null : value;
  }

  /** The names of the query parameters, for routes that pass them on. */
  public java.util.Set<String> queryNames() {
    return query.getNames();
  }

  /** A query parameter as an integer within bounds, or the default. */
  public int queryInt(String name, int defaultValue, int min, int max) {
    String value = query(name);
    if (value == null) {
      return defaultValue;
    }
    try {
      int number = Integer.parseInt(value.trim());
      if (number < min || number > max) {
        throw ApiException.badRequest(
            name + " must be between " + min + " and " + max + ", was " + number);
      }
      return number;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name + " must be a whole number, was '" + value + "'");
    }
  }

  /**
   * True for {@code ?refresh=wait_for} or {@code ?refresh=true}: return once the records are
   * searchable.
   */
  public boolean waitForRefresh() {
    String refresh = query.getValue("refresh");
    return refresh != null
        && (refresh.isEmpty() || refresh.equals("wait_for") || refresh.equals("true"));
  }

  public String header(String name) {
    return request.getHeaders().get(name);
  }

  /**
   * How much of a refused body is read and thrown away before the 413 goes out. A client that is
   * still sending does not read the answer until it has sent everything, and closing the connection
   * under it resets it and loses the answer; so up to this much is swallowed (as Tomcat's
   * maxSwallowSize does), beyond it the connection is closed.
   */
  static final long SWALLOW_BYTES = 64L << 20;

  /** The request body within the configured limits, gzip decoded. */
  public Body body() throws IOException {
    InputStream in = Content.Source.asInputStream(request);
    try {
      return Body.read(in, header("Content-Encoding"), request.getLength(), limits);
    } catch (PayloadTooLargeException e) {
      swallow(in);
      throw e;
    }
  }

  private void swallow(InputStream in) {
    // A client waiting for "100 Continue" has sent nothing when its declared length was refused
    // before the first read; once reading began, it was told to continue and is sending.
    String expect = header("Expect");
    boolean waitsForContinue =
        expect != null && expect.toLowerCase(java.util.Locale.ROOT).contains("100-continue");
    if ((waitsForContinue && request.getLength() > limits.maxBodyBytes())
        || request.getLength() > SWALLOW_BYTES) {
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
      return;
    }
    try {
      long skipped = 0;
      byte[] buffer = new byte[64 * 1024];
      for (int read; skipped <= SWALLOW_BYTES && (read = in.read(buffer)) >= 0; ) {
        skipped += read;
      }
      if (skipped > SWALLOW_BYTES) {
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
      }
    } catch (IOException e) {
      // The client went away: nobody is left to read the answer.
    }
  }

  /** Parses the body as one JSON document; an empty body is null. */
  public JsonNode jsonBody() throws IOException {
    Body body = body();
    if (body.isEmpty()) {
      return null;
    }
    try {
      return json.readTree(body.stream());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw ApiException.badRequest(
          "the request body is not valid JSON: " + e.getOriginalMessage());
    }
  }

  public void header(String name, String value) {
    response.getHeaders().put(name, value);
  }

  /** Answers with a JSON document. */
  public void json(int status, Object body) throws IOException {
    send(status, "application/json", json.writeValueAsBytes(body));
  }

  /** Answers with text. */
  public void text(int status, String contentType, String body) {
    send(status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  /** Answers with bytes. */
  public void send(int status, String contentType, byte[] body) {
    if (answered) {
      throw new IllegalStateException("already answered");
    }
    answered = true;
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(
        true,
        "HEAD".equals(request.getMethod()) ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body),
        callback);
  }

  boolean answered() {
    return answered;
  }

  ObjectMapper mapper() {
    return json;
  }
}

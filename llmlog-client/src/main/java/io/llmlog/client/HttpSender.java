package io.llmlog.client;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.llmlog.core.codec.LlmLogJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Posts batches to the llmlog server as gzip-compressed NDJSON with the JDK's {@link HttpClient}:
 * call records to {@code /api/v1/logs}, quality records to {@code /api/v1/quality}, steps to {@code
 * /api/v1/spans}.
 *
 * <p>It maps the reply onto a {@link SendOutcome} and leaves the policy to the reporter: 2xx is
 * delivered (minus the records the reply says it rejected), 413 is too large, 429 and 5xx and
 * connection errors are worth a retry (with the reply's {@code Retry-After}), any other status is a
 * failure not worth repeating.
 */
final class HttpSender implements Sender {
  static final String CONTENT_TYPE = "application/x-ndjson";

  private final String endpoint;
  private final Map<RecordKind, URI> uris = new EnumMap<>(RecordKind.class);
  private final String authorization;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final int messageMaxBytes;
  private final Clock clock;
  private HttpClient client; // created on the reporter thread, on first use

  HttpSender(
      URI endpoint,
      String apiKey,
      Duration connectTimeout,
      Duration requestTimeout,
      int messageMaxBytes,
      Clock clock) {
    String base = endpoint.toString().replaceAll("/+$", "");
    this.endpoint = base;
    for (RecordKind kind : RecordKind.values()) {
      uris.put(kind, URI.create(base + kind.path()));
    }
    this.authorization = apiKey == null ? null : "ApiKey " + apiKey;
    this.connectTimeout = connectTimeout;
    this.requestTimeout = requestTimeout;
    this.messageMaxBytes = messageMaxBytes;
    this.clock = clock;
  }

  @Override
  public RecordEncoder.Format format() {
    return RecordEncoder.Format.DOCUMENT;
  }

  @Override
  public int messageMaxBytes() {
    return messageMaxBytes;
  }

  @Override
  public SendOutcome send(RecordKind kind, List<byte[]> records) throws InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uris.get(kind))
            .timeout(requestTimeout)
            .header("Content-Type", CONTENT_TYPE)
            .header("Content-Encoding", "gzip")
            .POST(HttpRequest.BodyPublishers.ofByteArray(gzipNdjson(records)));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    HttpResponse<byte[]> response;
    try {
      response = client().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      // A refused or timed-out connection is an everyday state of a server, not a bug: one line,
      // no stack trace.
      return new SendOutcome.Retry(describe(e), null, null);
    }
    return outcome(
        response.statusCode(),
        response.headers().firstValue("Retry-After").orElse(null),
        response.body());
  }

  /**
   * What a reply means for the batch; a separate step so that it can be tested without a server.
   */
  SendOutcome outcome(int status, String retryAfter, byte[] body) {
    if (status >= 200 && status < 300) {
      return delivered(body);
    }
    String reason = "HTTP " + status + bodySnippet(body);
    if (status == 413) {
      return new SendOutcome.TooLarge(reason);
    }
    if (status == 429 || status >= 500) {
      return new SendOutcome.Retry(reason, RetryAfter.parse(retryAfter, clock.instant()), null);
    }
    return new SendOutcome.Fail(reason, null);
  }

  /** Reads {@code {"accepted":N,"rejected":M,"errors":[{"line":L,"field":F,"reason":R}]}}. */
  static SendOutcome.Delivered delivered(byte[] body) {
    if (body == null || body.length == 0) {
      return SendOutcome.Delivered.ALL;
    }
    int rejected = 0;
    String firstError = null;
    try (JsonParser parser = LlmLogJson.factory().createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return SendOutcome.Delivered.ALL;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (name.equals("rejected") && value == JsonToken.VALUE_NUMBER_INT) {
          rejected = parser.getIntValue();
        } else if (name.equals("errors") && value == JsonToken.START_ARRAY) {
          firstError = firstError(parser);
        } else {
          parser.skipChildren();
        }
      }
    } catch (IOException | RuntimeException unreadable) {
      // The batch was taken (2xx); a reply we cannot read is no reason to count records lost.
      return SendOutcome.Delivered.ALL;
    }
    return rejected == 0
        ? SendOutcome.Delivered.ALL
        : new SendOutcome.Delivered(rejected, 0, firstError);
  }

  /** The first entry of the errors array as {@code line L, field F: reason}; skips the rest. */
  private static String firstError(JsonParser parser) throws IOException {
    String first = null;
    for (JsonToken item = parser.nextToken();
        item != JsonToken.END_ARRAY;
        item = parser.nextToken()) {
      if (first == null && item == JsonToken.START_OBJECT) {
        StringBuilder text = new StringBuilder();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          JsonToken value = parser.nextToken();
          if (value.isScalarValue()) {
            text.append(text.length() == 0 ? "" : ", ")
                .append(name)
                .append(' ')
                .append(parser.getText());
          } else {
            parser.skipChildren();
          }
        }
        first = text.toString();
      } else {
        parser.skipChildren();
      }
    }
    return first;
  }

  /**
   * An I/O failure in one line: its type and the first message along its causes, since the JDK's
   * client often throws a {@code ConnectException} with no message of its own.
   */
  static String describe(IOException error) {
    String message = null;
    for (Throwable cause = error; cause != null && message == null; cause = cause.getCause()) {
      message = cause.getMessage();
    }
    return error.getClass().getName()
        + ": "
        + (message == null ? "no detail" : message)
        + " ("
        + hint(error)
        + ")";
  }

  private static String hint(IOException error) {
    return error instanceof java.net.ConnectException
            || error.getCause() instanceof java.net.ConnectException
        ? "is the server running?"
        : error instanceof java.net.http.HttpTimeoutException
            ? "the server did not answer in time"
            : "connection problem";
  }

  static byte[] gzipNdjson(List<byte[]> records) {
    long size = 0;
    for (byte[] record : records) {
      size += record.length + 1;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(size / 4 + 64, 1 << 20));
    try (GZIPOutputStream gzip = new GZIPOutputStream(out, 8192)) {
      for (byte[] record : records) {
        gzip.write(record);
        gzip.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
    }
    return out.toByteArray();
  }

  private static String bodySnippet(byte[] body) {
    if (body == null || body.length == 0) {
      return "";
    }
    String text =
        new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8)
            .replaceAll("\\s+", " ")
            .trim();
    return text.isEmpty() ? "" : ": " + text;
  }

  private HttpClient client() {
    if (client == null) {
      client =
          HttpClient.newBuilder()
              // HTTP/1.1: an h2c upgrade on a POST buys nothing for one request at a time.
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(connectTimeout)
              .build();
    }
    return client;
  }

  @Override
  public String toString() {
    return endpoint;
  }
}

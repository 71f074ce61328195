package io.llmlog.core.testing;

import io.llmlog.core.codec.JsonMaps;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds calls in a running llmlog through its search API ({@code GET /api/v1/search}), waiting for
 * them to become searchable: what the integrations' tests use to check that a call was logged.
 */
public final class LlmlogSearch {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private LlmlogSearch() {}

  /**
   * The stored documents of the calls matching {@code kql} in the last day, once there are at least
   * {@code count} of them, oldest first.
   *
   * @throws AssertionError naming what was found when {@code timeout} passes first
   */
  public static List<Map<String, Object>> awaitCalls(
      URI api, String kql, int count, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Map<String, Object>> found = List.of();
    while (System.nanoTime() < deadline) {
      found = search(api, kql);
      if (found.size() >= count) {
        return found;
      }
      Thread.sleep(250);
    }
    throw new AssertionError(
        "expected "
            + count
            + " calls matching "
            + kql
            + " in llmlog within "
            + timeout
            + ", found "
            + found.size()
            + ": "
            + found);
  }

  /** The stored documents of the calls matching {@code kql} in the last day, oldest first. */
  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> search(URI api, String kql)
      throws IOException, InterruptedException {
    URI uri =
        api.resolve(
            "api/v1/search?from=now-1d&size=200&sort=timestamp:asc&q="
                + URLEncoder.encode(kql, StandardCharsets.UTF_8));
    HttpResponse<byte[]> response =
        CLIENT.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new AssertionError(
          "search "
              + uri
              + " answered "
              + response.statusCode()
              + ": "
              + new String(response.body(), StandardCharsets.UTF_8));
    }
    Map<String, Object> body = JsonMaps.readObject(new ByteArrayInputStream(response.body()));
    List<Map<String, Object>> documents = new ArrayList<>();
    for (Object hit : (List<Object>) body.get("hits")) {
      documents.add((Map<String, Object>) ((Map<String, Object>) hit).get("document"));
    }
    return documents;
  }
}

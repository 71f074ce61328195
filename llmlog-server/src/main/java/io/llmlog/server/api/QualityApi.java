package io.llmlog.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.core.Timestamps;
import io.llmlog.server.config.LlmlogConfig.Role;
import io.llmlog.server.quality.JudgeService;
import io.llmlog.server.quality.Quality;
import io.llmlog.server.quality.QualityRuns;
import io.llmlog.server.quality.QualitySettings;
import io.llmlog.server.quality.ReviewQueues;
import io.llmlog.server.query.InvalidParameterException;
import io.llmlog.server.store.EngineUnavailableException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The quality capability on the native API: the evaluators and the judge's counters, scoring runs
 * ({@code ./llmlog quality run}), the known score names, and the review queues. A reviewer is the
 * API key's name (with no keys configured, the {@code reviewer} the page sends, else {@code
 * anonymous}); a session is one Review page, so two tabs of one reviewer are two sessions.
 */
final class QualityApi {
  private final Quality quality;
  private final ObjectMapper json;
  private final BooleanSupplier ready;

  QualityApi(Quality quality, ObjectMapper json, BooleanSupplier ready) {
    this.quality = quality;
    this.json = json;
    this.ready = ready;
  }

  void register(Router router) {
    router.add("GET", "/api/v1/quality/evaluators", Role.READ, this::evaluators);
    router.add("GET", "/api/v1/quality/scores", Role.READ, this::scores);
    router.add("POST", "/api/v1/quality/runs", Role.ADMIN, this::startRun);
    router.add("GET", "/api/v1/quality/runs/{id}", Role.READ, exchange -> run(exchange, false));
    router.add(
        "POST", "/api/v1/quality/runs/{id}/stop", Role.ADMIN, exchange -> run(exchange, true));
    router.add("GET", "/api/v1/review/queues", Role.READ, this::queues);
    router.add("POST", "/api/v1/review/queues/{name}/next", Role.REVIEW, this::next);
    router.add("POST", "/api/v1/review/queues/{name}/reviews", Role.REVIEW, this::review);
    router.add("POST", "/api/v1/review/queues/{name}/release", Role.REVIEW, this::release);
  }

  private void evaluators(Exchange exchange) throws Exception {
    ObjectNode body = json.createObjectNode();
    ArrayNode list = body.putArray("evaluators");
    for (Quality.EvaluatorInfo info : quality.evaluators()) {
      ObjectNode node = list.addObject();
      node.put("name", info.name());
      node.put("type", info.type());
      node.put("score", "scores." + info.name());
      if (info.filter() == null) {
        node.putNull("filter");
      } else {
        node.put("filter", info.filter());
      }
      node.put("sample", info.sample());
      node.put("runs", info.judged() ? "judge" : "pipeline");
    }
    JudgeService.Status judge = quality.judgeStatus().orElse(null);
    if (judge == null) {
      body.putNull("judge");
    } else {
      ObjectNode node = body.putObject("judge");
      node.put("model", judge.model());
      node.put("endpoint", judge.endpoint());
      node.set("requests", json.valueToTree(judge.requests()));
      node.set("judgements", json.valueToTree(judge.judgements()));
      node.set("not_judged", json.valueToTree(judge.dropped()));
      node.put("queued", judge.queued());
      node.put("requests_last_hour", judge.requestsLastHour());
      node.put("cost_usd_last_hour", judge.usdLastHour());
    }
    exchange.json(200, body);
  }

  private void scores(Exchange exchange) throws Exception {
    requireReady();
    ObjectNode body = json.createObjectNode();
    ArrayNode names = body.putArray("scores");
    quality.scoreNames().forEach(names::add);
    exchange.json(200, body);
  }

  private void startRun(Exchange exchange) throws Exception {
    requireReady();
    JsonNode request = object(exchange);
    try {
      QualityRuns.RunStatus status =
          quality.startRun(
              text(request, "evaluator", true),
              text(request, "q", false),
              text(request, "from", true),
              text(request, "to", false));
      exchange.json(200, run(status));
    } catch (InvalidParameterException e) {
      throw ApiException.badRequest(e.parameter() + ": " + e.getMessage());
    }
  }

  private void run(Exchange exchange, boolean stop) throws Exception {
    requireReady();
    String id = exchange.pathParameter("id");
    QualityRuns.RunStatus status =
        (stop ? quality.stopRun(id) : quality.run(id))
            .orElseThrow(() -> ApiException.notFound("no scoring run '" + id + "'"));
    exchange.json(200, run(status));
  }

  private ObjectNode run(QualityRuns.RunStatus status) {
    ObjectNode node = json.createObjectNode();
    node.put("id", status.id());
    node.put("evaluator", status.evaluator());
    node.put("q", status.query());
    node.put("from", Timestamps.format(status.from()));
    node.put("to", Timestamps.format(status.to()));
    node.put("state", status.state());
    if (status.total() >= 0) {
      node.put("total", status.total());
    } else {
      node.putNull("total");
    }
    node.put("scanned", status.scanned());
    node.put("scored", status.scored());
    node.put("skipped", status.skipped());
    node.put("failed", status.failed());
    if (status.error() != null) {
      node.put("error", status.error());
    }
    return node;
  }

  private void queues(Exchange exchange) throws Exception {
    requireReady();
    ObjectNode body = json.createObjectNode();
    ArrayNode list = body.putArray("queues");
    quality.queues().forEach(progress -> list.add(progress(progress)));
    body.put("reviewer", reviewer(exchange, null));
    exchange.json(200, body);
  }

  private ObjectNode progress(ReviewQueues.Progress progress) {
    QualitySettings.Queue queue = progress.queue();
    ObjectNode node = json.createObjectNode();
    node.put("name", queue.name());
    node.put("title", queue.title());
    if (queue.filter() == null) {
      node.putNull("filter");
    } else {
      node.put("filter", queue.filter());
    }
    node.put("sample", queue.sample());
    node.put("window", io.llmlog.server.config.Units.formatDuration(queue.window()));
    queue.labels().forEach(node.putArray("labels")::add);
    node.put("calls", progress.calls());
    node.put("reviewed", progress.reviewed());
    node.put("remaining", Math.max(0, progress.calls() - progress.reviewed()));
    node.put("in_review", progress.leased());
    return node;
  }

  /** A reviewer's request about a queue: the queue, the body, the page's session. */
  private record ReviewRequest(QualitySettings.Queue queue, JsonNode body, String session) {}

  private ReviewRequest reviewRequest(Exchange exchange) throws Exception {
    requireReady();
    QualitySettings.Queue queue = queue(exchange);
    JsonNode body = object(exchange);
    return new ReviewRequest(queue, body, session(body));
  }

  private void next(Exchange exchange) throws Exception {
    ReviewRequest r = reviewRequest(exchange);
    QualitySettings.Queue queue = r.queue();
    JsonNode request = r.body();
    String session = r.session();
    Set<String> skipped = new LinkedHashSet<>();
    request.path("skip").forEach(id -> skipped.add(id.asText()));
    if (skipped.size() > 1000) {
      throw ApiException.badRequest("skip: at most 1000 request ids");
    }
    ReviewQueues.Assignment assignment =
        quality.next(queue, reviewer(exchange, request), session, skipped).orElse(null);
    ObjectNode body = json.createObjectNode();
    if (assignment == null) {
      body.putNull("call");
    } else {
      body.set("call", assignment.call());
      body.putArray("quality").addAll(assignment.quality());
      body.put("lease_expires", Timestamps.format(assignment.leaseExpires()));
    }
    body.set("queue", progress(quality.progress(queue)));
    exchange.json(200, body);
  }

  private void review(Exchange exchange) throws Exception {
    ReviewRequest r = reviewRequest(exchange);
    QualitySettings.Queue queue = r.queue();
    JsonNode request = r.body();
    String requestId = text(request, "request_id", true);
    Integer rating = request.path("rating").isNumber() ? request.path("rating").asInt() : null;
    if (request.has("rating")
        && !request.path("rating").isNull()
        && !request.path("rating").isIntegralNumber()) {
      throw ApiException.badRequest("rating must be a whole number from -1 to 5");
    }
    List<String> labels = new ArrayList<>();
    request.path("labels").forEach(label -> labels.add(label.asText()));
    String comment = request.path("comment").isTextual() ? request.path("comment").asText() : null;
    if (comment != null && comment.length() > 10_000) {
      throw ApiException.badRequest("comment must be at most 10000 characters");
    }
    try {
      quality.review(
          queue, reviewer(exchange, request), r.session(), requestId, rating, labels, comment);
    } catch (ReviewQueues.ReviewConflict e) {
      throw new ApiException(409, "review_conflict", e.getMessage());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    ObjectNode body = json.createObjectNode();
    body.put("stored", true);
    body.set("queue", progress(quality.progress(queue)));
    exchange.json(200, body);
  }

  private void release(Exchange exchange) throws Exception {
    ReviewRequest r = reviewRequest(exchange);
    ObjectNode body = json.createObjectNode();
    body.put(
        "released", quality.release(r.queue(), text(r.body(), "request_id", true), r.session()));
    exchange.json(200, body);
  }

  private QualitySettings.Queue queue(Exchange exchange) {
    String name = exchange.pathParameter("name");
    return quality
        .queue(name)
        .orElseThrow(() -> ApiException.notFound("no review queue '" + name + "'"));
  }

  /** The API key's name; without keys, what the page says (there is nobody to check it against). */
  private static String reviewer(Exchange exchange, JsonNode request) {
    if (exchange.caller() != null) {
      return exchange.caller();
    }
    String given = request == null ? null : request.path("reviewer").asText(null);
    return given == null || given.isBlank()
        ? "anonymous"
        : given.trim().length() > 64 ? given.trim().substring(0, 64) : given.trim();
  }

  private static String session(JsonNode request) {
    String session = request.path("session").asText("");
    if (!session.matches("[A-Za-z0-9_-]{8,64}")) {
      throw ApiException.badRequest(
          "session must be 8 to 64 letters, digits, '_' or '-' (one per Review page), was '"
              + (session.length() > 70 ? session.substring(0, 70) : session)
              + "'");
    }
    return session;
  }

  private JsonNode object(Exchange exchange) throws Exception {
    JsonNode body = exchange.jsonBody();
    if (body == null) {
      return json.createObjectNode();
    }
    if (!body.isObject()) {
      throw ApiException.badRequest("the body must be a JSON object");
    }
    return body;
  }

  private static String text(JsonNode request, String name, boolean required) {
    JsonNode value = request.get(name);
    if (value == null || value.isNull() || (value.isTextual() && value.asText().isBlank())) {
      if (required) {
        throw ApiException.badRequest(name + " is required");
      }
      return null;
    }
    if (!value.isTextual()) {
      throw ApiException.badRequest(name + " must be a string");
    }
    return value.asText();
  }

  private void requireReady() {
    if (!ready.getAsBoolean()) {
      throw new EngineUnavailableException("llmlog is starting; retry in a few seconds", null);
    }
  }
}

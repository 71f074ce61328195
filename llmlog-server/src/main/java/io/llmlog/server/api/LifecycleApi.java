package io.llmlog.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.server.config.LlmlogConfig.Role;
import io.llmlog.server.lifecycle.ArchiveException;
import io.llmlog.server.lifecycle.Lifecycle;
import io.llmlog.server.lifecycle.LifecycleRequestException;
import io.llmlog.server.query.kql.KqlSyntaxException;
import io.llmlog.server.store.EngineUnavailableException;
import io.llmlog.server.store.IndexFamily;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.function.BooleanSupplier;

/**
 * {@code /api/v1/lifecycle}: every index and archive with its phase and next action, a run now,
 * restoring an archived day, and searching archives without restoring them. Parameters come from
 * the query string or, for POST, a JSON object.
 */
final class LifecycleApi {
  static final int MAX_SEARCH_PAGE = 1000;

  private final Lifecycle lifecycle;
  private final ObjectMapper json;
  private final BooleanSupplier ready;

  LifecycleApi(Lifecycle lifecycle, ObjectMapper json, BooleanSupplier ready) {
    this.lifecycle = lifecycle;
    this.json = json;
    this.ready = ready;
  }

  void register(Router router) {
    router.add("GET", "/api/v1/lifecycle", Role.READ, this::status);
    router.add("POST", "/api/v1/lifecycle/run", Role.ADMIN, this::run);
    router.add("POST", "/api/v1/lifecycle/restore", Role.ADMIN, this::restore);
    router.add("GET", "/api/v1/lifecycle/search", Role.READ, this::search);
    router.add("POST", "/api/v1/lifecycle/search", Role.READ, this::search);
  }

  private void status(Exchange exchange) throws Exception {
    requireReady();
    exchange.json(200, LifecycleJson.status(json, lifecycle.status()));
  }

  private void run(Exchange exchange) throws Exception {
    requireReady();
    exchange.json(200, LifecycleJson.runOutcome(json, lifecycle.runNow()));
  }

  private void restore(Exchange exchange) throws Exception {
    requireReady();
    JsonNode body = body(exchange);
    IndexFamily family = family(parameter(exchange, body, "family"));
    LocalDate day = day(parameter(exchange, body, "day"), "day");
    try {
      exchange.json(200, LifecycleJson.restored(json, lifecycle.restore(family, day)));
    } catch (LifecycleRequestException e) {
      throw new ApiException(
          e.status(),
          e.status() == 404
              ? "archive_not_found"
              : e.status() == 409 ? "index_exists" : "illegal_argument_exception",
          e.getMessage());
    } catch (ArchiveException e) {
      throw new ApiException(500, "archive_error", e.getMessage());
    }
  }

  private void search(Exchange exchange) throws Exception {
    requireReady();
    JsonNode body = body(exchange);
    IndexFamily family = family(parameter(exchange, body, "family"));
    LocalDate from = day(parameter(exchange, body, "from"), "from");
    String toText = parameter(exchange, body, "to");
    LocalDate to = toText == null ? from : day(toText, "to");
    String size = parameter(exchange, body, "size");
    int pageSize = 100;
    if (size != null) {
      try {
        pageSize = Integer.parseInt(size.trim());
      } catch (NumberFormatException e) {
        pageSize = -1;
      }
      if (pageSize < 1 || pageSize > MAX_SEARCH_PAGE) {
        throw ApiException.badRequest(
            "size must be between 1 and " + MAX_SEARCH_PAGE + ", was '" + size + "'");
      }
    }
    try {
      exchange.json(
          200,
          LifecycleJson.archivePage(
              json,
              lifecycle.search(
                  family,
                  from,
                  to,
                  parameter(exchange, body, "q"),
                  pageSize,
                  parameter(exchange, body, "cursor"))));
    } catch (KqlSyntaxException e) {
      ObjectNode error = ErrorStyle.NATIVE.render(json, 400, "kql_syntax_error", e.getMessage());
      ((ObjectNode) error.path("error"))
          .put("parameter", "q")
          .put("position", e.position())
          .put("expected", e.expected());
      exchange.json(400, error);
    } catch (LifecycleRequestException e) {
      throw new ApiException(e.status(), "illegal_argument_exception", e.getMessage());
    } catch (ArchiveException e) {
      throw new ApiException(500, "archive_error", e.getMessage());
    }
  }

  private static JsonNode body(Exchange exchange) throws Exception {
    if (!exchange.method().equals("POST")) {
      return null;
    }
    JsonNode body = exchange.jsonBody();
    if (body != null && !body.isObject()) {
      throw ApiException.badRequest(
          "the body must be a JSON object of parameters, such as {\"day\": \"2026.08.01\", \"family\": \"logs\"}");
    }
    return body;
  }

  private static String parameter(Exchange exchange, JsonNode body, String name) {
    JsonNode value = body == null ? null : body.get(name);
    if (value != null && !value.isNull()) {
      return value.asText();
    }
    return exchange.query(name);
  }

  /** A managed family by its key ({@code logs}, the default, {@code spans}, {@code quality}...). */
  static IndexFamily family(String name) {
    if (name == null) {
      return IndexFamily.LOGS;
    }
    IndexFamily family = IndexFamily.byKey(name);
    if (family == null) {
      throw ApiException.badRequest(
          "family must be " + IndexFamily.keys() + ", was '" + name + "'");
    }
    return family;
  }

  /** {@code 2026.08.01} (as in index names) or {@code 2026-08-01}. */
  static LocalDate day(String text, String name) {
    if (text == null || text.isBlank()) {
      throw ApiException.badRequest(name + " is required: a day such as 2026.08.01");
    }
    try {
      return LocalDate.parse(text.trim().replace('.', '-'));
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(name + " must be a day such as 2026.08.01, was '" + text + "'");
    }
  }

  private void requireReady() {
    if (!ready.getAsBoolean()) {
      throw new EngineUnavailableException("llmlog is starting; retry in a few seconds", null);
    }
  }
}

package io.llmlog.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.server.config.LlmlogConfig.Role;
import io.llmlog.server.query.InvalidParameterException;
import io.llmlog.server.query.QualityStats;
import io.llmlog.server.query.SearchRequest;
import io.llmlog.server.query.Searcher;
import io.llmlog.server.query.Stats;
import io.llmlog.server.query.StatsRequest;
import io.llmlog.server.query.StatsService;
import io.llmlog.server.query.kql.KqlSyntaxException;
import io.llmlog.server.store.EngineUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * {@code /api/v1/search} and {@code /api/v1/stats}. GET takes query parameters; POST takes the same
 * parameters as a JSON object (for long KQL queries), query parameters filling in what it lacks. A
 * bad parameter is a 400 whose error names it ({@code "parameter": "from"}); a KQL error also says
 * where ({@code "position"}, 0-based) and what was {@code "expected"} there.
 */
final class SearchApi {
  private final Searcher searcher;
  private final StatsService stats;
  private final QualityStats qualityStats;
  private final String negativeFeedback;
  private final ObjectMapper json;
  private final BooleanSupplier ready;

  SearchApi(
      Searcher searcher,
      StatsService stats,
      QualityStats qualityStats,
      String negativeFeedback,
      ObjectMapper json,
      BooleanSupplier ready) {
    this.searcher = searcher;
    this.stats = stats;
    this.qualityStats = qualityStats;
    this.negativeFeedback = negativeFeedback;
    this.json = json;
    this.ready = ready;
  }

  void register(Router router) {
    router.add("GET", "/api/v1/search", Role.READ, this::search);
    router.add("POST", "/api/v1/search", Role.READ, this::search);
    router.add("GET", "/api/v1/stats", Role.READ, this::stats);
    router.add("POST", "/api/v1/stats", Role.READ, this::stats);
  }

  private void search(Exchange exchange) throws Exception {
    requireReady();
    Parameters p = Parameters.of(exchange);
    try {
      SearchRequest request =
          new SearchRequest(
              p.text("q"),
              p.text("from"),
              p.text("to"),
              p.joined("sort"),
              p.integer("size"),
              p.text("search_after"),
              p.list("fields"),
              p.jsonText("query"),
              p.text("interval"));
      exchange.json(200, QueryJson.search(json, searcher.search(request)));
    } catch (InvalidParameterException e) {
      badParameter(json, exchange, e);
    } catch (KqlSyntaxException e) {
      badKql(json, exchange, e);
    }
  }

  private void stats(Exchange exchange) throws Exception {
    requireReady();
    Parameters p = Parameters.of(exchange);
    try {
      StatsRequest request =
          new StatsRequest(
              p.text("q"),
              p.text("from"),
              p.text("to"),
              p.text("by"),
              p.text("interval"),
              p.integer("size"),
              p.text("compute"));
      Stats computed = stats.stats(request);
      ObjectNode body = QueryJson.stats(json, computed);
      List<String> scores = p.list("scores");
      if (!scores.isEmpty()) {
        QualityStatsJson.attach(
            json, body, qualityStats.stats(request.q(), computed, scores, negativeFeedback));
      }
      exchange.json(200, body);
    } catch (InvalidParameterException e) {
      badParameter(json, exchange, e);
    } catch (KqlSyntaxException e) {
      badKql(json, exchange, e);
    }
  }

  /** A 400 whose error names the parameter. */
  static void badParameter(ObjectMapper json, Exchange exchange, InvalidParameterException e)
      throws Exception {
    ObjectNode body = ErrorStyle.NATIVE.render(json, 400, "invalid_parameter", e.getMessage());
    ((ObjectNode) body.path("error")).put("parameter", e.parameter());
    exchange.json(400, body);
  }

  /** A 400 for {@code q}, with the position of the error and what was expected there. */
  static void badKql(ObjectMapper json, Exchange exchange, KqlSyntaxException e) throws Exception {
    ObjectNode body = ErrorStyle.NATIVE.render(json, 400, "kql_syntax_error", e.getMessage());
    ObjectNode error = (ObjectNode) body.path("error");
    error.put("parameter", "q");
    error.put("position", e.position());
    error.put("expected", e.expected());
    exchange.json(400, body);
  }

  private void requireReady() {
    if (!ready.getAsBoolean()) {
      throw new EngineUnavailableException("llmlog is starting; retry in a few seconds", null);
    }
  }

  /** The parameters of a request, from its JSON body first, then its query string. */
  record Parameters(Exchange exchange, JsonNode body) {
    static Parameters of(Exchange exchange) throws Exception {
      JsonNode body = exchange.method().equals("POST") ? exchange.jsonBody() : null;
      if (body != null && !body.isObject()) {
        throw new InvalidParameterException(
            "body",
            "must be a JSON object of parameters, such as {\"q\": \"level:error\", \"from\": \"now-1h\"}");
      }
      return new Parameters(exchange, body);
    }

    String text(String name) {
      JsonNode value = body == null ? null : body.get(name);
      if (value == null || value.isNull()) {
        return exchange.query(name);
      }
      if (!value.isValueNode()) {
        throw new InvalidParameterException(name, "must be a string");
      }
      return value.asText();
    }

    /**
     * A JSON value as text: written as JSON in a POST body, or as JSON text there or in the query
     * string.
     */
    String jsonText(String name) {
      JsonNode value = body == null ? null : body.get(name);
      if (value != null && !value.isNull() && !value.isTextual()) {
        return value.toString();
      }
      String text = text(name);
      return text == null || text.isBlank() ? null : text;
    }

    /** A list given as a JSON array, or as text separated by commas. */
    List<String> list(String name) {
      JsonNode value = body == null ? null : body.get(name);
      List<String> items = new ArrayList<>();
      if (value != null && value.isArray()) {
        value.forEach(item -> items.add(item.asText()));
        return items;
      }
      String text = text(name);
      if (text != null) {
        for (String item : text.split(",")) {
          if (!item.isBlank()) {
            items.add(item.trim());
          }
        }
      }
      return items;
    }

    String joined(String name) {
      List<String> items = list(name);
      return items.isEmpty() ? null : String.join(",", items);
    }

    Integer integer(String name) {
      JsonNode value = body == null ? null : body.get(name);
      if (value != null && value.canConvertToInt() && value.isIntegralNumber()) {
        return value.asInt();
      }
      String text = text(name);
      if (text == null) {
        return null;
      }
      try {
        return Integer.parseInt(text.trim());
      } catch (NumberFormatException e) {
        throw new InvalidParameterException(name, "must be a whole number, was '" + text + "'");
      }
    }
  }
}

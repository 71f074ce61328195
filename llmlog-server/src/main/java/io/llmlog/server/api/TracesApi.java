package io.llmlog.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.server.config.LlmlogConfig.Role;
import io.llmlog.server.query.InvalidParameterException;
import io.llmlog.server.query.kql.KqlSyntaxException;
import io.llmlog.server.store.EngineUnavailableException;
import io.llmlog.server.trace.ListRequest;
import io.llmlog.server.trace.SessionService;
import io.llmlog.server.trace.TraceService;
import io.llmlog.server.trace.UserService;
import java.util.function.BooleanSupplier;

/**
 * Agent runs and conversations (read role): {@code /api/v1/traces}, {@code /api/v1/sessions},
 * {@code /api/v1/users}, each a listing and one by id. A bad parameter is a 400 naming it, as for
 * {@code /api/v1/search}; an id with nothing stored is a 404.
 */
final class TracesApi {
  private final TraceService traces;
  private final SessionService sessions;
  private final UserService users;
  private final ObjectMapper json;
  private final BooleanSupplier ready;

  TracesApi(
      TraceService traces,
      SessionService sessions,
      UserService users,
      ObjectMapper json,
      BooleanSupplier ready) {
    this.traces = traces;
    this.sessions = sessions;
    this.users = users;
    this.json = json;
    this.ready = ready;
  }

  void register(Router router) {
    router.add("GET", "/api/v1/traces", Role.READ, guarded(this::listTraces));
    router.add("GET", "/api/v1/traces/{trace_id}", Role.READ, guarded(this::trace));
    router.add("GET", "/api/v1/traces/{trace_id}/steps/{span_id}", Role.READ, guarded(this::step));
    router.add("GET", "/api/v1/sessions", Role.READ, guarded(this::listSessions));
    router.add("GET", "/api/v1/sessions/{session_id}", Role.READ, guarded(this::session));
    router.add("GET", "/api/v1/users", Role.READ, guarded(this::listUsers));
    router.add("GET", "/api/v1/users/{user_id}", Role.READ, guarded(this::user));
  }

  private void listTraces(Exchange exchange) throws Exception {
    exchange.json(200, TraceJson.traces(json, traces.list(listing(exchange))));
  }

  private void trace(Exchange exchange) throws Exception {
    String id = exchange.pathParameter("trace_id");
    exchange.json(
        200,
        TraceJson.trace(
            json,
            traces
                .trace(id)
                .orElseThrow(
                    () ->
                        ApiException.notFound(
                            "no call or step with trace_id '" + id + "' is stored"))));
  }

  private void step(Exchange exchange) throws Exception {
    String trace = exchange.pathParameter("trace_id");
    String span = exchange.pathParameter("span_id");
    exchange.json(
        200,
        traces
            .step(trace, span)
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "no step with span_id '" + span + "' in trace '" + trace + "' is stored"))
            .document());
  }

  private void listSessions(Exchange exchange) throws Exception {
    exchange.json(200, TraceJson.sessions(json, sessions.list(listing(exchange))));
  }

  private void session(Exchange exchange) throws Exception {
    String id = exchange.pathParameter("session_id");
    exchange.json(
        200,
        TraceJson.session(
            json,
            sessions
                .session(
                    id,
                    SearchApi.Parameters.of(exchange).integer("size"),
                    exchange.query("search_after"))
                .orElseThrow(
                    () ->
                        ApiException.notFound("no call with session_id '" + id + "' is stored"))));
  }

  private void listUsers(Exchange exchange) throws Exception {
    exchange.json(200, TraceJson.users(json, users.list(listing(exchange))));
  }

  private void user(Exchange exchange) throws Exception {
    String id = exchange.pathParameter("user_id");
    exchange.json(
        200,
        TraceJson.user(
            json,
            users
                .user(id, exchange.query("from"), exchange.query("to"))
                .orElseThrow(
                    () ->
                        ApiException.notFound(
                            "no call with user_id '"
                                + id
                                + "' is stored"
                                + (exchange.query("from") == null ? "" : " in this time range")))));
  }

  private static ListRequest listing(Exchange exchange) throws Exception {
    SearchApi.Parameters p = SearchApi.Parameters.of(exchange);
    return new ListRequest(
        p.text("q"),
        p.text("from"),
        p.text("to"),
        p.text("over"),
        p.text("sort"),
        p.integer("size"),
        p.text("search_after"));
  }

  /** Refuses while llmlog starts, and answers a bad parameter or query with a 400 that names it. */
  private Route guarded(Route route) {
    return exchange -> {
      if (!ready.getAsBoolean()) {
        throw new EngineUnavailableException("llmlog is starting; retry in a few seconds", null);
      }
      try {
        route.handle(exchange);
      } catch (InvalidParameterException e) {
        SearchApi.badParameter(json, exchange, e);
      } catch (KqlSyntaxException e) {
        SearchApi.badKql(json, exchange, e);
      }
    };
  }
}

package io.llmlog.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.core.InvalidFieldException;
import io.llmlog.server.config.LlmlogConfig;
import io.llmlog.server.config.LlmlogConfig.Role;
import io.llmlog.server.ingest.BadRequestException;
import io.llmlog.server.ingest.IngestPausedException;
import io.llmlog.server.ingest.PayloadTooLargeException;
import io.llmlog.server.query.ForbiddenIndexException;
import io.llmlog.server.query.InvalidParameterException;
import io.llmlog.server.store.EngineBusyException;
import io.llmlog.server.store.EngineUnavailableException;
import io.llmlog.server.store.SearchFailedException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One listening port's routes with their authentication and error style: the native API on {@code
 * :8080}, the Elasticsearch-compatible facade on {@code :9200}. Every failure becomes a JSON answer
 * with the right status; nothing hangs and nothing leaks a stack trace.
 */
final class Site {
  private static final Logger LOG = LogManager.getLogger(Site.class);

  private final String name;
  private final Router router;
  private final ErrorStyle style;
  private final Authenticator authenticator;
  private final ObjectMapper json;
  private final LlmlogConfig.Limits limits;
  private final Consumer<Exchange> decorator;
  private final Route fallback;
  private volatile GatewayApi gateway;

  Site(
      String name,
      Router router,
      ErrorStyle style,
      Authenticator authenticator,
      ObjectMapper json,
      LlmlogConfig.Limits limits,
      Consumer<Exchange> decorator,
      Route fallback) {
    this.name = name;
    this.router = router;
    this.style = style;
    this.authenticator = authenticator;
    this.json = json;
    this.limits = limits;
    this.decorator = decorator;
    this.fallback = fallback;
  }

  String name() {
    return name;
  }

  /**
   * Serves the logging gateway under {@code /gateway/}, outside the buffered routes: it relays
   * streams.
   */
  Site withGateway(GatewayApi gateway) {
    this.gateway = gateway;
    return this;
  }

  void handle(Request request, Response response, Callback callback) {
    String method = request.getMethod();
    String path = request.getHttpURI().getPath();
    GatewayApi gatewayApi = gateway;
    if (gatewayApi != null && path.startsWith(GatewayApi.PREFIX)) {
      gatewayApi.handle(request, response, callback);
      return;
    }
    Router.Match match = router.match(method, path);
    Exchange exchange =
        new Exchange(
            request,
            response,
            callback,
            json,
            limits,
            match == null ? Map.of() : match.parameters());
    decorator.accept(exchange);
    try {
      if (match == null) {
        List<String> allowed = router.methodsFor(path);
        if (!allowed.isEmpty()) {
          exchange.header("Allow", String.join(", ", allowed));
          throw new ApiException(
              405,
              "method_not_allowed",
              method + " is not supported on " + path + "; use " + String.join(" or ", allowed));
        }
        if (fallback != null) {
          authorize(exchange, Role.READ);
          fallback.handle(exchange);
          return;
        }
        throw ApiException.notFound("no such endpoint: " + method + " " + path);
      }
      authorize(exchange, match.entry().role());
      match.entry().route().handle(exchange);
      if (!exchange.answered()) {
        throw new IllegalStateException("route " + method + " " + path + " did not answer");
      }
    } catch (Throwable e) {
      fail(exchange, e);
    }
  }

  private void authorize(Exchange exchange, Role needed) {
    if (needed == null || !authenticator.enabled()) {
      return;
    }
    LlmlogConfig.ApiKey key = authenticator.authenticate(exchange.header("Authorization"));
    Role role = key == null ? null : key.role();
    if (key != null) {
      exchange.caller(key.name());
    }
    if (role == null) {
      exchange.header("WWW-Authenticate", "ApiKey, Bearer, Basic realm=\"llmlog\"");
      throw new ApiException(
          401,
          "security_exception",
          "missing or invalid API key: send Authorization: ApiKey <key> (or Bearer <key>, or Basic with the key as password)");
    }
    if (!role.allows(needed)) {
      throw new ApiException(
          403,
          "security_exception",
          "this API key has the role '"
              + role.name().toLowerCase()
              + "', which may not "
              + (needed == Role.INGEST
                  ? "ingest"
                  : needed == Role.READ ? "read" : needed == Role.REVIEW ? "review" : "administer")
              + "; use a key with the role '"
              + needed.name().toLowerCase()
              + "' or 'admin'");
    }
  }

  private void fail(Exchange exchange, Throwable e) {
    int status;
    String type;
    String reason = e.getMessage();
    switch (e) {
      case ApiException api -> {
        status = api.status();
        type = api.type();
      }
      case PayloadTooLargeException tooLarge -> {
        status = 413;
        type = "payload_too_large";
      }
      case BadRequestException bad -> {
        status = 400;
        type = "parse_exception";
      }
      case io.llmlog.server.otlp.UnsupportedMediaTypeException unsupported -> {
        status = 415;
        type = "unsupported_media_type";
      }
      case InvalidFieldException invalid -> {
        status = 400;
        type = "invalid_field";
      }
      case EngineBusyException busy -> {
        status = 429;
        type = "es_rejected_execution_exception";
        exchange.header("Retry-After", "1");
      }
      case IngestPausedException paused -> {
        status = 503;
        type = "ingest_paused";
        exchange.header("Retry-After", "60");
      }
      case EngineUnavailableException down -> {
        status = 503;
        type = "unavailable";
        exchange.header("Retry-After", "5");
        LOG.warn("{}: {}", name, e.getMessage());
      }
      case ForbiddenIndexException forbidden -> {
        status = 403;
        type = "security_exception";
      }
      case InvalidParameterException invalid -> {
        status = 400;
        type = "illegal_argument_exception";
      }
      case SearchFailedException search -> {
        status = search.status() >= 500 ? 502 : search.status();
        type = "search_phase_execution_exception";
      }
      default -> {
        status = 500;
        type = "internal_error";
        reason = "llmlog failed to handle this request; the server log has the details";
        LOG.error("{}: {} {} failed", name, exchange.method(), exchange.path(), e);
      }
    }
    if (exchange.answered()) {
      LOG.warn(
          "{}: {} {} failed after answering: {}",
          name,
          exchange.method(),
          exchange.path(),
          e.toString());
      return;
    }
    if (OtlpApi.handles(exchange.path())) {
      OtlpApi.sendError(exchange, status, reason == null ? type : reason);
      return;
    }
    try {
      exchange.json(status, style.render(json, status, type, reason == null ? type : reason));
    } catch (Exception writeFailure) {
      LOG.warn("{}: could not write the error answer: {}", name, writeFailure.toString());
    }
  }
}

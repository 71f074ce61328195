package io.llmlog.server.api;

import io.llmlog.server.ui.Dashboard;

/**
 * Serves the dashboard's files ({@link Dashboard}) with the headers each one names. They are
 * public: the page asks for a key when the API answers 401.
 */
final class DashboardRoutes {
  private final Dashboard dashboard;

  DashboardRoutes(Dashboard dashboard) {
    this.dashboard = dashboard;
  }

  void register(Router router) {
    router.add("GET", "/", null, exchange -> send(exchange, dashboard.page()));
    router.add(
        "GET",
        "/ui/{file*}",
        null,
        exchange ->
            send(
                exchange,
                dashboard
                    .asset(exchange.pathParameter("file"))
                    .orElseThrow(
                        () ->
                            ApiException.notFound("no such dashboard file: " + exchange.path()))));
  }

  private static void send(Exchange exchange, Dashboard.File file) {
    file.headers().forEach(exchange::header);
    exchange.send(200, file.contentType(), file.body());
  }
}

package io.llmlog.server.api;

/** Handles one kind of request. */
@FunctionalInterface
public interface Route {
  void handle(Exchange exchange) throws Exception;
}

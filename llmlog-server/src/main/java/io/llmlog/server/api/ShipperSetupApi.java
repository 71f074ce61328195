package io.llmlog.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.server.config.LlmlogConfig.Role;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The set-up calls log shippers make before they send their first document — Filebeat and Logstash
 * check the license and X-Pack features, then look for their index template and lifecycle policy
 * and install them when missing. llmlog manages its own templates and lifecycle, so it reports no
 * ILM, answers "missing" to the lookups and acknowledges the installs without applying them: the
 * shipper starts, and its documents go through llmlog's pipeline and mapping.
 */
@ElasticsearchRoutes
final class ShipperSetupApi {
  private static final Logger LOG = LogManager.getLogger(ShipperSetupApi.class);

  /** The shipper-managed resources: looked up, then installed. */
  private static final String[] RESOURCES = {
    "_index_template", "_template", "_component_template", "_ilm/policy", "_data_stream"
  };

  private final ObjectMapper json;

  ShipperSetupApi(ObjectMapper json) {
    this.json = json;
  }

  void register(Router router) {
    router.add("GET", "/_license", Role.READ, this::license);
    router.add("GET", "/_xpack", Role.READ, this::xpack);
    for (String resource : RESOURCES) {
      router.add(
          "GET", "/" + resource + "/{name}", Role.READ, exchange -> missing(exchange, resource));
      router.add(
          "PUT",
          "/" + resource + "/{name}",
          Role.INGEST,
          exchange -> acknowledge(exchange, resource));
      router.add(
          "POST",
          "/" + resource + "/{name}",
          Role.INGEST,
          exchange -> acknowledge(exchange, resource));
    }
  }

  private void license(Exchange exchange) throws Exception {
    ObjectNode body = json.createObjectNode();
    ObjectNode license = body.putObject("license");
    license
        .put("status", "active")
        .put("uid", "llmlog")
        .put("type", "basic")
        .put("issue_date", "2026-01-01T00:00:00.000Z")
        .put("issue_date_in_millis", 1767225600000L)
        .put("max_nodes", 1000)
        .put("issued_to", "llmlog")
        .put("issuer", "llmlog")
        .put("start_date_in_millis", -1);
    exchange.json(200, body);
  }

  private void xpack(Exchange exchange) throws Exception {
    ObjectNode body = json.createObjectNode();
    body.putObject("build").put("hash", "llmlog").put("date", "2026-01-01T00:00:00.000Z");
    body.putObject("license")
        .put("uid", "llmlog")
        .put("type", "basic")
        .put("mode", "basic")
        .put("status", "active");
    ObjectNode features = body.putObject("features");
    // No ILM: shippers in "auto" mode then write to plain indices and leave lifecycle to llmlog.
    features.putObject("ilm").put("available", false).put("enabled", false);
    features.putObject("security").put("available", false).put("enabled", false);
    body.put("tagline", "You know, for X");
    exchange.json(200, body);
  }

  private void missing(Exchange exchange, String resource) {
    throw new ApiException(
        404,
        "resource_not_found_exception",
        resource.replace("_", "").replace("/", " ")
            + " ["
            + exchange.pathParameter("name")
            + "] missing: llmlog manages its own index templates and lifecycle");
  }

  private void acknowledge(Exchange exchange, String resource) throws Exception {
    exchange.body(); // read within the limits, then let it go
    LOG.info(
        "acknowledged {} {} from a shipper without applying it: llmlog's own index template and lifecycle apply",
        resource,
        exchange.pathParameter("name"));
    exchange.json(200, json.createObjectNode().put("acknowledged", true));
  }
}

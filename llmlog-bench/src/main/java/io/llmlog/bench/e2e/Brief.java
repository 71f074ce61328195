package io.llmlog.bench.e2e;

/**
 * The brief's Elasticsearch index template, verbatim (installed as the legacy template {@code
 * llm-logs}, as Logstash's {@code template_name => "llm-logs"} does); its Kibana query for slow
 * requests is {@code BriefExample.KIBANA_QUERY} in llmlog-core's test jar. The peer in every
 * end-to-end benchmark is this template with everything else left to the engine's defaults: 3
 * shards, 1 replica (unassigned on one node), refresh every 5 s, and dynamic mappings for every
 * field the template does not name.
 */
final class Brief {
  private Brief() {}

  static final String TEMPLATE_NAME = "llm-logs";

  static final String TEMPLATE =
      """
      {
        "index_patterns": ["llm-logs-*"],
        "settings": {
          "number_of_shards": 3,
          "number_of_replicas": 1,
          "refresh_interval": "5s"
        },
        "mappings": {
          "properties": {
            "timestamp": {"type": "date"},
            "request_id": {"type": "keyword"},
            "model": {"type": "keyword"},
            "input_tokens": {"type": "integer"},
            "output_tokens": {"type": "integer"},
            "latency_ms": {"type": "float"},
            "stop_reason": {"type": "keyword"},
            "level": {"type": "keyword"}
          }
        }
      }
      """;
}

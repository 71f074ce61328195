package io.llmlog.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.InfoResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.json.JsonData;
import co.elastic.clients.json.jackson.Jackson3JsonpMapper;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import io.llmlog.engine.junit.SharedEngineExtension;
import io.llmlog.engine.junit.TestEngine;
import io.llmlog.server.LlmlogServer;
import io.llmlog.server.TestServers;
import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hc.core5.http.HttpHost;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The official Elasticsearch Java client, which nobody here wrote, talking to llmlog's facade. */
@ExtendWith(SharedEngineExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ElasticsearchClientIT {
  private LlmlogServer server;
  private Rest5Client rest;
  private ElasticsearchClient client;
  private TestEngine engine;

  @BeforeAll
  void start(TestEngine engine) {
    this.engine = engine;
    server = TestServers.onSharedEngine(engine, Map.of());
    rest = Rest5Client.builder(new HttpHost("http", "127.0.0.1", server.esPort())).build();
    client = new ElasticsearchClient(new Rest5ClientTransport(rest, new Jackson3JsonpMapper()));
  }

  @AfterAll
  void stop() throws Exception {
    rest.close();
    server.close();
  }

  @Test
  void info_officialClient_acceptsTheFacade() throws Exception {
    InfoResponse info = client.info();

    assertThat(info.version().number()).startsWith("8.");
    assertThat(client.ping().value()).as("HEAD /").isTrue();
  }

  @Test
  void bulk_thousandDocumentsOneMalformed_storesTheRestAndReportsTheOne() throws Exception {
    String run = "esclient-" + System.nanoTime();
    BulkRequest.Builder bulk = new BulkRequest.Builder();
    for (int i = 0; i < 1000; i++) {
      String json =
          i == 500
              ? "{\"request_id\":\""
                  + run
                  + "-"
                  + i
                  + "\",\"model\":\"gpt-4\",\"latency_ms\":\"not a number\"}"
              : "{\"request_id\":\""
                  + run
                  + "-"
                  + i
                  + "\",\"model\":\"gpt-4\",\"timestamp\":\""
                  + Instant.now()
                  + "\",\"latency_ms\":"
                  + (100 + i)
                  + ",\"metrics\":{\"input_tokens\":10,\"output_tokens\":20},\"level\":\"info\"}";
      JsonData document = JsonData.from(new StringReader(json));
      bulk.operations(op -> op.index(index -> index.index("llm-logs-" + run).document(document)));
    }

    BulkResponse response =
        client.bulk(bulk.refresh(co.elastic.clients.elasticsearch._types.Refresh.WaitFor).build());

    assertThat(response.errors()).isTrue();
    List<BulkResponseItem> failed =
        response.items().stream().filter(item -> item.error() != null).collect(Collectors.toList());
    assertThat(failed).hasSize(1);
    assertThat(failed.get(0).status()).isEqualTo(400);
    assertThat(failed.get(0).error().reason()).contains("latency_ms");
    assertThat(
            response.items().stream()
                .filter(item -> item.status() == 201 || item.status() == 200)
                .count())
        .isEqualTo(999);
    engine.refresh(engine.indexPrefix() + "llm-logs-*");
    assertThat(countWithPrefix(run)).isEqualTo(999);
  }

  private long countWithPrefix(String run) {
    String body = "{\"query\":{\"prefix\":{\"request_id\":\"" + run + "-\"}}}";
    String answer = engine.post("/" + engine.indexPrefix() + "llm-logs-*/_count", body);
    return Long.parseLong(answer.replaceAll(".*\"count\"\\s*:\\s*(\\d+).*", "$1"));
  }
}

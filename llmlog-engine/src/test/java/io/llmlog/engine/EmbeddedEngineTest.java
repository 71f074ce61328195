package io.llmlog.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.opensearch.core.common.transport.TransportAddress;

class EmbeddedEngineTest {

  @Test
  void httpUri_ipv4_hostAndPort() throws UnknownHostException {
    assertThat(
            EmbeddedEngine.httpUri(new TransportAddress(InetAddress.getByName("127.0.0.1"), 43817)))
        .isEqualTo(URI.create("http://127.0.0.1:43817"));
  }

  @Test
  void httpUri_ipv6_bracketed() throws UnknownHostException {
    assertThat(EmbeddedEngine.httpUri(new TransportAddress(InetAddress.getByName("::1"), 9200)))
        .isEqualTo(URI.create("http://[0:0:0:0:0:0:0:1]:9200"));
  }
}

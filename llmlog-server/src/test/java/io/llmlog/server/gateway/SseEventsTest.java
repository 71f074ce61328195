package io.llmlog.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseEventsTest {
  @Test
  void parse_namedMultilineAndCommentedEvents_inAnyLineEnding_withTheirEndOffsets() {
    String stream =
        ": keep-alive\r\nevent: message_start\r\ndata: {\"a\":1}\r\n\r\ndata: line one\ndata: line two\n\ndata: [DONE]\r\rdata: {\"cut";
    byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);

    List<SseEvents.Event> events = SseEvents.parse(bytes, bytes.length);

    assertThat(events)
        .extracting(SseEvents.Event::name)
        .containsExactly("message_start", null, null);
    assertThat(events)
        .extracting(SseEvents.Event::data)
        .containsExactly("{\"a\":1}", "line one\nline two", "[DONE]");
    assertThat(events.get(0).end()).isEqualTo(stream.indexOf("data: line one"));
  }
}

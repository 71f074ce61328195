package io.llmlog.server.otlp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.protobuf.util.JsonFormat;
import io.llmlog.server.ingest.BadRequestException;
import io.llmlog.server.ingest.Body;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads OTLP/HTTP request bodies with the published definitions: binary protobuf ({@code
 * application/x-protobuf}) with protobuf's own parser, and OTLP/JSON ({@code application/json})
 * with protobuf's JSON mapping. OTLP/JSON differs from that mapping in one way that needs work
 * here: trace and span ids are hex, not base64. (Its other rules — lowerCamelCase names, enums as
 * numbers, 64-bit integers as strings — are what protobuf's JSON parser accepts anyway; unknown
 * fields are ignored, as the specification asks.)
 */
public final class OtlpBodies {
  /** The two encodings of OTLP/HTTP. */
  public enum Format {
    PROTOBUF("application/x-protobuf"),
    JSON("application/json");

    private final String contentType;

    Format(String contentType) {
      this.contentType = contentType;
    }

    public String contentType() {
      return contentType;
    }
  }

  /**
   * The fields that hold trace and span ids, as OTLP/JSON names them (and as protobuf's JSON
   * mapping also accepts).
   */
  private static final Set<String> ID_FIELDS =
      Set.of("traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id");

  /**
   * The protobuf reader's buffer: the size of the body's chunks, so that most strings are read from
   * it without a copy.
   */
  private static final int READ_BUFFER = 64 * 1024;

  private final ObjectMapper json;
  private final JsonFormat.Parser parser = JsonFormat.parser().ignoringUnknownFields();

  public OtlpBodies(ObjectMapper json) {
    this.json = json;
  }

  /**
   * The encoding a {@code Content-Type} names.
   *
   * @throws UnsupportedMediaTypeException for anything else
   */
  public static Format format(String contentType) {
    String type =
        contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return switch (type) {
      case "application/x-protobuf", "application/protobuf" -> Format.PROTOBUF;
      case "application/json" -> Format.JSON;
      default ->
          throw new UnsupportedMediaTypeException(
              "Content-Type '"
                  + (contentType == null ? "" : contentType)
                  + "' is not OTLP/HTTP: send application/x-protobuf or application/json");
    };
  }

  /**
   * @throws BadRequestException when the body is not a trace export in that encoding
   */
  public ExportTraceServiceRequest traces(Body body, Format format) {
    return format == Format.PROTOBUF
        ? protobuf(body, ExportTraceServiceRequest.parser(), "trace")
        : json(body, ExportTraceServiceRequest.newBuilder(), "trace").build();
  }

  /**
   * @throws BadRequestException when the body is not a log export in that encoding
   */
  public ExportLogsServiceRequest logs(Body body, Format format) {
    return format == Format.PROTOBUF
        ? protobuf(body, ExportLogsServiceRequest.parser(), "log")
        : json(body, ExportLogsServiceRequest.newBuilder(), "log").build();
  }

  /**
   * Parses from the body's chunks rather than from one array: a decompressed body is held in
   * chunks, and joining them would copy the whole export once more for every request.
   */
  private static <T> T protobuf(Body body, Parser<T> parser, String what) {
    try {
      CodedInputStream input = CodedInputStream.newInstance(body.stream(), READ_BUFFER);
      T message = parser.parseFrom(input);
      input.checkLastTagWas(0);
      return message;
    } catch (InvalidProtocolBufferException e) {
      throw new BadRequestException(
          "the body is not a protobuf OTLP " + what + " export: " + e.getMessage());
    }
  }

  private <B extends Message.Builder> B json(Body body, B builder, String what) {
    try {
      JsonNode tree = json.readTree(body.stream());
      if (tree == null || !tree.isObject()) {
        throw new BadRequestException(
            "the body is not an OTLP/JSON " + what + " export: expected a JSON object");
      }
      hexIdsToBase64(tree);
      parser.merge(json.writeValueAsString(tree), builder);
      return builder;
    } catch (JsonProcessingException e) {
      throw new BadRequestException("the body is not valid JSON: " + e.getOriginalMessage());
    } catch (InvalidProtocolBufferException e) {
      throw new BadRequestException(
          "the body is not an OTLP/JSON " + what + " export: " + e.getMessage());
    } catch (IOException e) {
      throw new BadRequestException("the body cannot be read: " + e.getMessage());
    }
  }

  /**
   * OTLP/JSON writes ids as hex; protobuf's JSON mapping reads bytes as base64. An id that is not
   * hex becomes empty, so that its span is rejected by name rather than the whole export.
   */
  private static void hexIdsToBase64(JsonNode node) {
    if (node.isArray()) {
      node.forEach(OtlpBodies::hexIdsToBase64);
      return;
    }
    if (!node.isObject()) {
      return;
    }
    ObjectNode object = (ObjectNode) node;
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode value = field.getValue();
      if (ID_FIELDS.contains(field.getKey()) && value.isTextual()) {
        field.setValue(object.textNode(base64(value.asText())));
      } else if (value.isContainerNode()) {
        hexIdsToBase64(value);
      }
    }
  }

  private static String base64(String hex) {
    try {
      return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
    } catch (IllegalArgumentException notHex) {
      return "";
    }
  }
}

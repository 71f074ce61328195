package io.llmlog.server.otlp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes a step's record ({@link io.llmlog.core.SpanField}) from a span that is not a model call:
 * agent, tool, retrieval and workflow spans by the conventions' names and by OpenInference's,
 * OpenLLMetry's and Spring AI's own.
 */
final class StepMapper {
  private final Mapping mapping;

  StepMapper(Mapping mapping) {
    this.mapping = mapping;
  }

  Map<String, Object> span(OtlpSpan span, String kind) {
    Attributes a = span.attributes();
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("timestamp", Mapping.time(span.startNanos()));
    record.put("duration_ms", Math.max(0, span.durationMs()));
    mapping.context(record, span.origin(), span.traceId(), span.spanId(), span.parentId(), a);
    record.put("name", span.name().isEmpty() ? "(unnamed)" : span.name());
    record.put("kind", kind);
    Mapping.putIfPresent(record, "operation", a.string("gen_ai.operation.name"));
    a.took("openinference.span.kind");
    a.took("traceloop.span.kind");
    a.took("spring.ai.kind");
    record.put(
        "status",
        span.statusCode() == OtlpSpan.STATUS_ERROR
            ? "error"
            : span.statusCode() == OtlpSpan.STATUS_OK ? "ok" : "unset");
    if (mapping.error(record, span)) {
      record.put("status", "error");
    }
    String entity = a.string("traceloop.entity.name");
    Map<String, Object> agent = new LinkedHashMap<>();
    Mapping.putIfPresent(
        agent,
        "name",
        first(a.string("gen_ai.agent.name", "agent.name"), kind.equals("agent") ? entity : null));
    Mapping.putIfPresent(agent, "id", a.string("gen_ai.agent.id"));
    Map<String, Object> tool = new LinkedHashMap<>();
    Mapping.putIfPresent(
        tool,
        "name",
        first(
            a.string("gen_ai.tool.name", "tool.name", "spring.ai.tool.definition.name"),
            kind.equals("tool") ? entity : null));
    Mapping.putIfPresent(tool, "type", a.string("gen_ai.tool.type"));
    Mapping.putIfPresent(
        tool, "call_id", a.string("gen_ai.tool.call.id", "tool.id", "tool_call.id"));
    Mapping.putIfPresent(
        tool,
        "arguments",
        mapping.text(
            a.take(
                "gen_ai.tool.call.arguments", "spring.ai.tool.call.arguments", "tool.parameters")));
    Mapping.putIfPresent(
        tool,
        "result",
        mapping.text(a.take("gen_ai.tool.call.result", "spring.ai.tool.call.result")));
    Map<String, Object> workflow = new LinkedHashMap<>();
    Mapping.putIfPresent(
        workflow,
        "name",
        first(
            a.string("gen_ai.workflow.name", "traceloop.workflow.name"),
            kind.equals("workflow") ? entity : null));
    Map<String, Object> retrieval = new LinkedHashMap<>();
    Mapping.putIfPresent(
        retrieval,
        "query",
        mapping.text(a.take("gen_ai.retrieval.query.text", "db.vector.query.content")));
    List<String> documents = documentIds(a);
    if (!documents.isEmpty()) {
      retrieval.put("document_ids", documents);
    }
    String input = mapping.text(a.take("input.value", "traceloop.entity.input"));
    String output = mapping.text(a.take("output.value", "traceloop.entity.output"));
    a.took("input.mime_type");
    a.took("output.mime_type");
    // OpenInference gives a tool's arguments and result, and a retriever's query, only as its input
    // and output.
    if (kind.equals("tool") && !tool.containsKey("arguments") && input != null) {
      tool.put("arguments", input);
      input = null;
    }
    if (kind.equals("tool") && !tool.containsKey("result") && output != null) {
      tool.put("result", output);
      output = null;
    }
    if (kind.equals("retrieval") && !retrieval.containsKey("query") && input != null) {
      retrieval.put("query", input);
      input = null;
    }
    putObject(record, "agent", agent);
    putObject(record, "tool", tool);
    putObject(record, "workflow", workflow);
    putObject(record, "retrieval", retrieval);
    Mapping.putIfPresent(record, "input", input);
    Mapping.putIfPresent(record, "output", output);
    record.put("source", "otlp");
    mapping.metadata(record, a.rest());
    return record;
  }

  /**
   * Document ids from the conventions' {@code gen_ai.retrieval.documents} or OpenInference's {@code
   * retrieval.documents.N.document.id}.
   */
  private static List<String> documentIds(Attributes a) {
    List<String> ids = new ArrayList<>();
    Object documents = a.structured("gen_ai.retrieval.documents");
    if (documents instanceof List<?> list) {
      for (Object document : list) {
        if (document instanceof Map<?, ?> map && map.get("id") != null) {
          ids.add(String.valueOf(map.get("id")));
        }
      }
    }
    if (ids.isEmpty() && a.hasPrefix("retrieval.documents.")) {
      List<Object> indexed = Indexed.list(a.takePrefixed("retrieval.documents."));
      if (indexed != null) {
        for (Object item : indexed) {
          if (item instanceof Map<?, ?> outer
              && outer.get("document") instanceof Map<?, ?> document
              && document.get("id") != null) {
            ids.add(String.valueOf(document.get("id")));
          }
        }
      }
    }
    return ids;
  }

  private static String first(String value, String fallback) {
    return value != null ? value : fallback;
  }

  private static void putObject(
      Map<String, Object> record, String key, Map<String, Object> object) {
    if (!object.isEmpty()) {
      record.put(key, object);
    }
  }
}

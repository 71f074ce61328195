package io.llmlog.server.otlp;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Tells a model call from a step and a step's kind, by every emitter's marks: the conventions'
 * {@code gen_ai.operation.name}, the older {@code gen_ai.system}, OpenLLMetry's {@code
 * llm.request.type} and {@code traceloop.span.kind}, OpenInference's {@code
 * openinference.span.kind}, and Spring AI's {@code spring.ai.kind} and observation names.
 */
final class SpanKinds {
  private SpanKinds() {}

  /** The operations of a model call. */
  static final Set<String> MODEL_OPERATIONS =
      Set.of("chat", "text_completion", "generate_content", "embeddings");

  /**
   * Spring AI's model observations, the span's name when the observation has no contextual name.
   */
  private static final Map<String, String> SPRING_AI_OBSERVATIONS =
      Map.of(
          "gen_ai.client.operation", "chat",
          "spring.ai.chat.model", "chat",
          "spring.ai.embedding.model", "embeddings");

  private static final Map<String, String> OPERATION_KINDS =
      Map.of(
          "execute_tool", "tool",
          "invoke_agent", "agent",
          "create_agent", "agent",
          "invoke_workflow", "workflow",
          "retrieval", "retrieval",
          "plan", "step");

  private static final Map<String, String> OPENINFERENCE_KINDS =
      Map.of(
          "TOOL", "tool",
          "AGENT", "agent",
          "CHAIN", "workflow",
          "RETRIEVER", "retrieval",
          "RERANKER", "retrieval",
          "GUARDRAIL", "other",
          "EVALUATOR", "other",
          "PROMPT", "step");

  private static final Map<String, String> TRACELOOP_KINDS =
      Map.of(
          "workflow", "workflow",
          "task", "step",
          "agent", "agent",
          "tool", "tool");

  private static final Map<String, String> SPRING_AI_KINDS =
      Map.of(
          "tool_call", "tool",
          "chat_client", "step",
          "advisor", "step",
          "vector_store", "retrieval");

  /**
   * The model operation when the span (or log record) is a model call, else null. Reads without
   * taking.
   */
  static String modelOperation(Attributes attributes, String spanName) {
    Object operation = attributes.get("gen_ai.operation.name");
    if (operation instanceof String name) {
      String normalized = name.toLowerCase(Locale.ROOT);
      if (MODEL_OPERATIONS.contains(normalized)) {
        return normalized;
      }
      if (normalized.equals("completion") || normalized.equals("text_completion")) {
        return "text_completion";
      }
      if (normalized.equals("embedding")) {
        return "embeddings";
      }
      return null; // another operation: a step, or a framework span (Spring AI's "framework").
    }
    if (attributes.get("llm.request.type") instanceof String type) {
      return switch (type.toLowerCase(Locale.ROOT)) {
        case "chat" -> "chat";
        case "completion" -> "text_completion";
        case "embedding", "embeddings" -> "embeddings";
        default -> null;
      };
    }
    if (attributes.get("openinference.span.kind") instanceof String kind) {
      return switch (kind.toUpperCase(Locale.ROOT)) {
        case "LLM" -> "chat";
        case "EMBEDDING" -> "embeddings";
        default -> null;
      };
    }
    if (spanName != null && SPRING_AI_OBSERVATIONS.containsKey(spanName)) {
      return SPRING_AI_OBSERVATIONS.get(spanName);
    }
    // The older conventions had no operation name on every emitter, but always the system.
    if (attributes.get("gen_ai.system") instanceof String system
        && !system.equals("spring_ai")
        && (attributes.has("gen_ai.request.model") || attributes.has("gen_ai.response.model"))) {
      return "chat";
    }
    return null;
  }

  /**
   * The kind of a GenAI step (tool, agent, retrieval, workflow, step, other), or null for a span no
   * GenAI emitter marked.
   */
  static String stepKind(Attributes attributes) {
    if (attributes.get("gen_ai.operation.name") instanceof String operation
        && OPERATION_KINDS.containsKey(operation.toLowerCase(Locale.ROOT))) {
      return OPERATION_KINDS.get(operation.toLowerCase(Locale.ROOT));
    }
    if (attributes.get("openinference.span.kind") instanceof String kind) {
      return OPENINFERENCE_KINDS.getOrDefault(kind.toUpperCase(Locale.ROOT), "other");
    }
    if (attributes.get("traceloop.span.kind") instanceof String kind) {
      return TRACELOOP_KINDS.getOrDefault(kind.toLowerCase(Locale.ROOT), "other");
    }
    if (attributes.get("spring.ai.kind") instanceof String kind) {
      return SPRING_AI_KINDS.getOrDefault(kind.toLowerCase(Locale.ROOT), "other");
    }
    if (attributes.has("gen_ai.operation.name")
        || attributes.has("gen_ai.system")
        || attributes.has("gen_ai.provider.name")) {
      return "other";
    }
    return null;
  }
}

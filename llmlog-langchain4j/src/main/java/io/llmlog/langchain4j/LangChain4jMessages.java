package io.llmlog.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.output.FinishReason;
import io.llmlog.core.message.ChatMessage;
import io.llmlog.core.message.MessagePart;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * LangChain4j's messages, finish reasons and providers in llmlog's terms (OpenTelemetry GenAI
 * names).
 */
final class LangChain4jMessages {
  private LangChain4jMessages() {}

  static List<ChatMessage> of(List<dev.langchain4j.data.message.ChatMessage> messages) {
    List<ChatMessage> converted = new ArrayList<>(messages.size());
    for (dev.langchain4j.data.message.ChatMessage message : messages) {
      converted.add(of(message));
    }
    return converted;
  }

  static ChatMessage of(dev.langchain4j.data.message.ChatMessage message) {
    if (message instanceof SystemMessage system) {
      return ChatMessage.system(system.text());
    }
    if (message instanceof UserMessage user) {
      List<MessagePart> parts = new ArrayList<>(user.contents().size());
      for (Content content : user.contents()) {
        parts.add(
            content instanceof TextContent text
                ? new MessagePart.Text(text.text())
                : new MessagePart.Other(content.type().name().toLowerCase(Locale.ROOT), Map.of()));
      }
      return new ChatMessage("user", parts, null);
    }
    if (message instanceof AiMessage ai) {
      return assistant(ai, null);
    }
    if (message instanceof ToolExecutionResultMessage result) {
      return ChatMessage.toolResult(result.id(), result.text());
    }
    // Custom messages: kept as a part naming their type, so the turn is not lost.
    return new ChatMessage(
        message.type().name().toLowerCase(Locale.ROOT),
        List.of(new MessagePart.Other("custom", Map.of())),
        null);
  }

  /** The model's message: its reasoning, text and tool calls, in that order. */
  static ChatMessage assistant(AiMessage ai, String finishReason) {
    List<MessagePart> parts = new ArrayList<>(2);
    if (ai.thinking() != null && !ai.thinking().isEmpty()) {
      parts.add(new MessagePart.Reasoning(ai.thinking()));
    }
    if (ai.text() != null) {
      parts.add(new MessagePart.Text(ai.text()));
    }
    if (ai.toolExecutionRequests() != null) {
      for (ToolExecutionRequest request : ai.toolExecutionRequests()) {
        parts.add(new MessagePart.ToolCall(request.id(), request.name(), request.arguments()));
      }
    }
    return new ChatMessage("assistant", parts, finishReason);
  }

  /** The finish reason as OpenAI and the GenAI conventions spell it. */
  static String finishReason(FinishReason reason) {
    if (reason == null) {
      return null;
    }
    return switch (reason) {
      case STOP -> "stop";
      case LENGTH -> "length";
      case TOOL_EXECUTION -> "tool_calls";
      case CONTENT_FILTER -> "content_filter";
      default -> reason.name().toLowerCase(Locale.ROOT);
    };
  }

  /** The provider as the GenAI conventions name it ({@code gen_ai.provider.name}). */
  static String provider(ModelProvider provider) {
    if (provider == null) {
      return null;
    }
    return switch (provider.name()) {
      case "OPEN_AI" -> "openai";
      case "ANTHROPIC" -> "anthropic";
      case "AZURE_OPEN_AI" -> "azure.ai.openai";
      case "AMAZON_BEDROCK" -> "aws.bedrock";
      case "GOOGLE_AI_GEMINI", "GOOGLE_GENAI" -> "gcp.gemini";
      case "GOOGLE_VERTEX_AI_GEMINI", "GOOGLE_VERTEX_AI_ANTHROPIC" -> "gcp.vertex_ai";
      case "MISTRAL_AI" -> "mistral_ai";
      case "OTHER" -> null;
      default -> provider.name().toLowerCase(Locale.ROOT);
    };
  }
}

package io.llmlog.spring.ai;

import io.llmlog.core.message.ChatMessage;
import io.llmlog.core.message.MessagePart;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.content.Media;

/** Spring AI's messages in llmlog's terms (OpenTelemetry GenAI's message shape). */
final class SpringAiMessages {
  private SpringAiMessages() {}

  static List<ChatMessage> of(List<Message> messages) {
    List<ChatMessage> converted = new ArrayList<>(messages.size());
    for (Message message : messages) {
      converted.add(of(message));
    }
    return converted;
  }

  static ChatMessage of(Message message) {
    if (message instanceof AssistantMessage assistant) {
      return assistant(assistant, null);
    }
    if (message instanceof ToolResponseMessage tool) {
      List<MessagePart> parts = new ArrayList<>(tool.getResponses().size());
      for (ToolResponseMessage.ToolResponse response : tool.getResponses()) {
        parts.add(new MessagePart.ToolCallResponse(response.id(), response.responseData()));
      }
      return new ChatMessage("tool", parts, null);
    }
    List<MessagePart> parts = new ArrayList<>(1);
    if (message.getText() != null) {
      parts.add(new MessagePart.Text(message.getText()));
    }
    if (message instanceof UserMessage user) {
      for (Media media : user.getMedia()) {
        parts.add(
            new MessagePart.Other(
                "media", Map.of("mime_type", String.valueOf(media.getMimeType()))));
      }
    }
    return new ChatMessage(message.getMessageType().getValue(), parts, null);
  }

  /** The model's message: its text and tool calls. */
  static ChatMessage assistant(AssistantMessage message, String finishReason) {
    List<MessagePart> parts = new ArrayList<>(1);
    if (message.getText() != null && !message.getText().isEmpty()) {
      parts.add(new MessagePart.Text(message.getText()));
    }
    for (AssistantMessage.ToolCall call : message.getToolCalls()) {
      parts.add(new MessagePart.ToolCall(call.id(), call.name(), call.arguments()));
    }
    return new ChatMessage("assistant", parts, finishReason);
  }

  /**
   * Spring AI passes the provider's finish reason through, in its own case ({@code STOP}); llmlog
   * writes it lower-case.
   */
  static String finishReason(String reason) {
    return reason == null || reason.isEmpty() ? null : reason.toLowerCase(Locale.ROOT);
  }
}

package io.llmlog.core.message;

import io.llmlog.core.InvalidFieldException;
import io.llmlog.core.Texts;
import java.util.List;

/**
 * One message of a chat call: who said it ({@code system}, {@code user}, {@code assistant}, {@code
 * tool}) and what, as typed parts.
 *
 * @param role the author's role; required
 * @param parts what the message holds, in order; never null
 * @param finishReason why generation stopped, on output messages ({@code stop}, {@code length},
 *     {@code tool_call}, ...); null on input messages
 */
public record ChatMessage(String role, List<MessagePart> parts, String finishReason) {
  public ChatMessage {
    if (Texts.isBlank(role)) {
      throw new InvalidFieldException("role", "is required");
    }
    parts = parts == null ? List.of() : List.copyOf(parts);
  }

  /** A message of plain text. */
  public static ChatMessage of(String role, String text) {
    return new ChatMessage(role, List.of(new MessagePart.Text(text)), null);
  }

  public static ChatMessage system(String text) {
    return of("system", text);
  }

  public static ChatMessage user(String text) {
    return of("user", text);
  }

  public static ChatMessage assistant(String text) {
    return of("assistant", text);
  }

  /** The result of a tool call, sent back to the model. */
  public static ChatMessage toolResult(String toolCallId, Object response) {
    return new ChatMessage(
        "tool", List.of(new MessagePart.ToolCallResponse(toolCallId, response)), null);
  }

  /** This message with a finish reason, as an output message carries it. */
  public ChatMessage withFinishReason(String reason) {
    return new ChatMessage(role, parts, reason);
  }
}

package io.llmlog.langchain4j;

import dev.langchain4j.model.output.TokenUsage;

/**
 * Cached and reasoning tokens, which only some providers' token usage types carry. The OpenAI
 * module is optional: its type is looked at only when it is on the class path.
 */
final class UsageDetails {
  private static final boolean OPEN_AI = present("dev.langchain4j.model.openai.OpenAiTokenUsage");
  private static final Integer[] NONE = new Integer[2];

  private UsageDetails() {}

  /** {cached input tokens, reasoning tokens}, each null when not reported. */
  static Integer[] of(TokenUsage usage) {
    return OPEN_AI ? OpenAi.of(usage) : NONE;
  }

  private static boolean present(String name) {
    try {
      Class.forName(name, false, UsageDetails.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private static final class OpenAi {
    static Integer[] of(TokenUsage usage) {
      if (!(usage instanceof dev.langchain4j.model.openai.OpenAiTokenUsage openAi)) {
        return NONE;
      }
      Integer cached =
          openAi.inputTokensDetails() == null ? null : openAi.inputTokensDetails().cachedTokens();
      Integer reasoning =
          openAi.outputTokensDetails() == null
              ? null
              : openAi.outputTokensDetails().reasoningTokens();
      return new Integer[] {cached, reasoning};
    }
  }
}

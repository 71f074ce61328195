package io.llmlog.server.cli;

/** Placeholder entry point until the server lands. */
public final class LlmlogCommand {
  private LlmlogCommand() {}

  public static void main(String[] args) {
    System.err.println("llmlog: the server is not built yet");
    System.exit(2);
  }
}

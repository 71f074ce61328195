package example;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.llmlog.client.LlmLogContext;
import io.llmlog.client.LlmLogger;
import io.llmlog.core.testing.FakeOpenAi;
import io.llmlog.langchain4j.LlmlogChatModelListener;
import io.llmlog.langchain4j.LlmlogStreamingChatModel;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A LangChain4j chat, blocking and streamed, logged to llmlog. Uses OpenAI when OPENAI_API_KEY is
 * set, else llmlog's local demo model. Run: {@code ./llmlog example langchain4j-chat}.
 */
public class Main {
  public static void main(String[] args) throws Exception {
    String key = System.getenv("OPENAI_API_KEY");
    FakeOpenAi demo = key == null ? FakeOpenAi.start() : null;
    String baseUrl = demo != null ? demo.v1().toString() : "https://api.openai.com/v1";

    LlmLogger logger = LlmLogger.builder("langchain4j-chat")
        .endpoint(URI.create(System.getenv().getOrDefault("LLMLOG_ENDPOINT", "http://localhost:8080")))
        .build();

    ChatModel model = OpenAiChatModel.builder()
        .baseUrl(baseUrl).apiKey(key != null ? key : "demo").modelName("gpt-4o-mini")
        .listeners(List.of(new LlmlogChatModelListener(logger)))   // the one line
        .build();
    StreamingChatModel streaming = LlmlogStreamingChatModel.timed(OpenAiStreamingChatModel.builder()   // time to first token
        .baseUrl(baseUrl).apiKey(key != null ? key : "demo").modelName("gpt-4o-mini")
        .listeners(List.of(new LlmlogChatModelListener(logger)))
        .build());

    try (var ctx = LlmLogContext.session("langchain4j-demo").user("u-7")) {
      System.out.println("blocking: " + model.chat("What is the capital of France?"));
      CompletableFuture<ChatResponse> done = new CompletableFuture<>();
      streaming.chat("Name three rivers in France.", new StreamingChatResponseHandler() {
        @Override
        public void onPartialResponse(String partial) {
          System.out.print(partial);
        }

        @Override
        public void onCompleteResponse(ChatResponse response) {
          done.complete(response);
        }

        @Override
        public void onError(Throwable error) {
          done.completeExceptionally(error);
        }
      });
      done.get();
      System.out.println();
    }

    logger.close();
    System.out.println("llmlog: " + logger.shippingMetrics() + " — search session_id:langchain4j-demo in the dashboard");
    if (demo != null) {
      demo.close();
    }
  }
}

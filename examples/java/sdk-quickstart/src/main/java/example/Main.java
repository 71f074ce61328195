package example;

import io.llmlog.client.LlmCall;
import io.llmlog.client.LlmLogContext;
import io.llmlog.client.LlmLogger;
import io.llmlog.core.LlmLogEntry;
import io.llmlog.core.LogLevel;
import java.net.URI;

/**
 * The README's quick start, as it is written there. Run it against a running llmlog:
 * {@code ./llmlog example sdk-quickstart} (LLMLOG_ENDPOINT, default http://localhost:8080).
 */
public class Main {
  public static void main(String[] args) {
    String endpoint = System.getenv().getOrDefault("LLMLOG_ENDPOINT", "http://localhost:8080");

    // --- README: log a call ---
    LlmLogger logger = LlmLogger.builder("llm-inference")
        .endpoint(URI.create(endpoint))   // leave out to only write JSON lines
        .build();

    logger.log(LlmLogEntry.builder()       // timestamp and request id default to now and a new UUID
        .userId("user_123")
        .model("gpt-4")
        .prompt("解释机器学习的基本概念")
        .response("机器学习是人工智能的一个子领域...")
        .systemPrompt("你是一个AI助手")
        .temperature(0.7).maxTokens(2048)
        .inputTokens(15).outputTokens(256)
        .latencyMs(2340.5).firstTokenLatencyMs(180.2)
        .stopReason("stop")
        .level(LogLevel.INFO)
        .build());

    // --- README: let the SDK time the call ---
    try (var ctx = LlmLogContext.session("s-1").user("u-7");
         LlmCall call = logger.startCall("gpt-4o", "What is the capital of France?")) {
      String response = "Paris.";          // ... call the model, streaming ...
      call.firstToken();
      call.end(response, 9, 2, "stop");    // or call.fail(exception); closed without either: logged as failed
    }

    logger.close();                        // sends what is queued (a shutdown hook does it too)
    System.out.println("llmlog: logged 2 calls to " + endpoint + "; server: " + logger.shippingMetrics());
  }
}

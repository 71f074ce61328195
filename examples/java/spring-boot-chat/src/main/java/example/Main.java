package example;

import io.llmlog.client.LlmLogContext;
import io.llmlog.core.testing.FakeOpenAi;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Spring AI application that knows nothing of llmlog but its starter and two properties: every
 * call is logged. Uses OpenAI when OPENAI_API_KEY is set, else llmlog's local demo model. Run:
 * {@code ./llmlog example spring-boot-chat}.
 */
@SpringBootApplication
public class Main {
  public static void main(String[] args) {
    String key = System.getenv("OPENAI_API_KEY");
    FakeOpenAi demo = key == null ? FakeOpenAi.start() : null;
    System.setProperty("spring.ai.openai.api-key", key != null ? key : "demo");
    if (demo != null) {
      System.setProperty("spring.ai.openai.base-url", demo.baseUrl().toString());
    }
    SpringApplication.run(Main.class, args).close();   // closing the context sends what llmlog queued
    if (demo != null) {
      demo.close();
    }
  }

  @Bean
  CommandLineRunner chat(ChatClient.Builder builder) {
    return args -> {
      ChatClient client = builder.build();
      try (var ctx = LlmLogContext.session("spring-boot-demo").user("u-7")) {
        System.out.println("blocking: " + client.prompt("What is the capital of France?").call().content());
        System.out.println("streamed: " + String.join("", client.prompt("Name three rivers in France.").stream().content().collectList().block()));
      }
      System.out.println("llmlog: search session_id:spring-boot-demo in the dashboard");
    };
  }
}

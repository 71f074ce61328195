package io.llmlog.core;

import io.llmlog.core.message.ChatMessage;
import io.llmlog.core.message.Messages;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One LLM call: the brief's {@code LLMLogEntry}, extended with tracing ids, provider, cached and
 * reasoning tokens, a latency breakdown, the error, metadata and tags.
 *
 * <p>Only {@code timestamp}, {@code request_id} and {@code model} are required; the builder
 * defaults the first two. The groups ({@link #parameters()}, {@link #usage()}, {@link
 * #performance()}) are never null; their parts are null when not reported. Build one with {@link
 * #builder()}.
 *
 * @param timestamp when the call was made
 * @param requestId the call's unique id; records of one call share it
 * @param traceId the distributed trace the call belongs to
 * @param parentId the span or call that made this call
 * @param spanId the call's own span id in its trace, when it has one
 * @param sessionId the conversation or user session
 * @param service the application that made the call
 * @param environment such as {@code prod} or {@code staging}
 * @param userId the end user on whose behalf the call was made
 * @param model the model name, the brief's {@code model_name}
 * @param provider such as {@code openai}, {@code anthropic}, {@code azure}
 * @param operation the kind of call: {@code chat}, {@code text_completion}, {@code embeddings}, ...
 * @param prompt the user input
 * @param systemPrompt the system prompt
 * @param response the generated output
 * @param inputMessages the messages sent to the model, structured; never null. When {@code prompt}
 *     or {@code systemPrompt} is not given, it is rendered from them
 * @param outputMessages the messages the model returned, structured; never null. When {@code
 *     response} is not given, it is rendered from them
 * @param parameters temperature, top_p, max_tokens
 * @param usage token counts
 * @param performance latency breakdown
 * @param costUsd what the call cost in US dollars, when the application knows; the server computes
 *     it from its price table otherwise
 * @param stopReason why generation stopped: {@code stop}, {@code length}, {@code tool_calls}, ...
 * @param level info, warning or error; error when {@code error} is given and no level is
 * @param error why the call failed, or null
 * @param metadata free-form string attributes
 * @param tags free-form labels
 */
public record LlmLogEntry(
    Instant timestamp,
    String requestId,
    String traceId,
    String parentId,
    String spanId,
    String sessionId,
    String service,
    String environment,
    String userId,
    String model,
    String provider,
    String operation,
    String prompt,
    String systemPrompt,
    String response,
    List<ChatMessage> inputMessages,
    List<ChatMessage> outputMessages,
    ModelParameters parameters,
    TokenUsage usage,
    Performance performance,
    Double costUsd,
    String stopReason,
    LogLevel level,
    ErrorInfo error,
    Map<String, String> metadata,
    List<String> tags) {

  public LlmLogEntry {
    if (timestamp == null) {
      throw new InvalidFieldException(LogField.TIMESTAMP.jsonName(), "is required");
    }
    if (Texts.isBlank(requestId)) {
      throw new InvalidFieldException(LogField.REQUEST_ID.jsonName(), "is required");
    }
    if (Texts.isBlank(model)) {
      throw new InvalidFieldException(LogField.MODEL.jsonName(), "is required");
    }
    parameters = Objects.requireNonNullElse(parameters, ModelParameters.NONE);
    usage = Objects.requireNonNullElse(usage, TokenUsage.NONE);
    performance = Objects.requireNonNullElse(performance, Performance.NONE);
    LogField.COST_USD.check(costUsd);
    if (level == null) {
      level = error != null ? LogLevel.ERROR : LogLevel.INFO;
    }
    metadata = copyMetadata(metadata);
    tags = copyTags(tags);
    inputMessages = inputMessages == null ? List.of() : List.copyOf(inputMessages);
    outputMessages = outputMessages == null ? List.of() : List.copyOf(outputMessages);
    if (!inputMessages.isEmpty() && (prompt == null || systemPrompt == null)) {
      List<Map<String, Object>> tree = Messages.toTree(inputMessages);
      prompt = prompt != null ? prompt : Messages.prompt(tree);
      systemPrompt = systemPrompt != null ? systemPrompt : Messages.systemPrompt(tree);
    }
    if (!outputMessages.isEmpty() && response == null) {
      response = Messages.response(Messages.toTree(outputMessages));
    }
  }

  /**
   * An empty builder. Only the model must be set: a timestamp left out is the time of {@link
   * Builder#build()}, a request id left out a random UUID, as {@code LlmCall} does. {@link
   * Builder#noDefaults()} turns that off for readers of records, where a missing timestamp or
   * request id is an error of the input.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from this entry's values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  private static Map<String, String> copyMetadata(Map<String, String> metadata) {
    if (metadata == null || metadata.isEmpty()) {
      return Map.of();
    }
    Map<String, String> copy = new LinkedHashMap<>();
    metadata.forEach(
        (key, value) -> {
          if (Texts.isBlank(key)) {
            throw new InvalidFieldException(LogField.METADATA.jsonName(), "keys must not be blank");
          }
          if (value == null) {
            throw new InvalidFieldException(
                LogField.METADATA.jsonName() + "." + key, "must not be null");
          }
          copy.put(key, value);
        });
    return Collections.unmodifiableMap(copy);
  }

  private static List<String> copyTags(List<String> tags) {
    if (tags == null || tags.isEmpty()) {
      return List.of();
    }
    for (String tag : tags) {
      if (tag == null) {
        throw new InvalidFieldException(LogField.TAGS.jsonName(), "must not contain null");
      }
    }
    return List.copyOf(tags);
  }

  /** Builds an {@link LlmLogEntry}; setters are named after the brief's fields. */
  public static final class Builder {
    private Instant timestamp;
    private String requestId;
    private String traceId;
    private String parentId;
    private String spanId;
    private String sessionId;
    private String service;
    private String environment;
    private String userId;
    private String model;
    private String provider;
    private String operation;
    private String prompt;
    private String systemPrompt;
    private String response;
    private List<ChatMessage> inputMessages = List.of();
    private List<ChatMessage> outputMessages = List.of();
    private Double temperature;
    private Double topP;
    private Integer maxTokens;
    private Integer inputTokens;
    private Integer outputTokens;
    private Integer cachedInputTokens;
    private Integer reasoningTokens;
    private Integer cacheCreationInputTokens;
    private Double latencyMs;
    private Double ttftMs;
    private Double queueWaitMs;
    private Double generationMs;
    private Double tokensPerSecond;
    private Double costUsd;
    private String stopReason;
    private LogLevel level;
    private ErrorInfo error;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final List<String> tags = new ArrayList<>();
    private boolean defaults = true;

    Builder() {}

    Builder(LlmLogEntry entry) {
      timestamp = entry.timestamp;
      requestId = entry.requestId;
      traceId = entry.traceId;
      parentId = entry.parentId;
      spanId = entry.spanId;
      sessionId = entry.sessionId;
      service = entry.service;
      environment = entry.environment;
      userId = entry.userId;
      model = entry.model;
      provider = entry.provider;
      operation = entry.operation;
      prompt = entry.prompt;
      systemPrompt = entry.systemPrompt;
      response = entry.response;
      inputMessages = entry.inputMessages;
      outputMessages = entry.outputMessages;
      temperature = entry.parameters.temperature();
      topP = entry.parameters.topP();
      maxTokens = entry.parameters.maxTokens();
      inputTokens = entry.usage.inputTokens();
      outputTokens = entry.usage.outputTokens();
      cachedInputTokens = entry.usage.cachedInputTokens();
      reasoningTokens = entry.usage.reasoningTokens();
      cacheCreationInputTokens = entry.usage.cacheCreationInputTokens();
      latencyMs = entry.performance.latencyMs();
      ttftMs = entry.performance.ttftMs();
      queueWaitMs = entry.performance.queueWaitMs();
      generationMs = entry.performance.generationMs();
      tokensPerSecond = entry.performance.tokensPerSecond();
      costUsd = entry.costUsd;
      stopReason = entry.stopReason;
      level = entry.level;
      error = entry.error;
      metadata.putAll(entry.metadata);
      tags.addAll(entry.tags);
    }

    /**
     * Makes {@link #build()} require the timestamp and the request id instead of defaulting them:
     * for code that reads records from elsewhere, where a missing one is the input's error.
     */
    public Builder noDefaults() {
      this.defaults = false;
      return this;
    }

    public Builder timestamp(Instant timestamp) {
      this.timestamp = timestamp;
      return this;
    }

    public Builder requestId(String requestId) {
      this.requestId = requestId;
      return this;
    }

    public Builder traceId(String traceId) {
      this.traceId = traceId;
      return this;
    }

    public Builder parentId(String parentId) {
      this.parentId = parentId;
      return this;
    }

    public Builder spanId(String spanId) {
      this.spanId = spanId;
      return this;
    }

    public Builder sessionId(String sessionId) {
      this.sessionId = sessionId;
      return this;
    }

    public Builder service(String service) {
      this.service = service;
      return this;
    }

    public Builder environment(String environment) {
      this.environment = environment;
      return this;
    }

    public Builder userId(String userId) {
      this.userId = userId;
      return this;
    }

    /** The model name; the brief calls it {@code model_name}. */
    public Builder model(String model) {
      this.model = model;
      return this;
    }

    public Builder provider(String provider) {
      this.provider = provider;
      return this;
    }

    /** The kind of call: {@code chat}, {@code text_completion}, {@code embeddings}, ... */
    public Builder operation(String operation) {
      this.operation = operation;
      return this;
    }

    public Builder prompt(String prompt) {
      this.prompt = prompt;
      return this;
    }

    public Builder systemPrompt(String systemPrompt) {
      this.systemPrompt = systemPrompt;
      return this;
    }

    public Builder response(String response) {
      this.response = response;
      return this;
    }

    /**
     * The messages sent to the model; {@code prompt} and {@code system_prompt} are rendered from
     * them unless set.
     */
    public Builder inputMessages(List<ChatMessage> inputMessages) {
      this.inputMessages = inputMessages == null ? List.of() : inputMessages;
      return this;
    }

    /** The messages the model returned; {@code response} is rendered from them unless set. */
    public Builder outputMessages(List<ChatMessage> outputMessages) {
      this.outputMessages = outputMessages == null ? List.of() : outputMessages;
      return this;
    }

    public Builder temperature(Double temperature) {
      this.temperature = temperature;
      return this;
    }

    public Builder temperature(double temperature) {
      return temperature(Double.valueOf(temperature));
    }

    public Builder topP(Double topP) {
      this.topP = topP;
      return this;
    }

    public Builder topP(double topP) {
      return topP(Double.valueOf(topP));
    }

    public Builder maxTokens(Integer maxTokens) {
      this.maxTokens = maxTokens;
      return this;
    }

    /**
     * Takes an {@code int} or a {@code long}; a count beyond {@code int}'s range is an error naming
     * the field.
     */
    public Builder maxTokens(long maxTokens) {
      return maxTokens(tokens(LogField.MAX_TOKENS, maxTokens));
    }

    public Builder inputTokens(Integer inputTokens) {
      this.inputTokens = inputTokens;
      return this;
    }

    /**
     * Takes an {@code int} or a {@code long}; a count beyond {@code int}'s range is an error naming
     * the field.
     */
    public Builder inputTokens(long inputTokens) {
      return inputTokens(tokens(LogField.INPUT_TOKENS, inputTokens));
    }

    public Builder outputTokens(Integer outputTokens) {
      this.outputTokens = outputTokens;
      return this;
    }

    /**
     * Takes an {@code int} or a {@code long}; a count beyond {@code int}'s range is an error naming
     * the field.
     */
    public Builder outputTokens(long outputTokens) {
      return outputTokens(tokens(LogField.OUTPUT_TOKENS, outputTokens));
    }

    public Builder cachedInputTokens(Integer cachedInputTokens) {
      this.cachedInputTokens = cachedInputTokens;
      return this;
    }

    /**
     * Takes an {@code int} or a {@code long}; a count beyond {@code int}'s range is an error naming
     * the field.
     */
    public Builder cachedInputTokens(long cachedInputTokens) {
      return cachedInputTokens(tokens(LogField.CACHED_INPUT_TOKENS, cachedInputTokens));
    }

    public Builder reasoningTokens(Integer reasoningTokens) {
      this.reasoningTokens = reasoningTokens;
      return this;
    }

    /**
     * Takes an {@code int} or a {@code long}; a count beyond {@code int}'s range is an error naming
     * the field.
     */
    public Builder reasoningTokens(long reasoningTokens) {
      return reasoningTokens(tokens(LogField.REASONING_TOKENS, reasoningTokens));
    }

    public Builder cacheCreationInputTokens(Integer cacheCreationInputTokens) {
      this.cacheCreationInputTokens = cacheCreationInputTokens;
      return this;
    }

    /**
     * Takes an {@code int} or a {@code long}; a count beyond {@code int}'s range is an error naming
     * the field.
     */
    public Builder cacheCreationInputTokens(long cacheCreationInputTokens) {
      return cacheCreationInputTokens(
          tokens(LogField.CACHE_CREATION_INPUT_TOKENS, cacheCreationInputTokens));
    }

    public Builder latencyMs(Double latencyMs) {
      this.latencyMs = latencyMs;
      return this;
    }

    /** Takes a {@code double} or a {@code long} of milliseconds. */
    public Builder latencyMs(double latencyMs) {
      return latencyMs(Double.valueOf(latencyMs));
    }

    /** Time to first token; the brief calls it {@code first_token_latency_ms}. */
    public Builder firstTokenLatencyMs(Double ttftMs) {
      this.ttftMs = ttftMs;
      return this;
    }

    /** Takes a {@code double} or a {@code long} of milliseconds. */
    public Builder firstTokenLatencyMs(double ttftMs) {
      return firstTokenLatencyMs(Double.valueOf(ttftMs));
    }

    public Builder queueWaitMs(Double queueWaitMs) {
      this.queueWaitMs = queueWaitMs;
      return this;
    }

    /** Takes a {@code double} or a {@code long} of milliseconds. */
    public Builder queueWaitMs(double queueWaitMs) {
      return queueWaitMs(Double.valueOf(queueWaitMs));
    }

    public Builder generationMs(Double generationMs) {
      this.generationMs = generationMs;
      return this;
    }

    public Builder tokensPerSecond(Double tokensPerSecond) {
      this.tokensPerSecond = tokensPerSecond;
      return this;
    }

    public Builder costUsd(Double costUsd) {
      this.costUsd = costUsd;
      return this;
    }

    public Builder stopReason(String stopReason) {
      this.stopReason = stopReason;
      return this;
    }

    public Builder level(LogLevel level) {
      this.level = level;
      return this;
    }

    public Builder error(ErrorInfo error) {
      this.error = error;
      return this;
    }

    public Builder putMetadata(String key, String value) {
      metadata.put(key, value);
      return this;
    }

    public Builder metadata(Map<String, String> metadata) {
      this.metadata.clear();
      if (metadata != null) {
        this.metadata.putAll(metadata);
      }
      return this;
    }

    public Builder addTag(String tag) {
      tags.add(tag);
      return this;
    }

    public Builder tags(List<String> tags) {
      this.tags.clear();
      if (tags != null) {
        this.tags.addAll(tags);
      }
      return this;
    }

    /**
     * Validates and builds the entry, with the time of this call as its timestamp and a random
     * request id when they were not set (unless {@link #noDefaults()}).
     *
     * @throws InvalidFieldException naming the first field that breaks the schema
     */
    public LlmLogEntry build() {
      return new LlmLogEntry(
          timestamp == null && defaults ? Instant.now() : timestamp,
          requestId == null && defaults ? RequestIds.next() : requestId,
          traceId,
          parentId,
          spanId,
          sessionId,
          service,
          environment,
          userId,
          model,
          provider,
          operation,
          prompt,
          systemPrompt,
          response,
          inputMessages,
          outputMessages,
          new ModelParameters(temperature, topP, maxTokens),
          new TokenUsage(
              inputTokens,
              outputTokens,
              cachedInputTokens,
              reasoningTokens,
              cacheCreationInputTokens),
          new Performance(latencyMs, ttftMs, queueWaitMs, generationMs, tokensPerSecond),
          costUsd,
          stopReason,
          level,
          error,
          metadata,
          tags);
    }

    private static Integer tokens(LogField field, long count) {
      if (count < Integer.MIN_VALUE || count > Integer.MAX_VALUE) {
        throw new InvalidFieldException(
            field.jsonName(), "must be between 0 and " + Integer.MAX_VALUE + ", was " + count);
      }
      return (int) count;
    }
  }
}

package io.llmlog.server.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.llmlog.server.query.InvalidParameterException;
import io.llmlog.server.query.PageToken;
import io.llmlog.server.store.GroupDocuments;
import io.llmlog.server.store.GroupSearches;
import io.llmlog.server.store.IndexFamily;
import io.llmlog.server.store.LogStore;
import io.llmlog.server.store.Scope;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Conversations: the calls that share a {@code session_id}, as turns in time order with their
 * messages ({@link #session}), and the sessions active in a window, most recent first ({@link
 * #list}).
 *
 * <p>Thread-safe; one instance serves every request.
 */
public final class SessionService {
  public static final int DEFAULT_TURNS = 50;
  public static final int MAX_TURNS = 500;
  static final String SESSION_ID = "session_id";

  /** How page tokens of a session's turns name their order. */
  private static final String TURN_ORDER = "turns:timestamp:asc";

  private static final List<String> TURN_FIELDS =
      List.of(
          "timestamp",
          "request_id",
          "trace_id",
          "model",
          "level",
          "error",
          "latency_ms",
          "input_tokens",
          "output_tokens",
          "cost_usd",
          "user_id",
          "stop_reason",
          "input_messages",
          "output_messages",
          "prompt",
          "system_prompt",
          "response");
  private static final List<String> TOP = List.of("model", "user_id");
  private static final List<String> DISTINCT = List.of("trace_id");

  private final LogStore store;
  private final ObjectMapper json;
  private final ActiveGroups active;

  public SessionService(LogStore store, ObjectMapper json, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.json = Objects.requireNonNull(json, "json");
    this.active = new ActiveGroups(store, json, Objects.requireNonNull(clock, "clock"));
  }

  /**
   * One call of a conversation.
   *
   * @param system the system instructions the call was given; null when none
   * @param input the messages new in this turn (after the model's previous answer)
   * @param output what the model answered
   */
  public record Turn(
      String requestId,
      Instant timestamp,
      String model,
      String level,
      String errorType,
      String errorMessage,
      Double latencyMs,
      Long inputTokens,
      Long outputTokens,
      Double costUsd,
      String traceId,
      String userId,
      String stopReason,
      String system,
      List<Conversation.Message> input,
      List<Conversation.Message> output) {}

  /**
   * A session: what all its calls add up to, and one page of its turns, oldest first.
   *
   * @param next the token of the following turns; null after the last
   */
  public record Session(
      String sessionId, GroupSearches.Totals totals, List<Turn> turns, String next) {
    public Session {
      turns = List.copyOf(turns);
    }
  }

  /** A session as a listing shows it: its numbers within the listing's window. */
  public record Summary(String sessionId, GroupSearches.Totals totals) {}

  /** A page of sessions and the token of the next one (null after the last). */
  public record Page(List<Summary> sessions, String next) {
    public Page {
      sessions = List.copyOf(sessions);
    }
  }

  /**
   * The session with this id, or empty when none of its calls is stored.
   *
   * @param size turns per page, 1 to {@value #MAX_TURNS}; null: {@value #DEFAULT_TURNS}
   * @param searchAfter the previous page's {@link Session#next()}, or null
   * @throws InvalidParameterException naming a parameter that cannot be used
   */
  public Optional<Session> session(String sessionId, Integer size, String searchAfter) {
    int turns = size == null ? DEFAULT_TURNS : size;
    if (turns < 1 || turns > MAX_TURNS) {
      throw new InvalidParameterException(
          "size", "must be between 1 and " + MAX_TURNS + ", was " + turns);
    }
    Scope scope = Scope.all(IndexFamily.LOGS);
    GroupSearches.Totals totals =
        store
            .groups()
            .totals(scope, null, SESSION_ID, List.of(sessionId), TOP, 10, DISTINCT)
            .get(sessionId);
    if (totals == null) {
      return Optional.empty();
    }
    ArrayNode after =
        searchAfter == null || searchAfter.isBlank()
            ? null
            : PageToken.decode(json, TURN_ORDER, searchAfter);
    GroupDocuments.Docs docs =
        store
            .groupDocuments()
            .read(
                scope,
                SESSION_ID,
                List.of(sessionId),
                TURN_FIELDS,
                GroupDocuments.Read.SOURCE,
                turns,
                after);
    List<Turn> page = new ArrayList<>();
    docs.docs().forEach(doc -> page.add(turn(doc.fields())));
    String next = docs.next() == null ? null : PageToken.encode(json, TURN_ORDER, docs.next());
    return Optional.of(new Session(sessionId, totals, page, next));
  }

  /**
   * The sessions with a call matching {@code q} in the window, most recently active first, each
   * with its numbers within the window.
   *
   * @throws InvalidParameterException naming a parameter that cannot be used
   * @throws io.llmlog.server.query.kql.KqlSyntaxException when {@code q} is not valid KQL
   */
  public Page list(ListRequest request) {
    ActiveGroups.Page page = active.list(request, SESSION_ID, TOP, DISTINCT);
    return new Page(
        page.groups().stream().map(totals -> new Summary(totals.key(), totals)).toList(),
        page.next());
  }

  private static Turn turn(JsonNode call) {
    JsonNode error = call.path("error");
    return new Turn(
        TraceNode.text(call, "request_id"),
        instant(call.path("timestamp")),
        TraceNode.text(call, "model"),
        TraceNode.text(call, "level"),
        text(error.path("type")),
        text(error.path("message")),
        number(call.path("latency_ms")),
        whole(call.path("input_tokens")),
        whole(call.path("output_tokens")),
        number(call.path("cost_usd")),
        TraceNode.text(call, "trace_id"),
        TraceNode.text(call, "user_id"),
        TraceNode.text(call, "stop_reason"),
        Conversation.system(call),
        Conversation.newInput(call),
        Conversation.output(call));
  }

  private static Instant instant(JsonNode value) {
    try {
      return value.isTextual() ? io.llmlog.core.Timestamps.parse(value.asText()) : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String text(JsonNode value) {
    return value.isValueNode() && !value.isNull() ? value.asText() : null;
  }

  private static Double number(JsonNode value) {
    return value.isNumber() ? value.asDouble() : null;
  }

  private static Long whole(JsonNode value) {
    return value.isNumber() ? value.asLong() : null;
  }
}

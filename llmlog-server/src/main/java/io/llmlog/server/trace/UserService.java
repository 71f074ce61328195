package io.llmlog.server.trace;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.server.query.TimeRange;
import io.llmlog.server.store.GroupSearches;
import io.llmlog.server.store.IndexFamily;
import io.llmlog.server.store.LogStore;
import io.llmlog.server.store.Scope;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The users of the calls ({@code user_id}): one user's calls, errors, tokens, cost, first and last
 * call, models and sessions ({@link #user}); the users active in a window, most recently active
 * first ({@link #list}).
 *
 * <p>Thread-safe; one instance serves every request.
 */
public final class UserService {
  static final String USER_ID = "user_id";
  private static final List<String> TOP = List.of("model", "session_id");
  private static final List<String> DISTINCT = List.of("session_id", "trace_id", "model");

  private final LogStore store;
  private final ObjectMapper json;
  private final Clock clock;
  private final ActiveGroups active;

  public UserService(LogStore store, ObjectMapper json, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.json = Objects.requireNonNull(json, "json");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.active = new ActiveGroups(store, json, clock);
  }

  /** A user's numbers; {@code totals.top()} lists the most recent models and sessions. */
  public record User(String userId, GroupSearches.Totals totals) {}

  /** A page of users and the token of the next one (null after the last). */
  public record Page(List<User> users, String next) {
    public Page {
      users = List.copyOf(users);
    }
  }

  /**
   * The user's calls in the window ({@code from}/{@code to}, either open), or empty when there are
   * none.
   *
   * @throws io.llmlog.server.query.InvalidParameterException naming {@code from} or {@code to}
   */
  public Optional<User> user(String userId, String from, String to) {
    TimeRange range = TimeRange.parse(from, to, clock.instant().truncatedTo(ChronoUnit.MILLIS));
    ObjectNode window = null;
    if (!range.isOpen()) {
      window = json.createObjectNode();
      range.addTo(window.putObject("bool").putArray("filter"));
    }
    Scope scope = Scope.window(range.from(), range.to(), IndexFamily.LOGS);
    GroupSearches.Totals totals =
        store
            .groups()
            .totals(scope, window, USER_ID, List.of(userId), TOP, 20, DISTINCT)
            .get(userId);
    return totals == null ? Optional.empty() : Optional.of(new User(userId, totals));
  }

  /**
   * The users with a call matching {@code q} in the window, most recently active first, each with
   * their numbers within the window.
   *
   * @throws io.llmlog.server.query.InvalidParameterException naming a parameter that cannot be used
   * @throws io.llmlog.server.query.kql.KqlSyntaxException when {@code q} is not valid KQL
   */
  public Page list(ListRequest request) {
    ActiveGroups.Page page = active.list(request, USER_ID, TOP, DISTINCT);
    return new Page(
        page.groups().stream().map(totals -> new User(totals.key(), totals)).toList(), page.next());
  }
}

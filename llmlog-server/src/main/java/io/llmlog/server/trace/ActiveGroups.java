package io.llmlog.server.trace;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.server.store.GroupSearches;
import io.llmlog.server.store.LogStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The listing of sessions and of users: the groups with a call matching the query in the window,
 * most recently active first, each with its numbers within the window.
 */
final class ActiveGroups {
  /** A page of groups' numbers, in order, and the token of the next page. */
  record Page(List<GroupSearches.Totals> groups, String next) {}

  private final LogStore store;
  private final ObjectMapper json;
  private final Clock clock;
  private final GroupPager pager;

  ActiveGroups(LogStore store, ObjectMapper json, Clock clock) {
    this.store = store;
    this.json = json;
    this.clock = clock;
    this.pager = new GroupPager(store.groups(), json);
  }

  /**
   * @throws io.llmlog.server.query.InvalidParameterException naming a parameter that cannot be used
   * @throws io.llmlog.server.query.kql.KqlSyntaxException when {@code q} is not valid KQL
   */
  Page list(ListRequest request, String keyField, List<String> top, List<String> distinct) {
    Listing listing = Listing.of(json, clock, request, false, order(request.sort()));
    GroupPager.Page page = pager.page(listing, keyField);
    List<String> keys = page.groups().stream().map(GroupPager.Group::key).toList();
    Map<String, GroupSearches.Totals> totals =
        store.groups().totals(listing.scope(), listing.window(), keyField, keys, top, 3, distinct);
    List<GroupSearches.Totals> groups = new ArrayList<>();
    keys.stream().filter(totals::containsKey).forEach(key -> groups.add(totals.get(key)));
    return new Page(groups, Listing.token(json, listing.order(), page.next()));
  }

  /** Sessions and users are listed most recently active first; that is the one order. */
  private static GroupPager.Order order(String sort) {
    if (sort == null || sort.isBlank() || sort.trim().equals(GroupPager.Order.LAST_DESC.text)) {
      return GroupPager.Order.LAST_DESC;
    }
    throw new io.llmlog.server.query.InvalidParameterException(
        "sort", "listed most recently active first: last:desc, the default; was '" + sort + "'");
  }
}

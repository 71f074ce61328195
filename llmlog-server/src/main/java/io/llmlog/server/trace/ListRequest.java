package io.llmlog.server.trace;

/**
 * A listing of traces, sessions or users as the API receives it, still as typed; the services
 * validate it. Null means the default.
 *
 * @param q KQL over the documents that put a group on the list; blank: every document
 * @param from earliest {@code timestamp} of those documents: ISO-8601, epoch millis or date math
 *     ({@code now-1h})
 * @param to latest {@code timestamp}, inclusive
 * @param over which documents {@code q} is over, for traces: {@code any} (calls and steps, the
 *     default), {@code calls} or {@code steps}; sessions and users are listed from their calls
 * @param sort the order, for traces {@code start:desc} (default) or {@code start:asc}
 * @param size groups per page, 1 to {@value ListRequest#MAX_SIZE}; default {@value
 *     ListRequest#DEFAULT_SIZE}
 * @param searchAfter the previous page's {@code next} token
 */
public record ListRequest(
    String q, String from, String to, String over, String sort, Integer size, String searchAfter) {
  public static final int DEFAULT_SIZE = 50;
  public static final int MAX_SIZE = 200;

  /** Everything with its defaults, for tests and tools. */
  public static ListRequest of(String q, String from, String to) {
    return new ListRequest(q, from, to, null, null, null, null);
  }
}

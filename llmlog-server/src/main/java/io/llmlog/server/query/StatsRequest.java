package io.llmlog.server.query;

/**
 * A stats request as the API receives it, still as typed; {@link StatsService} validates it. Null
 * means the default.
 *
 * @param q KQL selecting the calls; blank means all
 * @param from default: 24 hours before {@code to}
 * @param to default {@code now}
 * @param by the keyword field to group by; default {@code model}
 * @param interval time buckets: {@code auto} or a width such as {@code 5m}; null for none
 * @param size how many groups, the largest first; default {@value StatsService#DEFAULT_GROUPS}
 * @param compute {@code auto} (rollups when they can answer, else the index) or {@code index}; null
 *     means auto
 */
public record StatsRequest(
    String q, String from, String to, String by, String interval, Integer size, String compute) {
  /** Stats of the last 24 hours by model. */
  public static StatsRequest byModel() {
    return new StatsRequest(null, null, null, null, null, null, null);
  }

  /** A request computed as the rollups allow. */
  public StatsRequest(String q, String from, String to, String by, String interval, Integer size) {
    this(q, from, to, by, interval, size, null);
  }
}

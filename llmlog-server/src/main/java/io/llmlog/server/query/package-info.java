/**
 * Searching and analysing stored calls: what the dashboard, the CLI and Elasticsearch clients ask.
 *
 * <ul>
 *   <li>{@link io.llmlog.server.query.Searcher}: KQL ({@link io.llmlog.server.query.kql}) and a
 *       time window to a sorted, highlighted page of calls with their quality records.
 *   <li>{@link io.llmlog.server.query.StatsService}: counts, error rates, latency percentiles,
 *       tokens and cost per group and time bucket, weighted by {@code sample_weight}.
 *   <li>{@link io.llmlog.server.query.FacadeSearch}: the Elasticsearch facade's {@code _search},
 *       {@code _count} and {@code _msearch}, the query DSL passed through, scoped to llmlog's
 *       indices.
 * </ul>
 *
 * <p>Each is a plain object over {@link io.llmlog.server.store.LogStore} with a {@link
 * java.time.Clock} for {@code now}, so benchmarks and tests call them without HTTP; they answer
 * records ({@link io.llmlog.server.query.SearchResult}, {@link io.llmlog.server.query.Stats}),
 * which the REST API renders as JSON. Everything is computed by the engine (one search per page or
 * per stats call, a second only for quality records or unequal sample weights); nothing is cached
 * here.
 *
 * <p>Times ({@code from}, {@code to}) are resolved here, not by the engine ({@link
 * io.llmlog.server.query.DateMath}): a bad value is a 400 that names its parameter, and {@code
 * interval=auto} knows how long the window is.
 */
package io.llmlog.server.query;

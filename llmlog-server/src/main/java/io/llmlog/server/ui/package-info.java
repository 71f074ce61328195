/**
 * The web dashboard: an overview of the calls over a time range, an explorer to search them with
 * KQL, each call in full with its quality records, the alert rules with their state, the live
 * numbers and the history, and the lifecycle of every daily index and archive. The server only
 * serves files ({@link Dashboard}); the page is plain ES modules and CSS under {@code
 * resources/io/llmlog/server/ui/app} with no build step, and reads everything from the REST API
 * ({@code /api/v1/stats}, {@code /api/v1/search}, {@code /api/v1/logs/{id}}, {@code POST
 * /api/v1/quality}, {@code /api/v1/alerts}, {@code /api/v1/alerts/history}, {@code /api/v1/live},
 * {@code /api/v1/lifecycle}, {@code POST /api/v1/lifecycle/restore}, {@code /health}) like any
 * other client, so what the dashboard shows is what the API answers.
 *
 * <ul>
 *   <li>{@code main.js}: the page registry, routing on the URL's hash ({@code #/explorer?q=...}),
 *       auto-refresh and shortcuts. A page is a module under {@code pages/} and one entry in the
 *       registry.
 *   <li>{@code status.js}: what every page shows, asked for with each load and auto-refresh: the
 *       count of firing alerts on the Alerts tab, and a banner while the disk guard pauses ingest.
 *   <li>{@code api.js}: requests to this origin only, with the API key from {@code sessionStorage}.
 *   <li>{@code dom.js}: the one way data reaches the page, as text nodes. Nothing in the app parses
 *       HTML ({@code AssetsTest} checks it): search highlights are split on {@code <mark>} and
 *       rebuilt as nodes.
 *   <li>{@code charts.js}: uPlot, from its WebJar, served under the same build-hashed prefix.
 * </ul>
 *
 * <p>Why no framework and no bundler: a few hundred lines per page do not need one, and without one
 * there is nothing to install, nothing from npm in the server's jar, and no build output to keep in
 * step with the sources.
 */
package io.llmlog.server.ui;

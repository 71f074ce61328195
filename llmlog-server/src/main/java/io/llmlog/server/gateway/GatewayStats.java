package io.llmlog.server.gateway;

import java.util.Map;

/**
 * The gateway's counters at one moment.
 *
 * <p>Every logged call is offered to the recorder once: offered = queued + dropped {@code
 * queue_full}; and queued = stored + filtered + rejected + dropped {@code shutdown} and {@code
 * unreadable} + what still waits ({@link #waitingRecords}).
 *
 * @param inFlight calls being proxied now
 * @param calls per upstream, per outcome ({@code ok}, {@code error} for an upstream's 4xx/5xx,
 *     {@code cancelled}, {@code upstream_error}, {@code unreachable}, {@code timeout})
 * @param refused calls answered by the gateway itself, per reason ({@code unauthorized}, {@code
 *     forbidden}, {@code too_large}, {@code busy}, {@code unknown_upstream}, {@code bad_request})
 * @param records call records per result ({@code queued}, {@code stored}, {@code filtered} by the
 *     pipeline, {@code rejected} by the schema, {@code dropped.queue_full}, {@code
 *     dropped.shutdown}, {@code dropped.unreadable})
 * @param waitingRecords records waiting to be stored
 * @param waitingBytes what they hold in memory
 * @param ingestRetries times a batch of records waited for the engine (down, busy, or ingest
 *     paused)
 */
public record GatewayStats(
    long inFlight,
    Map<String, Map<String, Long>> calls,
    Map<String, Long> refused,
    Map<String, Long> records,
    long waitingRecords,
    long waitingBytes,
    long ingestRetries) {}

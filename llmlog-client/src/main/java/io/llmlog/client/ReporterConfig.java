package io.llmlog.client;

import java.time.Duration;

/**
 * The limits of one reporter; {@link LlmLogger.Builder} validates them.
 *
 * @param queuedMaxRecords records held (queued or being sent) before new ones are dropped
 * @param queuedMaxBytes estimated bytes held before new records are dropped
 * @param batchMaxRecords records per batch
 * @param batchMaxBytes encoded bytes per request; a record bigger than this alone is dropped as
 *     oversize
 * @param batchTimeout how long a part-filled batch waits for more records
 * @param retry how a failed batch is retried
 * @param threadName the name of the reporter's thread
 */
record ReporterConfig(
    int queuedMaxRecords,
    long queuedMaxBytes,
    int batchMaxRecords,
    int batchMaxBytes,
    Duration batchTimeout,
    RetryPolicy retry,
    String threadName) {}

package io.llmlog.server.pipeline;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Keeps a failed trace whole within one request: before the records of a batch run through the
 * pipeline one by one, every record of a trace that has a failed record in the same batch is
 * marked, so that sampling keeps the records that came before the failure too. Across requests the
 * {@code sample} filter remembers failed traces itself.
 */
public final class TraceSampling {
  private TraceSampling() {}

  /** Marks the trace-sampled events whose trace has a failed event among {@code events}. */
  public static void markFailedTraces(List<Event> events) {
    Set<String> failed = new HashSet<>();
    for (Event event : events) {
      if (event.sampleTrace() != null && SampleFilter.isError(event)) {
        failed.add(event.sampleTrace());
      }
    }
    if (failed.isEmpty()) {
      return;
    }
    for (Event event : events) {
      if (event.sampleTrace() != null && failed.contains(event.sampleTrace())) {
        event.markTraceFailed();
      }
    }
  }
}

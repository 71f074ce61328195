package io.llmlog.server.pipeline;

/**
 * One step of the pipeline, as a Logstash filter. A filter changes the event in place and returns
 * whether to keep it. A filter that cannot process an event throws; the pipeline then sends the
 * event to the dead-letter index with the filter's name and the reason, never losing it silently.
 */
public interface Filter {
  /** The filter's kind as written in config ({@code flatten}, {@code date}, ...). */
  String name();

  /**
   * Processes one event.
   *
   * @return false to drop the event (counted as dropped by this filter)
   */
  boolean apply(Event event);

  /**
   * Counters particular to this filter (redactions by kind, records sampled out, ...), for the
   * statistics API.
   */
  default java.util.Map<String, Object> details() {
    return java.util.Map.of();
  }
}

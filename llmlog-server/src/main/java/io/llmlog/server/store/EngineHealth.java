package io.llmlog.server.store;

/**
 * The engine's cluster health as {@code /health} shows it.
 *
 * @param status {@code green}, {@code yellow}, {@code red}, or {@code unknown} when the answer had
 *     none
 */
public record EngineHealth(String status, String clusterName, int nodes) {
  /** Green or yellow: every primary shard is assigned, so reads and writes work. */
  public boolean usable() {
    return status.equals("green") || status.equals("yellow");
  }
}

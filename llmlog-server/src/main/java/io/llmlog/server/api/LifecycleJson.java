package io.llmlog.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.server.config.Units;
import io.llmlog.server.lifecycle.DiskGuard;
import io.llmlog.server.lifecycle.LifecycleReports;
import io.llmlog.server.lifecycle.LifecycleSettings;
import java.util.Map;

/**
 * The lifecycle's answers as JSON: {@code /api/v1/lifecycle} and its run, restore and search
 * (documented in docs/lifecycle.md).
 */
final class LifecycleJson {
  private LifecycleJson() {}

  static ObjectNode status(ObjectMapper json, LifecycleReports.Status status) {
    ObjectNode body = json.createObjectNode();
    body.put("enabled", status.enabled());
    body.put("mode", status.mode());
    body.put("now", status.now().toString());
    body.put("interval", Units.formatDuration(status.interval()));
    body.put("archive_dir", status.archiveDir());
    body.put("compression", status.compression());
    body.put("restore_keep", Units.formatDuration(status.restoreKeep()));
    if (status.engineModeError() != null) {
      body.put("engine_mode_error", status.engineModeError());
    }
    ObjectNode policies = body.putObject("policies");
    for (Map.Entry<String, LifecycleSettings.Policy> policy : status.policies().entrySet()) {
      ObjectNode node = policies.putObject(policy.getKey());
      JsonValues.duration(node, "warm_after", policy.getValue().warmAfter());
      JsonValues.duration(node, "cold_after", policy.getValue().coldAfter());
      JsonValues.duration(node, "delete_archive_after", policy.getValue().deleteArchiveAfter());
    }
    body.set("disk", disk(json, status.disk()));
    body.set("last_run", status.lastRun() == null ? json.nullNode() : run(json, status.lastRun()));
    ArrayNode days = body.putArray("days");
    status.days().forEach(day -> days.add(day(json, day)));
    ObjectNode totals = body.putObject("totals");
    status.totals().forEach(totals::put);
    return body;
  }

  private static ObjectNode day(ObjectMapper json, LifecycleReports.Day day) {
    ObjectNode node = json.createObjectNode();
    node.put("family", day.family());
    node.put("day", day.day());
    node.put("index", day.indexName());
    node.put("phase", day.phase());
    node.put("age_days", day.ageDays());
    LifecycleReports.IndexState index = day.index();
    if (index == null) {
      node.putNull("index_status");
    } else {
      ObjectNode status = node.putObject("index_status");
      status.put("documents", index.documents());
      status.put("size_bytes", index.sizeBytes());
      status.put("segments", index.segments());
      status.put("shards", index.shards());
      status.put("read_only", index.readOnly());
      if (index.restore() != null) {
        status.put("restore", index.restore());
        if (index.restoredAt() != null) {
          status.put("restored_at", index.restoredAt().toString());
          status.put("kept_until", index.keptUntil().toString());
        }
      }
    }
    LifecycleReports.ArchiveState archive = day.archive();
    if (archive == null) {
      node.putNull("archive");
    } else {
      ObjectNode sets = node.putObject("archive");
      sets.put("sets", archive.sets());
      sets.put("incomplete_sets", archive.incompleteSets());
      sets.put("documents", archive.documents());
      sets.put("bytes", archive.bytes());
      sets.put("raw_bytes", archive.rawBytes());
      sets.put("verified", archive.verified());
      if (archive.sets() > 0) {
        sets.put("compression", archive.compression());
        sets.put("created_at", archive.createdAt().toString());
        sets.put("min_time", archive.minTime());
        sets.put("max_time", archive.maxTime());
      }
    }
    node.put("documents", day.documents());
    node.put("size_bytes", day.sizeBytes());
    node.put("next_action", day.nextAction());
    JsonValues.instant(node, "due", day.due());
    return node;
  }

  static ObjectNode run(ObjectMapper json, LifecycleReports.Run run) {
    ObjectNode node = json.createObjectNode();
    node.put("started_at", run.startedAt().toString());
    node.put("finished_at", run.finishedAt().toString());
    if (run.skipped() != null) {
      node.put("skipped", run.skipped());
    }
    node.put("failures", run.failures());
    ArrayNode steps = node.putArray("actions");
    for (LifecycleReports.Step step : run.actions()) {
      steps
          .addObject()
          .put("index", step.index())
          .put("action", step.action())
          .put("ok", step.ok())
          .put("message", step.message())
          .put("millis", step.millis());
    }
    return node;
  }

  static ObjectNode runOutcome(ObjectMapper json, LifecycleReports.RunOutcome outcome) {
    if (!outcome.engineMode()) {
      return run(json, outcome.run());
    }
    ObjectNode body = json.createObjectNode().put("mode", "engine");
    body.put("installed", outcome.installed());
    if (outcome.error() != null) {
      body.put("error", outcome.error());
    }
    return body;
  }

  static ObjectNode restored(ObjectMapper json, LifecycleReports.Restored restored) {
    ObjectNode body = json.createObjectNode();
    body.put("index", restored.index());
    body.put("family", restored.family());
    body.put("day", restored.day());
    body.put("result", restored.result());
    body.put("documents", restored.documents());
    ArrayNode sets = body.putArray("sets");
    restored.sets().forEach(sets::add);
    body.put("restored_at", restored.restoredAt().toString());
    body.put("kept_until", restored.keptUntil().toString());
    return body;
  }

  static ObjectNode archivePage(ObjectMapper json, LifecycleReports.ArchivePage page) {
    ObjectNode body = json.createObjectNode();
    body.put("scanned", page.scanned());
    body.put("matched", page.hits().size());
    body.putArray("hits").addAll(page.hits());
    if (page.next() == null) {
      body.putNull("next");
    } else {
      body.put("next", page.next());
    }
    ArrayNode searched = body.putArray("days_searched");
    page.daysSearched().forEach(searched::add);
    ArrayNode missing = body.putArray("days_without_archive");
    page.daysWithoutArchive().forEach(missing::add);
    return body;
  }

  /** The disk guard's status as {@code /health} and the lifecycle status show it. */
  static ObjectNode disk(ObjectMapper json, DiskGuard.Status status) {
    ObjectNode node = json.createObjectNode();
    node.put("enabled", status.enabled());
    node.put("path", status.path());
    node.put("free_bytes", status.freeBytes());
    node.put("total_bytes", status.totalBytes());
    node.put(
        "free_ratio",
        Double.isNaN(status.freeRatio()) ? 0 : Math.round(status.freeRatio() * 10_000) / 10_000.0);
    node.put("min_free", status.minFree());
    node.put("ingest_paused", status.paused());
    if (status.reason() != null) {
      node.put("reason", status.reason());
    }
    return node;
  }
}

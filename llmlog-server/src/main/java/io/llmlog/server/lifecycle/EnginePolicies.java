package io.llmlog.server.lifecycle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.server.config.Units;
import io.llmlog.server.store.IndexAdmin;
import io.llmlog.server.store.IndexFamily;
import java.time.Duration;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * {@code lifecycle.mode: engine}: the cluster's own lifecycle instead of llmlog's manager — an ISM
 * policy on OpenSearch, an ILM policy on Elasticsearch — hot, then warm (read-only, force-merge to
 * one segment, optional allocation and replicas) at {@code warm_after}, then delete at {@code
 * delete_archive_after} if set. There is no archive in this mode: archiving is llmlog's alone, so
 * {@code cold_after} is not used, and indices stay warm until the retention.
 *
 * <p>Ages differ: ILM reads the day from the index name ({@code parse_origination_date}), as llmlog
 * does, but counts from the day's start; ISM's {@code min_index_age} counts from the index's
 * creation, so a backfilled or re-created day starts over.
 */
final class EnginePolicies {
  private static final Logger LOG = LogManager.getLogger(EnginePolicies.class);

  private final LifecycleSettings settings;
  private final ObjectMapper json;
  private final String prefix;

  EnginePolicies(LifecycleSettings settings, ObjectMapper json, String prefix) {
    this.settings = settings;
    this.json = json;
    this.prefix = prefix;
  }

  /** The policy id of a family: {@code <prefix>llmlog-logs}. */
  String id(IndexFamily family) {
    return prefix
        + "llmlog-"
        + Archiver.familyKey(DayIndex.of("", family, java.time.LocalDate.EPOCH)).replace('_', '-');
  }

  /** Installs and attaches a policy per family on the engine {@code admin} talks to. */
  void install(IndexAdmin admin) {
    IndexAdmin.EngineInfo engine = admin.info();
    for (Map.Entry<IndexFamily, LifecycleSettings.Policy> entry : settings.policies().entrySet()) {
      IndexFamily family = entry.getKey();
      if (engine.openSearch()) {
        admin.putIsmPolicy(id(family), ism(family, entry.getValue()));
        admin.addIsmPolicy(family.pattern(prefix), id(family));
      } else {
        admin.putIlmPolicy(id(family), ilm(entry.getValue()));
        admin.attachIlmPolicy(prefix, family, id(family));
      }
    }
    LOG.info(
        "lifecycle.mode engine: installed {} policies on {} {}",
        engine.openSearch() ? "ISM" : "ILM",
        engine.distribution(),
        engine.version());
  }

  /** The ISM policy body for {@code PUT _plugins/_ism/policies/<id>}. */
  ObjectNode ism(IndexFamily family, LifecycleSettings.Policy policy) {
    ObjectNode root = json.createObjectNode();
    ObjectNode body = root.putObject("policy");
    body.put(
        "description",
        "llmlog lifecycle of "
            + family.pattern(prefix)
            + " (installed by llmlog; edit llmlog.yaml, not here)");
    body.put("default_state", "hot");
    ArrayNode states = body.putArray("states");
    ObjectNode hot = states.addObject().put("name", "hot");
    hot.putArray("actions");
    ArrayNode hotTransitions = hot.putArray("transitions");
    if (policy.warmAfter() != null) {
      transition(hotTransitions, "warm", policy.warmAfter());
      ObjectNode warm = states.addObject().put("name", "warm");
      ArrayNode actions = warm.putArray("actions");
      actions.addObject().putObject("read_only");
      if (settings.warmReplicas() != null) {
        actions
            .addObject()
            .putObject("replica_count")
            .put("number_of_replicas", settings.warmReplicas());
      }
      if (!settings.warmRequire().isEmpty()) {
        ObjectNode allocation = actions.addObject().putObject("allocation");
        ObjectNode require = allocation.putObject("require");
        settings.warmRequire().forEach(require::put);
        allocation.put("wait_for", true);
      }
      actions.addObject().putObject("force_merge").put("max_num_segments", 1);
      ArrayNode warmTransitions = warm.putArray("transitions");
      if (policy.deleteArchiveAfter() != null) {
        transition(warmTransitions, "delete", policy.deleteArchiveAfter());
      }
    } else if (policy.deleteArchiveAfter() != null) {
      transition(hotTransitions, "delete", policy.deleteArchiveAfter());
    }
    if (policy.deleteArchiveAfter() != null) {
      ObjectNode delete = states.addObject().put("name", "delete");
      delete.putArray("actions").addObject().putObject("delete");
      delete.putArray("transitions");
    }
    ObjectNode template = body.putArray("ism_template").addObject();
    template.putArray("index_patterns").add(family.pattern(prefix));
    template.put("priority", 100);
    return root;
  }

  private static void transition(ArrayNode transitions, String state, Duration age) {
    transitions
        .addObject()
        .put("state_name", state)
        .putObject("conditions")
        .put("min_index_age", Units.formatDuration(age));
  }

  /** The ILM policy body for {@code PUT _ilm/policy/<id>}. */
  ObjectNode ilm(LifecycleSettings.Policy policy) {
    ObjectNode root = json.createObjectNode();
    ObjectNode phases = root.putObject("policy").putObject("phases");
    phases.putObject("hot").put("min_age", "0ms").putObject("actions");
    if (policy.warmAfter() != null) {
      ObjectNode warm =
          phases.putObject("warm").put("min_age", Units.formatDuration(policy.warmAfter()));
      ObjectNode actions = warm.putObject("actions");
      actions.putObject("readonly");
      actions.putObject("forcemerge").put("max_num_segments", 1);
      if (settings.warmReplicas() != null || !settings.warmRequire().isEmpty()) {
        ObjectNode allocate = actions.putObject("allocate");
        if (settings.warmReplicas() != null) {
          allocate.put("number_of_replicas", settings.warmReplicas());
        }
        if (!settings.warmRequire().isEmpty()) {
          ObjectNode require = allocate.putObject("require");
          settings.warmRequire().forEach(require::put);
        }
      }
    }
    if (policy.deleteArchiveAfter() != null) {
      phases
          .putObject("delete")
          .put("min_age", Units.formatDuration(policy.deleteArchiveAfter()))
          .putObject("actions")
          .putObject("delete");
    }
    root.with("policy").putObject("_meta").put("managed_by", "llmlog");
    return root;
  }
}

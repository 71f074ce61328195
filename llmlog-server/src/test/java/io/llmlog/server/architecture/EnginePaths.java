package io.llmlog.server.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.regex.Pattern;

/**
 * What an engine request looks like in a class file: a path segment of the engine's REST API
 * ({@code /_doc}, {@code /_search}, {@code /_cat/indices}, ...) or one of its request parameters
 * ({@code if_seq_no=}, {@code ignore_unavailable=}, ...). A class that holds one builds engine
 * requests, which only {@code store} may do.
 */
final class EnginePaths {
  private EnginePaths() {}

  static final Pattern ENGINE_REQUEST =
      Pattern.compile(
          "/_(doc|create|update|search|msearch|count|bulk|mget|cat|cluster|nodes|tasks|mapping|mappings|settings|stats|segments|forcemerge"
              + "|refresh|flush|open|close|index_template|template|component_template|alias|aliases|rollover|shrink|split|clone|reindex"
              + "|delete_by_query|update_by_query|field_caps|validate|explain|analyze|termvectors|scroll|pit|plugins|ilm|ism|snapshot|ingest"
              + "|data_stream|security|license|xpack)(?![a-z_])"
              + "|(^|[?&])(ignore_unavailable|allow_no_indices|allow_partial_search_results|if_seq_no|if_primary_term|op_type|wait_for_status"
              + "|wait_for_active_shards|filter_path|flat_settings|expand_wildcards|max_num_segments|refresh|scroll|routing)=");

  static boolean isEngineRequest(String constant) {
    return ENGINE_REQUEST.matcher(constant).find();
  }

  /** Holds no string constant that is (a piece of) an engine request. */
  static ArchCondition<JavaClass> holdNoEngineRequests() {
    return new ArchCondition<>("hold no engine paths or request parameters") {
      @Override
      public void check(JavaClass javaClass, ConditionEvents events) {
        for (String constant : ClassConstants.strings(javaClass)) {
          if (isEngineRequest(constant)) {
            events.add(
                SimpleConditionEvent.violated(
                    javaClass,
                    javaClass.getName()
                        + " holds the engine request piece \""
                        + constant.replace('\u0001', '…')
                        + "\": engine requests are typed operations of io.llmlog.server.store"));
          }
        }
      }
    };
  }
}

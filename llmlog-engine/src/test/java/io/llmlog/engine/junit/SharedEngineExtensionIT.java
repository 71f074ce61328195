package io.llmlog.engine.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs two test classes that use the extension through a JUnit launcher of their own, then checks
 * what they saw: the same node, different prefixes, and their indices gone afterwards.
 */
@ExtendWith(SharedEngineExtension.class)
class SharedEngineExtensionIT {
  private static final Map<Class<?>, Seen> SEEN = new ConcurrentHashMap<>();
  private static final Pattern CLUSTER_UUID =
      Pattern.compile("\"cluster_uuid\"\\s*:\\s*\"([^\"]+)\"");

  record Seen(TestEngine engine, String clusterUuid, long ownCount) {}

  @Test
  void twoTestClasses_useTheExtension_shareOneNodeWithDifferentPrefixes(TestEngine engine) {
    TestExecutionSummary summary = run(FirstFixture.class, SecondFixture.class);

    assertThat(summary.getTotalFailureCount()).as(failures(summary)).isZero();
    assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
    Seen first = SEEN.get(FirstFixture.class);
    Seen second = SEEN.get(SecondFixture.class);
    assertThat(first.engine().uri()).isEqualTo(second.engine().uri()).isEqualTo(engine.uri());
    assertThat(first.clusterUuid()).isEqualTo(second.clusterUuid()).isEqualTo(clusterUuid(engine));
    assertThat(first.engine().indexPrefix())
        .isNotEqualTo(second.engine().indexPrefix())
        .isNotEqualTo(engine.indexPrefix());
    assertThat(first.engine().indexPrefix()).matches("t[0-9]+-firstfixture-");
  }

  @Test
  void twoTestClasses_writeUnderTheirPrefixes_seeOnlyTheirOwnDocuments() {
    run(FirstFixture.class, SecondFixture.class);

    assertThat(SEEN.get(FirstFixture.class).ownCount()).isEqualTo(1);
    assertThat(SEEN.get(SecondFixture.class).ownCount()).isEqualTo(2);
  }

  @Test
  void testClass_finished_itsIndicesAreDeleted(TestEngine engine) {
    run(FirstFixture.class);

    String prefix = SEEN.get(FirstFixture.class).engine().indexPrefix();
    assertThat(engine.count(prefix + "*")).isZero();
    assertThat(
            engine.get(
                "/_cat/indices/" + prefix + "*?allow_no_indices=true&ignore_unavailable=true"))
        .isBlank();
  }

  @Test
  void sameTestClass_twoParameters_sameEngine(TestEngine one, TestEngine two) {
    assertThat(one).isSameAs(two);
  }

  private static TestExecutionSummary run(Class<?>... testClasses) {
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    var request = request();
    for (Class<?> testClass : testClasses) {
      request.selectors(selectClass(testClass));
    }
    LauncherFactory.create().execute(request.build(), listener);
    return listener.getSummary();
  }

  private static String failures(TestExecutionSummary summary) {
    StringWriter out = new StringWriter();
    summary.printFailuresTo(new PrintWriter(out), 20);
    return out.toString();
  }

  static String clusterUuid(TestEngine engine) {
    Matcher uuid = CLUSTER_UUID.matcher(engine.get("/"));
    assertThat(uuid.find()).isTrue();
    return uuid.group(1);
  }

  /** Writes one document under its prefix. Run only through {@link #run}. */
  @ExtendWith(SharedEngineExtension.class)
  static class FirstFixture {
    @Test
    void write(TestEngine engine) {
      engine.put("/" + engine.index("logs") + "/_doc/1", "{\"model\":\"a\"}");
      engine.refresh(engine.index("*"));
      SEEN.put(
          FirstFixture.class,
          new Seen(engine, clusterUuid(engine), engine.count(engine.index("*"))));
    }
  }

  /** Writes two documents under its prefix. Run only through {@link #run}. */
  @ExtendWith(SharedEngineExtension.class)
  static class SecondFixture {
    @Test
    void write(TestEngine engine) {
      engine.put("/" + engine.index("logs") + "/_doc/1", "{\"model\":\"b\"}");
      engine.put("/" + engine.index("logs") + "/_doc/2", "{\"model\":\"c\"}");
      engine.refresh(engine.index("*"));
      SEEN.put(
          SecondFixture.class,
          new Seen(engine, clusterUuid(engine), engine.count(engine.index("*"))));
    }
  }
}

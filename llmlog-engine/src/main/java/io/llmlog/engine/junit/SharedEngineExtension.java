package io.llmlog.engine.junit;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a real OpenSearch node, one per test JVM, shared by every test class that uses it:
 *
 * <pre>{@code
 * @ExtendWith(SharedEngineExtension.class)
 * class StoreIT {
 *   @Test
 *   void write_oneDocument_isCounted(TestEngine engine) {
 *     engine.put("/" + engine.index("logs") + "/_doc/1?refresh=true", "{\"model\":\"m\"}");
 *     assertThat(engine.count(engine.index("*"))).isEqualTo(1);
 *   }
 * }
 * }</pre>
 *
 * The node starts on the first {@link TestEngine} parameter resolved in the JVM (a few seconds),
 * lives in a temporary directory with the disk threshold off, and is closed and deleted when the
 * JVM exits. Each test class gets its own {@link TestEngine#indexPrefix()}; after the class, the
 * indices under it are deleted so a long test run does not pile them up in the shared heap.
 */
public final class SharedEngineExtension implements ParameterResolver, AfterAllCallback {
  private static final Map<Class<?>, TestEngine> BY_CLASS = new ConcurrentHashMap<>();
  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static final int MAX_NAME_LENGTH = 24;

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestEngine.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return engineFor(context.getRequiredTestClass());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    TestEngine engine = BY_CLASS.remove(context.getRequiredTestClass());
    if (engine != null) {
      engine.deleteIndices(engine.indexPrefix() + "*");
    }
  }

  static TestEngine engineFor(Class<?> testClass) {
    return BY_CLASS.computeIfAbsent(
        testClass, c -> TestEngine.at(SharedEngine.get().httpUri(), prefixFor(c)));
  }

  /**
   * "t7-storeit-": a JVM-wide sequence number keeps it unique, the class name keeps it readable.
   */
  static String prefixFor(Class<?> testClass) {
    String name = testClass.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    if (name.length() > MAX_NAME_LENGTH) {
      name = name.substring(0, MAX_NAME_LENGTH);
    }
    return "t" + SEQUENCE.incrementAndGet() + "-" + (name.isEmpty() ? "" : name + "-");
  }
}

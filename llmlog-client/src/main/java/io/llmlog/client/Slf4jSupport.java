package io.llmlog.client;

/**
 * Finds out whether SLF4J is usable. slf4j-api is an optional dependency, so nothing here may touch
 * an SLF4J type directly: {@link Slf4jBinding} does, and is loaded only once the API is known to be
 * present.
 */
final class Slf4jSupport {
  private static final boolean API_PRESENT = classPresent("org.slf4j.LoggerFactory");
  private static volatile Boolean bound;

  private Slf4jSupport() {}

  /** True when slf4j-api is on the class path. */
  static boolean apiPresent() {
    return API_PRESENT;
  }

  /**
   * True when slf4j-api is present with a real binding. SLF4J without a provider falls back to a
   * NOP logger that would swallow every line; then the SDK writes to stdout instead. A binding the
   * application chose on purpose, slf4j-nop included, is respected.
   */
  static boolean bound() {
    Boolean result = bound;
    if (result == null) {
      result = API_PRESENT && Slf4jBinding.isReal();
      bound = result;
    }
    return result;
  }

  /**
   * The decision, apart from how its inputs are found.
   *
   * @param nopFactory the logger factory SLF4J returned is its NOP factory
   * @param nopChosen the application has slf4j-nop (a provider, or a 1.x binding) on purpose
   */
  static boolean isRealBinding(boolean nopFactory, boolean nopChosen) {
    return !nopFactory || nopChosen;
  }

  static boolean classPresent(String name) {
    try {
      Class.forName(name, false, Slf4jSupport.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}

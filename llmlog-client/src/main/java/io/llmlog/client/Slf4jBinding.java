package io.llmlog.client;

import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;

/**
 * The part of {@link Slf4jSupport} that touches SLF4J types; loaded only when slf4j-api is present.
 */
final class Slf4jBinding {
  private Slf4jBinding() {}

  static boolean isReal() {
    boolean nopFactory = LoggerFactory.getILoggerFactory() instanceof NOPLoggerFactory;
    boolean api2 = Slf4jSupport.classPresent("org.slf4j.spi.SLF4JServiceProvider");
    // SLF4J 2 ignores 1.x bindings, so a 1.x StaticLoggerBinder only counts with the 1.x API.
    boolean nopChosen =
        api2
            ? Slf4jSupport.classPresent("org.slf4j.nop.NOPServiceProvider")
            : Slf4jSupport.classPresent("org.slf4j.impl.StaticLoggerBinder");
    return Slf4jSupport.isRealBinding(nopFactory, nopChosen);
  }
}

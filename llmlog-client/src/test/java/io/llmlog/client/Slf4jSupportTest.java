package io.llmlog.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Slf4jSupportTest {
  @Test
  void isRealBinding_nopFallback_isNot() {
    assertThat(Slf4jSupport.isRealBinding(true, false)).isFalse();
  }

  @Test
  void isRealBinding_nopChosenOnPurpose_is() {
    assertThat(Slf4jSupport.isRealBinding(true, true)).isTrue();
  }

  @Test
  void isRealBinding_anyOtherFactory_is() {
    assertThat(Slf4jSupport.isRealBinding(false, false)).isTrue();
  }

  @Test
  void bound_apiWithoutProvider_isFalse() {
    // This module's test class path: slf4j-api (optional dependency), no provider.
    assertThat(Slf4jSupport.apiPresent()).isTrue();
    assertThat(Slf4jSupport.bound()).isFalse();
    assertThat(LineSink.forService("svc")).isSameAs(LineSink.stdout());
  }
}

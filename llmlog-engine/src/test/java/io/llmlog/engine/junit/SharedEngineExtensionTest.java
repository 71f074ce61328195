package io.llmlog.engine.junit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SharedEngineExtensionTest {

  @Test
  void prefixFor_sameClassTwice_differentPrefixes() {
    String first = SharedEngineExtension.prefixFor(SharedEngineExtensionTest.class);
    String second = SharedEngineExtension.prefixFor(SharedEngineExtensionTest.class);

    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void prefixFor_longMixedCaseName_lowercasedAndCutTo24Characters() {
    String prefix = SharedEngineExtension.prefixFor(SharedEngineExtensionTest.class);

    assertThat(prefix).matches("t[0-9]+-sharedengineextensiontes-");
  }

  @Test
  void prefixFor_nameWithoutLettersOrDigits_stillEndsWithDash() {
    class ÄÖ {}

    assertThat(SharedEngineExtension.prefixFor(ÄÖ.class)).matches("t[0-9]+-");
  }
}

package io.llmlog.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * API keys may carry a name (who a reviewer is); keys configured without one keep working and get
 * one that does not reveal them.
 */
class ApiKeyNamesTest {
  static final String KEY = "0123456789abcdef0123";

  static List<LlmlogConfig.ApiKey> keys(Object apiKeys) {
    return LlmlogConfig.from(Settings.of(Map.of("auth", Map.of("api_keys", apiKeys)), name -> null))
        .auth()
        .apiKeys();
  }

  @Test
  void yaml_withName_keepsIt() {
    assertThat(keys(List.of(Map.of("key", KEY, "role", "review", "name", "alice"))))
        .containsExactly(new LlmlogConfig.ApiKey(KEY, LlmlogConfig.Role.REVIEW, "alice"));
  }

  @Test
  void yaml_withoutName_isNamedByRoleAndDigest_neverByTheKey() {
    LlmlogConfig.ApiKey key = keys(List.of(Map.of("key", KEY, "role", "admin"))).get(0);
    assertThat(key.name()).matches("admin-[0-9a-f]{8}").doesNotContain(KEY.substring(0, 8));
    assertThat(key.toString()).doesNotContain(KEY);
  }

  @Test
  void environmentForm_keyRoleAndKeyRoleName_bothRead() {
    List<LlmlogConfig.ApiKey> keys = keys(KEY + ":ingest," + KEY + "x:review:bob");
    assertThat(keys)
        .extracting(LlmlogConfig.ApiKey::role)
        .containsExactly(LlmlogConfig.Role.INGEST, LlmlogConfig.Role.REVIEW);
    assertThat(keys.get(1).name()).isEqualTo("bob");
    assertThat(keys.get(1).key()).isEqualTo(KEY + "x");
  }

  @Test
  void badName_isRefusedWithoutShowingTheKey() {
    assertThatThrownBy(() -> keys(List.of(Map.of("key", KEY, "role", "read", "name", "a b"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("name")
        .hasMessageNotContaining(KEY);
  }

  @Test
  void reviewRole_readsAndReviewsButDoesNotIngest() {
    assertThat(LlmlogConfig.Role.REVIEW.allows(LlmlogConfig.Role.READ)).isTrue();
    assertThat(LlmlogConfig.Role.REVIEW.allows(LlmlogConfig.Role.REVIEW)).isTrue();
    assertThat(LlmlogConfig.Role.REVIEW.allows(LlmlogConfig.Role.INGEST)).isFalse();
    assertThat(LlmlogConfig.Role.ADMIN.allows(LlmlogConfig.Role.REVIEW)).isTrue();
  }
}

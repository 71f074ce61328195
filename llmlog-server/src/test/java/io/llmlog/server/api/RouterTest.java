package io.llmlog.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RouterTest {
  private static final Route NOTHING = exchange -> {};

  private final Router router =
      new Router()
          .add("GET", "/", null, NOTHING)
          .add("GET", "/api/v1/logs/{request_id}", null, NOTHING)
          .add("GET", "/ui/{file*}", null, NOTHING);

  @Test
  void match_root_matchesOnlyTheRoot() {
    assertThat(router.match("GET", "/")).isNotNull();
    assertThat(router.match("GET", "/index.html")).isNull();
  }

  @Test
  void match_restSegment_takesEveryRemainingSegment() {
    Router.Match match = router.match("GET", "/ui/3f2a9c1d0b7e/pages/overview.js");

    assertThat(match.parameters()).containsEntry("file", "3f2a9c1d0b7e/pages/overview.js");
  }

  @Test
  void match_restSegment_needsAtLeastOneSegment() {
    assertThat(router.match("GET", "/ui")).isNull();
    assertThat(router.match("GET", "/ui/")).isNull();
    assertThat(router.match("GET", "/ui/a//b.js")).isNull();
  }

  @Test
  void match_restSegment_staysEncoded() {
    Router.Match match = router.match("GET", "/ui/build/%2e%2e%2Fsecret");

    assertThat(match.parameters()).containsEntry("file", "build/%2e%2e%2Fsecret");
  }

  @Test
  void match_plainParameter_isDecoded() {
    assertThat(router.match("GET", "/api/v1/logs/a%2Fb").parameters())
        .containsEntry("request_id", "a/b");
  }

  @Test
  void methodsFor_restRoute_listsItsMethod() {
    assertThat(router.methodsFor("/ui/x/main.js")).containsExactly("GET");
  }
}

package io.llmlog.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class AssetsTest {
  private static final Assets ASSETS = Assets.load();

  /** What would turn log text into markup or code: none of the dashboard's scripts may use it. */
  private static final Pattern UNSAFE =
      Pattern.compile(
          "innerHTML|outerHTML|insertAdjacentHTML|document\\.write|\\beval\\(|new Function\\(|setAttribute\\(\\s*'style'");

  @Test
  void load_classpath_hasThePageItsScriptsAndTheChartLibrary() {
    assertThat(ASSETS.files())
        .containsKeys(
            "index.html",
            "main.js",
            "app.css",
            "pages/overview.js",
            "pages/explorer.js",
            "pages/call.js",
            "pages/alerts.js",
            "pages/lifecycle.js",
            "status.js",
            "vendor/uplot/uPlot.esm.js",
            "vendor/uplot/uPlot.min.css");
    assertThat(ASSETS.build()).matches("[0-9a-f]{12}");
  }

  @Test
  void load_twice_givesTheSameBuild() {
    assertThat(Assets.load().build()).isEqualTo(ASSETS.build());
  }

  @Test
  void appScripts_neverParseHtmlOrEvalCode() {
    for (Map.Entry<String, byte[]> file : ASSETS.files().entrySet()) {
      if (file.getKey().endsWith(".js") && !file.getKey().startsWith("vendor/")) {
        String code =
            new String(file.getValue(), StandardCharsets.UTF_8).replaceAll("(?m)^\\s*//.*$", "");
        assertThat(UNSAFE.matcher(code).find()).as(file.getKey()).isFalse();
      }
    }
  }

  @Test
  void indexHtml_hasNoInlineScriptOrStyle() {
    String page = new String(ASSETS.files().get("index.html"), StandardCharsets.UTF_8);

    assertThat(page)
        .doesNotContainPattern("<script(?![^>]*\\bsrc=)")
        .doesNotContainPattern("\\son[a-z]+=")
        .doesNotContain("style=", "<style");
    assertThat(page).contains(Dashboard.BUILD_PLACEHOLDER);
  }

  @Test
  void contentType_byExtension_isTheStandardOne() {
    assertThat(Dashboard.contentType("main.js")).isEqualTo("text/javascript; charset=utf-8");
    assertThat(Dashboard.contentType("vendor/uplot/uPlot.min.css"))
        .isEqualTo("text/css; charset=utf-8");
    assertThat(Dashboard.contentType("icon.svg")).isEqualTo("image/svg+xml");
    assertThat(Dashboard.contentType("README")).isEqualTo("application/octet-stream");
  }
}

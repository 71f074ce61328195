package io.llmlog.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TableTest {
  @Test
  void width_chineseCharacters_countTwoColumns() {
    assertThat(Table.width("gpt-4")).isEqualTo(5);
    assertThat(Table.width("我要退款")).isEqualTo(8);
    assertThat(Table.width("退款，ok")).isEqualTo(8);
  }

  @Test
  void clip_longText_fitsTheColumnsWithAnEllipsis() {
    assertThat(Table.clip("explain\n  embeddings", 40)).isEqualTo("explain embeddings");
    assertThat(Table.clip("我要退款谢谢", 7)).isEqualTo("我要退…");
    assertThat(Table.width(Table.clip("我要退款谢谢", 7))).isLessThanOrEqualTo(7);
  }

  @Test
  void print_mixedWidths_alignsColumnsAndRightAlignsNumbers() {
    StringWriter out = new StringWriter();

    new Table("MODEL", "CALLS>", "PROMPT")
        .row("gpt-4", "1,234", "退款")
        .row("qwen-max", "7", "hi")
        .print(new PrintWriter(out));

    assertThat(out.toString())
        .isEqualTo(
            String.join(
                System.lineSeparator(),
                "MODEL     CALLS  PROMPT",
                "gpt-4     1,234  退款",
                "qwen-max      7  hi",
                ""));
  }
}

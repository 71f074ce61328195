package io.llmlog.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;

/** The line under a listing: how many were shown, and how to get the next page. */
final class Paging {
  private Paging() {}

  static void footer(PrintWriter out, int shown, String what, JsonNode page) {
    out.printf("%d %s%n", shown, what);
    if (page.path("next").isTextual()) {
      out.println("next page: --search-after " + page.path("next").asText());
    }
    out.flush();
  }
}

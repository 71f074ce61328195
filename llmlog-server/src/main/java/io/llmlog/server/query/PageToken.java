package io.llmlog.server.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The {@code search_after} token: the engine's sort values of the last hit of a page, with the sort
 * order they belong to, as URL-safe base64 JSON. Clients treat it as opaque; carrying the order
 * lets a token sent with another {@code sort} fail clearly instead of paging nonsense.
 */
public final class PageToken {
  private PageToken() {}

  static String encode(ObjectMapper json, SortOrder order, JsonNode sortValues) {
    return encode(json, order.toString(), sortValues);
  }

  /**
   * The token of a page of another listing, whose order is written as {@code order} (such as {@code
   * start:desc}).
   */
  public static String encode(ObjectMapper json, String order, JsonNode sortValues) {
    ObjectNode token = json.createObjectNode();
    token.put("sort", order);
    token.set("after", sortValues);
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(token.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The sort values to continue after.
   *
   * @throws InvalidParameterException naming {@code search_after} for a damaged token or one from
   *     another order
   */
  static ArrayNode decode(ObjectMapper json, SortOrder order, String token) {
    return decode(json, order.toString(), token);
  }

  /**
   * The values to continue after, for a listing whose order is written as {@code order}.
   *
   * @throws InvalidParameterException naming {@code search_after} for a damaged token or one from
   *     another order
   */
  public static ArrayNode decode(ObjectMapper json, String order, String token) {
    JsonNode decoded;
    try {
      decoded = json.readTree(Base64.getUrlDecoder().decode(token.trim()));
    } catch (IllegalArgumentException | IOException e) {
      decoded = null;
    }
    if (decoded == null || !decoded.path("after").isArray() || !decoded.path("sort").isTextual()) {
      throw new InvalidParameterException(
          "search_after", "not a token from a previous page's 'next'");
    }
    if (!decoded.path("sort").asText().equals(order)) {
      throw new InvalidParameterException(
          "search_after",
          "the token belongs to sort="
              + decoded.path("sort").asText()
              + ", not sort="
              + order
              + "; start again without search_after");
    }
    return (ArrayNode) decoded.path("after");
  }
}

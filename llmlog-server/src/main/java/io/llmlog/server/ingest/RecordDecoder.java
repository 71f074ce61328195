package io.llmlog.server.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.server.pipeline.Event;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits a request body into records: a JSON object, a JSON array of objects, or NDJSON (one object
 * per line). In NDJSON every line is parsed on its own, so a bad line is reported with its number
 * and the lines around it are kept. Depth and string-length limits come from the {@link
 * ObjectMapper}'s stream constraints.
 */
final class RecordDecoder {
  private final ObjectMapper json;
  private final int maxRecords;

  RecordDecoder(ObjectMapper json, int maxRecords) {
    this.json = json;
    this.maxRecords = maxRecords;
  }

  /** A record or the reason it could not be read; {@code line} is 1-based. */
  record Decoded(Event event, int line, String field, String reason) {
    static Decoded ok(Event event) {
      return new Decoded(event, event.line(), null, null);
    }

    static Decoded error(int line, String reason) {
      return new Decoded(null, line, null, reason);
    }
  }

  List<Decoded> decode(Body body) throws IOException {
    if (body.isEmpty()) {
      throw new BadRequestException(
          "the request body is empty; send a JSON object, a JSON array of objects, or NDJSON");
    }
    try (JsonParser parser = json.getFactory().createParser(body.stream())) {
      JsonToken first = parser.nextToken();
      if (first == JsonToken.START_ARRAY) {
        return array(parser);
      }
      if (first == JsonToken.START_OBJECT) {
        Map<String, Object> object = json.readValue(parser, Map.class);
        JsonToken after = parser.nextToken();
        if (after == null) {
          return List.of(Decoded.ok(new Event(cast(object), 1)));
        }
      }
    } catch (StreamConstraintsException e) {
      throw new BadRequestException("the JSON body breaks a limit: " + JsonLimits.describe(e));
    } catch (JsonProcessingException e) {
      // Not one object: read it as NDJSON, line by line.
    }
    return lines(body);
  }

  private List<Decoded> array(JsonParser parser) throws IOException {
    List<Decoded> records = new ArrayList<>();
    int index = 0;
    try {
      for (JsonToken token = parser.nextToken();
          token != JsonToken.END_ARRAY;
          token = parser.nextToken()) {
        if (token == null) {
          throw new BadRequestException("the JSON array is not closed");
        }
        index++;
        checkCount(index);
        if (token == JsonToken.START_OBJECT) {
          records.add(Decoded.ok(new Event(cast(json.readValue(parser, Map.class)), index)));
        } else {
          parser.skipChildren();
          records.add(Decoded.error(index, "each record must be a JSON object"));
        }
      }
      if (parser.nextToken() != null) {
        throw new BadRequestException("unexpected content after the JSON array");
      }
    } catch (StreamConstraintsException e) {
      throw new BadRequestException(
          "record " + (index) + " breaks a limit: " + JsonLimits.describe(e));
    } catch (JsonProcessingException e) {
      throw new BadRequestException(
          "the JSON array is not valid at line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ": "
              + e.getOriginalMessage());
    }
    return records;
  }

  private List<Decoded> lines(Body body) {
    List<Decoded> records = new ArrayList<>();
    NdjsonLines lines = new NdjsonLines(body);
    int count = 0;
    while (lines.next()) {
      if (lines.blank()) {
        continue;
      }
      checkCount(++count);
      records.add(line(lines));
    }
    return records;
  }

  private Decoded line(NdjsonLines lines) {
    int lineNumber = lines.number();
    try (JsonParser parser =
        json.getFactory().createParser(lines.bytes(), lines.offset(), lines.length())) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return Decoded.error(lineNumber, "each line must be a JSON object");
      }
      Map<String, Object> object = json.readValue(parser, Map.class);
      if (parser.nextToken() != null) {
        return Decoded.error(lineNumber, "unexpected content after the JSON object on this line");
      }
      return Decoded.ok(new Event(cast(object), lineNumber));
    } catch (StreamConstraintsException e) {
      return Decoded.error(lineNumber, "breaks a limit: " + JsonLimits.describe(e));
    } catch (JsonProcessingException e) {
      return Decoded.error(
          lineNumber,
          "not valid JSON at column "
              + e.getLocation().getColumnNr()
              + ": "
              + e.getOriginalMessage());
    } catch (IOException e) {
      return Decoded.error(lineNumber, "unreadable: " + e.getMessage());
    }
  }

  private void checkCount(int count) {
    if (count > maxRecords) {
      throw new PayloadTooLargeException(
          "more than "
              + maxRecords
              + " records in one request (the limit limits.max_records_per_request); split the batch");
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }
}

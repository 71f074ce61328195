package io.llmlog.server.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.server.store.IndexFamily;
import java.io.IOException;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Searches archived days without restoring them: a streaming scan of their files with a filter, one
 * page at a time. A page ends when it holds {@code size} hits or when it has read {@link
 * #SCAN_BUDGET} documents, whichever comes first, and says where the next page starts ({@code
 * cursor}); memory holds one page. Meant for a few days: a month of archives is the limit.
 */
final class ArchiveSearch {
  static final int MAX_DAYS = 31;
  static final long SCAN_BUDGET = 200_000;

  private final ArchiveStore archives;
  private final ArchiveReader reader;
  private final ObjectMapper json;
  private final String prefix;

  ArchiveSearch(ArchiveStore archives, ArchiveReader reader, ObjectMapper json, String prefix) {
    this.archives = archives;
    this.reader = reader;
    this.json = json;
    this.prefix = prefix;
  }

  /** Where a page starts: a day of the range, a set of that day, a part file and a line in it. */
  record Cursor(LocalDate day, int set, int file, long line) {
    static Cursor parse(String text) {
      String[] parts = text == null ? new String[0] : text.split("/");
      if (parts.length != 4 || DayIndex.parseDay(parts[0]) == null) {
        throw new LifecycleRequestException(
            400, "cursor must be the 'next' value of a previous page, was '" + text + "'");
      }
      try {
        return new Cursor(
            DayIndex.parseDay(parts[0]),
            Integer.parseInt(parts[1]),
            Integer.parseInt(parts[2]),
            Long.parseLong(parts[3]));
      } catch (NumberFormatException e) {
        throw new LifecycleRequestException(
            400, "cursor must be the 'next' value of a previous page, was '" + text + "'");
      }
    }

    String text() {
      return DayIndex.day(day) + "/" + set + "/" + file + "/" + line;
    }
  }

  /**
   * One page: the hits, how many documents were read, where the next page starts (null: done), and
   * the days searched.
   */
  record Page(
      List<ObjectNode> hits,
      long scanned,
      Cursor next,
      List<String> daysWithArchive,
      List<String> daysWithout) {}

  Page search(
      IndexFamily family,
      LocalDate from,
      LocalDate to,
      Predicate<JsonNode> filter,
      int size,
      Cursor cursor)
      throws IOException {
    if (to.isBefore(from)) {
      throw new LifecycleRequestException(
          400,
          "the range ends ("
              + DayIndex.day(to)
              + ") before it starts ("
              + DayIndex.day(from)
              + ")");
    }
    if (ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
      throw new LifecycleRequestException(
          400,
          "archive search scans files and is meant for a few days; the range may span at most "
              + MAX_DAYS
              + " days. Restore the days (`llmlog archive restore`) to search more with the engine.");
    }
    List<ObjectNode> hits = new ArrayList<>();
    List<String> with = new ArrayList<>();
    List<String> without = new ArrayList<>();
    long[] scanned = {0};
    Cursor[] next = {null};
    for (LocalDate date = from; !date.isAfter(to); date = date.plusDays(1)) {
      DayIndex day = DayIndex.of(prefix, family, date);
      List<ArchiveStore.ArchiveSet> sets =
          archives.sets(day).stream().filter(ArchiveStore.ArchiveSet::complete).toList();
      (sets.isEmpty() ? without : with).add(day.day());
      if (next[0] != null || cursor != null && date.isBefore(cursor.day())) {
        continue;
      }
      for (ArchiveStore.ArchiveSet set : sets) {
        boolean resume = cursor != null && date.equals(cursor.day());
        if (resume && set.number() < cursor.set()) {
          continue;
        }
        int fromFile = resume && set.number() == cursor.set() ? cursor.file() : 0;
        long fromLine = resume && set.number() == cursor.set() ? cursor.line() : 0;
        LocalDate current = date;
        reader.read(
            set,
            fromFile,
            fromLine,
            (file, line, id, source) -> {
              scanned[0]++;
              JsonNode document = json.readTree(source);
              if (filter.test(document)) {
                ObjectNode hit = json.createObjectNode();
                hit.put("_index", day.name());
                hit.put("_id", id);
                hit.set("_source", document);
                hits.add(hit);
              }
              if (hits.size() >= size || scanned[0] >= SCAN_BUDGET) {
                next[0] = new Cursor(current, set.number(), file, line + 1);
                return false;
              }
              return true;
            });
        if (next[0] != null) {
          break;
        }
      }
    }
    return new Page(hits, scanned[0], next[0], with, without);
  }
}

package io.llmlog.core.redact;

import io.llmlog.core.ErrorInfo;
import io.llmlog.core.LlmLogEntry;
import io.llmlog.core.LogField;
import io.llmlog.core.message.ChatMessage;
import io.llmlog.core.message.Messages;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Finds personal data and secrets in text and replaces them: e-mail addresses, phone numbers,
 * Chinese resident ids, bank cards, IP addresses, secrets ({@link PiiType}), and values matched by
 * custom patterns. Immutable and thread-safe; build one and share it.
 *
 * <pre>{@code
 * PiiRedactor redactor = PiiRedactor.builder()
 *     .mode(RedactionMode.MASK)
 *     .mode(PiiType.EMAIL, RedactionMode.HASH)
 *     .hmacKey(keyBytes)
 *     .custom("employee_id", "EMP-\\d{6}", RedactionMode.TOKEN)
 *     .build();
 * Redaction r = redactor.redact("call 138-1234-5678");   // "call 138-****-5678", {phone=1}
 * UnaryOperator<LlmLogEntry> hook = redactor::redact;     // the SDK's redactor hook
 * }</pre>
 *
 * <h2>How text is scanned</h2>
 *
 * One pass, left to right. At each position only the recognizers that can start there are tried,
 * chosen by the character and its predecessor (a digit after a non-word character, {@code '+'},
 * {@code s}/{@code A}/{@code e}/{@code -}/... for secrets, a hex digit or {@code :} within four
 * characters of a {@code :} for IPv6); inside a word nothing is tried. Each recognizer is a
 * hand-written scanner that reads a bounded number of characters or a run that no later attempt
 * re-reads, so the whole pass is linear in the text, whatever it holds. Two kinds of candidates are
 * found before the pass and offered to it at their start: e-mail addresses, from each {@code '@'}
 * (so the words of a text without one cost nothing), and custom pattern matches, each pattern run
 * once over the text under a read budget ({@link Builder#regexBudgetPerChar}).
 *
 * <h2>Overlaps</h2>
 *
 * Deterministic: the match that starts first wins; among matches starting at the same place the
 * longest; among equally long ones the {@link PiiType} declared first (secret, resident id, bank
 * card, phone, e-mail, IP), then custom recognizers in the order they were added. After a match,
 * scanning resumes at its end, so a phone-like run inside a card number is never reported twice.
 *
 * <h2>Failing closed</h2>
 *
 * If a custom pattern exceeds its budget, or a recognizer fails unexpectedly, the whole text is
 * replaced by {@link Redaction#FAILED_TOKEN} and {@link Redaction#failed()} is set: a text that
 * could not be checked is not kept.
 */
public final class PiiRedactor {
  /**
   * A key shorter than this would let anyone who guesses it reverse pseudonyms of phone numbers.
   */
  public static final int MIN_HMAC_KEY_BYTES = 16;

  /** The default regular-expression budget: character reads per character of input. */
  public static final long DEFAULT_REGEX_BUDGET_PER_CHAR = 256;

  private static final PiiType[] TYPES = PiiType.values();
  static final int BUILT_INS = TYPES.length;
  private static final PiiRedactor DEFAULTS = builder().build();
  private static final BiConsumer<LogField, Redaction> IGNORE = (field, redaction) -> {};
  private static final boolean ASSERTIONS_ENABLED = assertionsEnabled();

  private final boolean[] enabled = new boolean[BUILT_INS];
  private final RedactionMode[] modes = new RedactionMode[BUILT_INS];
  private final CustomRecognizer[] customs;
  private final Pseudonyms pseudonyms;
  private final long regexBudgetPerChar;

  /** Character classes at which some enabled recognizer can start. */
  private final int triggers;

  private PiiRedactor(Builder builder) {
    int triggers = 0;
    for (PiiType type : builder.types) {
      enabled[type.ordinal()] = true;
      triggers |= triggersOf(type);
    }
    for (PiiType type : TYPES) {
      modes[type.ordinal()] = builder.modes.getOrDefault(type, builder.mode);
    }
    this.customs = builder.resolvedCustoms();
    this.pseudonyms = builder.hmacKey == null ? null : new Pseudonyms(builder.hmacKey);
    this.regexBudgetPerChar = builder.regexBudgetPerChar;
    this.triggers = triggers;
  }

  @SuppressWarnings("AssertWithSideEffects")
  private static boolean assertionsEnabled() {
    boolean enabled = false;
    assert enabled = true;
    return enabled;
  }

  private static int triggersOf(PiiType type) {
    switch (type) {
      case EMAIL:
        return 0; // found from its '@'s before the pass, see EmailScanner.findAll
      case PHONE:
        return Chars.DIGIT | Chars.PLUS;
      case CN_ID:
      case BANK_CARD:
        return Chars.DIGIT;
      case IP:
        return Chars.DIGIT | Chars.V6_START;
      case SECRET:
        return Chars.SECRET_START;
      default:
        throw new AssertionError(type);
    }
  }

  /** All built-in recognizers, every match replaced by its type token ({@code [EMAIL]}). */
  public static PiiRedactor defaults() {
    return DEFAULTS;
  }

  /** A builder that starts from {@link #defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A redactor from configuration, as the server's YAML {@code redact:} section parses into maps.
   * All keys are optional:
   *
   * <pre>
   * recognizers: [email, phone, cn_id, bank_card, ip, secret]   # default: all of them
   * mode: token                        # token | mask | hash, for every type; default token
   * modes: {email: hash, phone: mask}  # per-type modes, overriding mode
   * hmac_key: "at least 16 bytes"      # required when any mode is hash
   * custom:                            # java.util.regex patterns
   *   - {name: employee_id, pattern: "EMP-\\d{6}", mode: token}   # mode defaults to mode
   * regex_budget_per_char: 256         # character reads per input character for custom patterns
   * </pre>
   *
   * @throws IllegalArgumentException whose message starts with the offending key, such as {@code
   *     custom[1].pattern: ...}; unknown keys are errors too
   */
  public static PiiRedactor fromConfig(Map<String, ?> config) {
    return RedactorConfig.parse(config);
  }

  /**
   * Redacts one text.
   *
   * @return the redacted text and the counts; when nothing matched, {@link Redaction#text()} is the
   *     very same {@code text} instance and nothing was copied
   */
  public Redaction redact(String text) {
    Objects.requireNonNull(text, "text");
    try {
      return new RedactionPass(
              text, precomputedSpans(text), enabled, modes, customs, pseudonyms, triggers)
          .run();
    } catch (BudgetedText.Exhausted | StackOverflowError regexBlewUp) {
      // StackOverflowError: java.util.regex recurses per repetition of some patterns.
      return Redaction.failedClosed();
    } catch (RuntimeException bug) {
      // Fail closed: a recognizer's bug must not let the text it was reading through. Tests run
      // with -ea, where the bug must be seen instead of hidden behind a redacted text.
      if (ASSERTIONS_ENABLED) {
        throw new AssertionError("bug in a recognizer", bug);
      }
      return Redaction.failedClosed();
    }
  }

  /**
   * Redacts an entry's prompt, system prompt, response and error message: the SDK's redactor hook,
   * usable as {@code UnaryOperator<LlmLogEntry> hook = redactor::redact}.
   *
   * @return {@code entry} itself when nothing was found, else a copy with the redacted texts
   */
  public LlmLogEntry redact(LlmLogEntry entry) {
    return redact(entry, IGNORE);
  }

  /**
   * As {@link #redact(LlmLogEntry)}, telling {@code onRedacted} about every field that changed, so
   * that the caller can count what was redacted and what failed.
   */
  public LlmLogEntry redact(LlmLogEntry entry, BiConsumer<LogField, Redaction> onRedacted) {
    Objects.requireNonNull(entry, "entry");
    Objects.requireNonNull(onRedacted, "onRedacted");
    String prompt = field(LogField.PROMPT, entry.prompt(), onRedacted);
    String systemPrompt = field(LogField.SYSTEM_PROMPT, entry.systemPrompt(), onRedacted);
    String response = field(LogField.RESPONSE, entry.response(), onRedacted);
    ErrorInfo error = entry.error();
    String message =
        error == null ? null : field(LogField.ERROR_MESSAGE, error.message(), onRedacted);
    boolean errorChanged = error != null && message != error.message();
    List<ChatMessage> input = messages(LogField.INPUT_MESSAGES, entry.inputMessages(), onRedacted);
    List<ChatMessage> output =
        messages(LogField.OUTPUT_MESSAGES, entry.outputMessages(), onRedacted);
    if (prompt == entry.prompt()
        && systemPrompt == entry.systemPrompt()
        && response == entry.response()
        && !errorChanged
        && input == entry.inputMessages()
        && output == entry.outputMessages()) {
      return entry;
    }
    LlmLogEntry.Builder builder =
        entry.toBuilder()
            .prompt(prompt)
            .systemPrompt(systemPrompt)
            .response(response)
            .inputMessages(input)
            .outputMessages(output);
    if (errorChanged) {
      builder.error(new ErrorInfo(error.type(), message));
    }
    return builder.build();
  }

  private List<ChatMessage> messages(
      LogField field, List<ChatMessage> messages, BiConsumer<LogField, Redaction> onRedacted) {
    if (messages.isEmpty()) {
      return messages;
    }
    List<Map<String, Object>> tree = Messages.toTree(messages);
    Object redacted = redactTree(tree, redaction -> onRedacted.accept(field, redaction));
    return redacted == tree ? messages : Messages.fromTree(castList(redacted));
  }

  /**
   * Redacts every text inside a JSON value (maps, lists, strings): the structured messages of a
   * call, tool arguments and results. The values of {@link #STRUCTURAL_KEYS} (roles, types, ids,
   * tool names) are left as they are: they say what a part is, not what someone wrote.
   *
   * @param onRedacted told about every string that changed
   * @return {@code value} itself when nothing was found, else a copy with the redacted texts
   */
  public Object redactTree(Object value, Consumer<Redaction> onRedacted) {
    if (value instanceof String text) {
      Redaction redaction = redact(text);
      if (!redaction.changed()) {
        return text;
      }
      onRedacted.accept(redaction);
      return redaction.text();
    }
    if (value instanceof List<?> list) {
      List<Object> copy = null;
      for (int i = 0; i < list.size(); i++) {
        Object item = list.get(i);
        Object redacted = redactTree(item, onRedacted);
        if (redacted != item && copy == null) {
          copy = new ArrayList<>(list);
        }
        if (copy != null) {
          copy.set(i, redacted);
        }
      }
      return copy == null ? list : copy;
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> copy = null;
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        Object item = entry.getValue();
        Object redacted =
            STRUCTURAL_KEYS.contains(entry.getKey()) ? item : redactTree(item, onRedacted);
        if (redacted != item && copy == null) {
          copy = new LinkedHashMap<>(map);
        }
        if (copy != null) {
          copy.put(entry.getKey(), redacted);
        }
      }
      return copy == null ? map : copy;
    }
    return value;
  }

  /** Keys of the message shape whose values describe a part rather than hold what was written. */
  private static final Set<String> STRUCTURAL_KEYS =
      Set.of("role", "type", "id", "name", "finish_reason", "mime_type", "modality");

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> castList(Object value) {
    return (List<Map<String, Object>>) value;
  }

  private String field(LogField field, String text, BiConsumer<LogField, Redaction> onRedacted) {
    if (text == null) {
      return null;
    }
    Redaction redaction = redact(text);
    if (redaction.changed()) {
      onRedacted.accept(field, redaction);
    }
    return redaction.text();
  }

  /**
   * Candidates found before the pass, as sorted (start, end, rank) triples, or null: e-mail
   * addresses (found from their '@') and custom pattern matches.
   */
  private int[] precomputedSpans(String text) {
    boolean email = enabled[PiiType.EMAIL.ordinal()] && text.indexOf('@') >= 0;
    if (!email && customs.length == 0) {
      return null;
    }
    Spans spans = new Spans();
    if (email) {
      EmailScanner.findAll(text, PiiType.EMAIL.ordinal(), spans);
    }
    if (customs.length > 0) {
      long budget = CustomRecognizer.FLOOR + regexBudgetPerChar * text.length();
      BudgetedText budgeted = new BudgetedText(text, budget);
      for (int k = 0; k < customs.length; k++) {
        customs[k].findAll(budgeted, BUILT_INS + k, spans);
      }
    }
    int[] sorted = spans.sorted();
    return sorted.length == 0 ? null : sorted;
  }

  @Override
  public String toString() {
    StringBuilder description = new StringBuilder("PiiRedactor{");
    for (PiiType type : TYPES) {
      if (enabled[type.ordinal()]) {
        description
            .append(type.configName())
            .append('=')
            .append(modes[type.ordinal()].configName())
            .append(", ");
      }
    }
    for (CustomRecognizer custom : customs) {
      description.append(custom.name()).append('=').append(custom.mode().configName()).append(", ");
    }
    description.append("hmac_key=").append(pseudonyms == null ? "none" : "set").append('}');
    return description.toString();
  }

  /** Chooses recognizers, modes, the pseudonym key and custom patterns. */
  public static final class Builder {
    private final EnumSet<PiiType> types = EnumSet.allOf(PiiType.class);
    private RedactionMode mode = RedactionMode.TOKEN;
    private final EnumMap<PiiType, RedactionMode> modes = new EnumMap<>(PiiType.class);
    private byte[] hmacKey;
    private final List<PendingCustom> customs = new ArrayList<>();
    private long regexBudgetPerChar = DEFAULT_REGEX_BUDGET_PER_CHAR;

    private record PendingCustom(String name, Pattern pattern, RedactionMode mode) {}

    Builder() {}

    /** The built-in recognizers to run; all of them by default. */
    public Builder recognizers(Collection<PiiType> types) {
      Objects.requireNonNull(types, "types");
      this.types.clear();
      this.types.addAll(types);
      return this;
    }

    /** The built-in recognizers to run; all of them by default. */
    public Builder recognizers(PiiType... types) {
      return recognizers(Arrays.asList(types));
    }

    /** The mode of every type that has none of its own; {@link RedactionMode#TOKEN} by default. */
    public Builder mode(RedactionMode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** The mode of one type. */
    public Builder mode(PiiType type, RedactionMode mode) {
      modes.put(Objects.requireNonNull(type, "type"), Objects.requireNonNull(mode, "mode"));
      return this;
    }

    /**
     * The key of {@link RedactionMode#HASH} pseudonyms, at least {@value #MIN_HMAC_KEY_BYTES}
     * bytes. Every process that must produce the same pseudonyms needs the same key; keep it out of
     * the logs it protects.
     */
    public Builder hmacKey(byte[] key) {
      Objects.requireNonNull(key, "key");
      if (key.length < MIN_HMAC_KEY_BYTES) {
        throw new IllegalArgumentException(
            "hmac key must be at least " + MIN_HMAC_KEY_BYTES + " bytes, was " + key.length);
      }
      this.hmacKey = key.clone();
      return this;
    }

    /** The key as UTF-8 text, as configuration gives it. */
    public Builder hmacKey(String key) {
      return hmacKey(Objects.requireNonNull(key, "key").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Adds a custom recognizer.
     *
     * @param name lower-case {@code [a-z0-9_]+}, not a built-in name; counted under it and replaced
     *     by its upper-case token ({@code employee_id} → {@code [EMPLOYEE_ID]})
     * @param regex a {@link java.util.regex.Pattern}
     * @param mode how matches are replaced; null for the default {@link #mode(RedactionMode)}
     * @throws IllegalArgumentException for a bad name or pattern
     */
    public Builder custom(String name, String regex, RedactionMode mode) {
      Objects.requireNonNull(regex, "regex");
      Pattern pattern;
      try {
        pattern = Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "invalid pattern: " + e.getDescription() + " near index " + e.getIndex(), e);
      }
      return custom(name, pattern, mode);
    }

    /** As {@link #custom(String, String, RedactionMode)}, with a compiled pattern. */
    public Builder custom(String name, Pattern pattern, RedactionMode mode) {
      new CustomRecognizer(
          name, pattern, mode == null ? RedactionMode.TOKEN : mode); // validates now
      for (PendingCustom custom : customs) {
        if (custom.name.equals(name)) {
          throw new IllegalArgumentException("custom recognizer \"" + name + "\" is defined twice");
        }
      }
      customs.add(new PendingCustom(name, pattern, mode));
      return this;
    }

    /**
     * How many characters a custom pattern may read per character of input (plus a small floor)
     * before the text is given up as unredactable; {@value #DEFAULT_REGEX_BUDGET_PER_CHAR} by
     * default, plenty for patterns that do not backtrack.
     */
    public Builder regexBudgetPerChar(long reads) {
      if (reads < 1) {
        throw new IllegalArgumentException("regex budget per char must be >= 1, was " + reads);
      }
      this.regexBudgetPerChar = reads;
      return this;
    }

    /**
     * Builds the redactor.
     *
     * @throws IllegalStateException when a type or custom recognizer uses hash mode and no key was
     *     set
     */
    public PiiRedactor build() {
      if (hmacKey == null) {
        Set<String> hashing = new HashSet<>();
        for (PiiType type : types) {
          if (modes.getOrDefault(type, mode) == RedactionMode.HASH) {
            hashing.add(type.configName());
          }
        }
        for (PendingCustom custom : customs) {
          if ((custom.mode == null ? mode : custom.mode) == RedactionMode.HASH) {
            hashing.add(custom.name);
          }
        }
        if (!hashing.isEmpty()) {
          throw new IllegalStateException(
              "hash mode needs an hmac key (used by "
                  + String.join(", ", new TreeSet<>(hashing))
                  + ")");
        }
      }
      return new PiiRedactor(this);
    }

    private CustomRecognizer[] resolvedCustoms() {
      CustomRecognizer[] resolved = new CustomRecognizer[customs.size()];
      for (int k = 0; k < resolved.length; k++) {
        PendingCustom custom = customs.get(k);
        resolved[k] =
            new CustomRecognizer(
                custom.name, custom.pattern, custom.mode == null ? mode : custom.mode);
      }
      return resolved;
    }
  }
}

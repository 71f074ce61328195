/**
 * llmlog's settings: {@code llmlog.yaml}, {@code LLMLOG_*} environment variables and command-line
 * options, read through one reader, {@link io.llmlog.server.config.Settings}.
 *
 * <h2>Reading a key declares it</h2>
 *
 * A section is read in one {@code XxxSettings.from(Settings)} factory that holds all its keys and
 * defaults. Each typed getter names the key, its type, its default and (for sizes and durations)
 * its unit, once; that call is the declaration. Whatever the file holds that no getter asked for is
 * an unknown key, refused with its full path, its line and the nearest declared key: {@code
 * llmlog.yaml:4: limits.max_body_byte is not a limits setting; did you mean
 * limits.max_body_bytes?}. An {@code LLMLOG_*} variable that names no declared key is refused the
 * same way ({@link io.llmlog.server.config.Settings#OTHER_VARIABLES} are the launcher's and the
 * CLI's own).
 *
 * <h2>How to declare ...</h2>
 *
 * <b>A setting</b>: read it with the getter of its type, with its default:
 *
 * <pre>{@code
 * Duration timeout = settings.duration("gateway.timeout", Duration.ofSeconds(30));
 * long maxBody = settings.bytes("gateway.max_body_bytes", 10L << 20);
 * String key = settings.secret("gateway.admin_key", null);      // masked by `config show`, never in a message
 * List<String> models = settings.strings("gateway.models", List.of()); // a YAML list, or "a,b" from the environment
 * }</pre>
 *
 * Getters: {@code string}, {@code secret}, {@code integer}, {@code bool}, {@code decimal}, {@code
 * bytes}, {@code duration}, {@code strings} (names; text is split on commas), {@code values} (a
 * list, or one value), {@code raw} (anything; the reader checks it), {@code map} (a mapping whose
 * keys are data: labels, headers, field names; its keys are not checked), {@code stringMap}.
 * Errors: {@code settings.invalid(key, value, "a port between 0 and 65535")} or {@code
 * settings.problem(key, "...")} name the key and where it was set.
 *
 * <p><b>A section</b>: read every key of it in its {@code from}, then refuse the rest:
 *
 * <pre>{@code
 * public record OtlpSettings(int port, long maxBodyBytes) {
 *   public static OtlpSettings from(Settings settings) {
 *     OtlpSettings read = new OtlpSettings(settings.integer("otlp.port", 4318), settings.bytes("otlp.max_body_bytes", 10L << 20));
 *     settings.rejectUnknown("otlp");   // a typo in this section fails here, and in the section's own unit test
 *     return read;
 *   }
 * }
 * }</pre>
 *
 * and add one line to {@code io.llmlog.server.ServerSettings.SECTIONS}, which reads every section
 * before the server starts (and for {@code ./llmlog config check|show}) and then refuses unknown
 * keys of the whole file and the environment. Dotted keys work on any view; {@code
 * settings.at("otlp")} gives a view whose keys are relative ({@code otlp.integer("port", 4318)}).
 *
 * <p><b>A map of user-named sections</b> ({@code gateway.upstreams.<name>.*}): list the names, read
 * each one's keys on its view; a typo inside one is named with its full path ({@code
 * gateway.upstreams.openai.api_kye ... did you mean gateway.upstreams.openai.api_key?}):
 *
 * <pre>{@code
 * for (String name : settings.names("gateway.upstreams")) {
 *   Settings upstream = settings.named("gateway.upstreams", name);   // the name may hold dots
 *   upstreams.put(name, new Upstream(upstream.string("url", null), upstream.secret("api_key", null), upstream.map("headers")));
 * }
 * }</pre>
 *
 * <p><b>A list of items</b> ({@code quality.evaluators[*]}): {@code items} gives one view per item
 * (null when the key is unset); errors name the position, {@code quality.evaluators[2].thresold}:
 *
 * <pre>{@code
 * List<Settings> items = settings.items("quality.evaluators");
 * for (Settings item : items == null ? List.<Settings>of() : items) {
 *   evaluators.add(new Evaluator(item.string("name", null), item.decimal("threshold", 0.5)));
 * }
 * }</pre>
 *
 * Items that read like {@code name: options} (pipeline steps) take a label, so that their errors
 * read {@code pipeline[0] (mutate): remove_fields: unknown option; did you mean remove_field?}:
 * {@code step.child(name).labelled("pipeline[" + i + "] (" + name + ")", "option")}.
 *
 * <p><b>Keys another reader checks</b> (the SDK's sampling, redaction and price-table options, read
 * by {@code llmlog-core} from maps) are handed over with {@code map(key)}; that reader names
 * unknown keys with {@link io.llmlog.core.NearestName}, the same "did you mean".
 *
 * <h2>Why reading declares</h2>
 *
 * A registry of keys beside the code that reads them drifts: a key read but not registered, or
 * registered with another default. Here the one call that reads a key is its declaration, and
 * {@code config show} lists exactly what the sections read, with the value in force and whether it
 * came from the default, the file, the environment or an option.
 */
package io.llmlog.server.config;

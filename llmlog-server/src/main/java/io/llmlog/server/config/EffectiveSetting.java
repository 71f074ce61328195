package io.llmlog.server.config;

/**
 * One declared setting as the server sees it, for {@code ./llmlog config show}.
 *
 * @param key its full path, such as {@code alerts.webhooks[0].url}
 * @param type what it holds: {@code text}, {@code number}, {@code size}, {@code duration}, ...
 * @param value the value in force, or the default; masked when the setting is secret
 * @param origin where the value came from: {@code default}, {@code file}, {@code env} or {@code
 *     option}
 * @param secret true when the value is masked
 */
public record EffectiveSetting(
    String key, String type, String value, String origin, boolean secret) {}

package io.llmlog.server.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class that serves llmlog's own Elasticsearch-compatible routes ({@code /_bulk}, {@code
 * /{index}/_search}, {@code /_license}, ...). Their paths look like the engine's on purpose, so
 * that shippers and Elasticsearch clients can talk to llmlog; they are served, never sent. The
 * architecture test lets these classes (and only classes of this package) hold such paths; every
 * other class outside {@code store} that holds one fails the build.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
@interface ElasticsearchRoutes {}

/**
 * Sampling: the brief's 采样策略 — 对成功请求采样记录, 错误请求全量记录. See {@link
 * io.llmlog.core.sample.SamplingPolicy}.
 *
 * <p>The decision is a pure function of the request id, with a hash whose definition is part of
 * llmlog's compatibility promise (SDKs in other languages implement it too): {@code position =
 * (fmix64(fnv1a64(utf8(request_id))) >>> 11) × 2⁻⁵³}, kept when {@code position < rate}. Golden
 * values in {@code SamplingPolicyTest} come from an independent implementation and must never be
 * changed to make a test pass.
 */
package io.llmlog.core.sample;

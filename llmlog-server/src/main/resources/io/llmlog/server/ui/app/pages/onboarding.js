// What a new user sees before the first call arrives: how to send one, with this server's address.
import { h, copyButton } from '../dom.js';
import { apiKey } from '../api.js';

function snippet(title, code) {
  return h('div', { class: 'snippet' },
    h('div', { class: 'snippet-head' }, h('span', { text: title }), copyButton('Copy', () => code)),
    h('pre', { class: 'code', text: code }));
}

/** The time of the newest call ever stored, or null when there is none yet (then the welcome shows). */
export async function latestCall(api, signal) {
  const any = await api('/api/v1/search', { params: { size: 1, fields: 'timestamp' }, signal });
  return any.total === 0 ? null : any.hits[0]?.document?.timestamp || 'unknown';
}

export function onboarding() {
  const origin = location.origin;
  const auth = apiKey() ? " \\\n  -H 'Authorization: ApiKey <an ingest key>'" : '';
  const curl = `curl -s ${origin}/api/v1/logs -H 'Content-Type: application/json'${auth} -d '{
  "request_id": "hello-1", "model": "gpt-4o", "user_id": "user_123",
  "prompt": "Say hello", "response": "Hello!", "input_tokens": 3, "output_tokens": 2,
  "latency_ms": 420, "ttft_ms": 180, "stop_reason": "stop", "level": "info"}'`;
  const java = `LlmLogger logger = LlmLogger.builder("my-service")
    .endpoint(URI.create("${origin}"))
    .build();

LlmCall call = logger.startCall("gpt-4o", prompt);
// ... call the model, stream the answer ...
call.firstToken();
call.end(response, inputTokens, outputTokens, "stop");   // or call.fail(exception)`;
  return h('section', { class: 'onboarding card', dataset: { empty: 'no-calls' }, 'aria-labelledby': 'onboarding-title' },
    h('h2', { id: 'onboarding-title', text: 'No LLM calls yet — send your first one' }),
    h('p', { text: 'llmlog stores every LLM call your applications make: prompt, response, tokens, latency, cost and quality. Send one and it shows up here within seconds.' }),
    h('ol', { class: 'steps' },
      h('li', {}, h('p', { text: 'From a shell, with curl:' }), snippet('curl', curl)),
      h('li', {}, h('p', {}, 'From Java, with the SDK (', h('code', { text: 'io.llmlog:llmlog-client' }), '; it never blocks your thread):'), snippet('Java', java)),
      h('li', {}, h('p', { text: 'Already writing JSON log lines (the brief\'s StructuredLogger format)? Point Filebeat, Logstash or Fluent Bit at llmlog\'s Elasticsearch-compatible port (9200 by default), or POST NDJSON to /api/v1/logs.' }))),
    h('p', {}, h('a', { href: '#/overview', class: 'button primary', text: 'Check again', on: { click: (e) => { e.preventDefault(); window.dispatchEvent(new HashChangeEvent('hashchange')); } } })));
}

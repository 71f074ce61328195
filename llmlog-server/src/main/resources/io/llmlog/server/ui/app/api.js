// The REST API, as the pages use it. Requests go to this page's own origin only (the
// Content-Security-Policy's connect-src would refuse anything else anyway).

const KEY = 'llmlog.apiKey';

/** An error answer of the API: {"error": {"type", "reason", "parameter"?, "position"?, "expected"?}}. */
export class ApiError extends Error {
  constructor(status, body, fallback) {
    const error = body && typeof body.error === 'object' ? body.error : {};
    super(error.reason || fallback || `HTTP ${status}`);
    this.status = status;
    this.type = error.type || null;
    this.parameter = error.parameter ?? null;
    this.position = Number.isInteger(error.position) ? error.position : null;
    this.expected = error.expected ?? null;
  }
}

export function apiKey() {
  return sessionStorage.getItem(KEY);
}

export function forgetKey() {
  sessionStorage.removeItem(KEY);
}

/**
 * Calls the API. params become the query string (empty values left out); body is sent as JSON.
 * On 401 the user is asked for a key once, and the request is repeated with it.
 */
export async function api(path, { method = 'GET', params = {}, body, signal } = {}, retried = false) {
  const url = new URL(path, location.origin);
  for (const [name, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') url.searchParams.set(name, value);
  }
  const headers = { Accept: 'application/json' };
  const key = apiKey();
  if (key) headers.Authorization = 'ApiKey ' + key;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(url, {
      method, headers, signal, cache: 'no-store', credentials: 'omit', redirect: 'error',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, null, 'llmlog did not answer; is the server running?');
  }
  let json = null;
  try {
    json = await response.json();
  } catch {
    // Not JSON: the status says enough.
  }
  if (response.status === 401 && !retried) {
    const reason = json?.error?.reason;
    if (await askForKey(key ? 'The API key was refused. ' + (reason || '') : null)) {
      return api(path, { method, params, body, signal }, true);
    }
  }
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

let pendingAsk = null;

/** Shows the key dialog; resolves true once a key was entered, false when cancelled. */
function askForKey(reason) {
  if (pendingAsk) return pendingAsk;
  const dialog = document.getElementById('key-dialog');
  const input = document.getElementById('key-input');
  if (reason) document.getElementById('key-reason').textContent = reason;
  input.value = '';
  pendingAsk = new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      pendingAsk = null;
      const key = input.value.trim();
      if (dialog.returnValue === 'ok' && key) {
        sessionStorage.setItem(KEY, key);
        document.dispatchEvent(new CustomEvent('llmlog:key'));
        resolve(true);
      } else {
        resolve(false);
      }
    }, { once: true });
  });
  dialog.showModal();
  input.focus();
  return pendingAsk;
}

// The dashboard's one way to the silo's JSON API: same origin, with the key the user saved in this browser.
// Every call either returns the parsed body or throws an ApiError carrying the status and the grid's error code,
// so each panel can show what went wrong instead of going blank.

const keyName = 'openledger.apiKey';

/** The saved API key, or an empty string. */
export function apiKey() {
  return localStorage.getItem(keyName) || '';
}

/** Saves (or, when empty, forgets) the API key and tells the page. */
export function setApiKey(key) {
  if (key) {
    localStorage.setItem(keyName, key);
  } else {
    localStorage.removeItem(keyName);
  }
  window.dispatchEvent(new CustomEvent('openledger:key'));
}

/** A failed call: the HTTP status (0 when the silo could not be reached), the grid's code and its message. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** The headers every call sends. */
export function authHeaders(extra = {}) {
  const headers = { Accept: 'application/json', ...extra };
  const key = apiKey();
  if (key) {
    headers.Authorization = 'Bearer ' + key;
  }
  return headers;
}

/** GET path and parse JSON; throws ApiError. */
export function getJson(path) {
  return call(path, { headers: authHeaders() });
}

/** POST a JSON body to path and parse the JSON answer; throws ApiError. */
export function postJson(path, body) {
  return call(path, { method: 'POST', headers: authHeaders({ 'Content-Type': 'application/json' }), body: JSON.stringify(body ?? {}) });
}

/** The error of a failed response, read from OpenAI's shape ({error: {message, code}}) or a problem document. */
export async function errorOf(response) {
  let code = 'http_' + response.status;
  let message = response.status + ' ' + response.statusText;
  try {
    const body = await response.json();
    const error = body && (body.error || body);
    if (error && typeof error === 'object') {
      code = error.code || error.type || code;
      message = error.message || error.title || error.detail || message;
    }
  } catch {
    // Not JSON (a 404 from a route that does not exist yet, say): the status line says enough.
  }
  return new ApiError(response.status, code, message);
}

async function call(path, init) {
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'unreachable', 'The silo could not be reached (' + e.message + ').');
  }
  if (!response.ok) {
    throw await errorOf(response);
  }
  return response.status === 204 ? null : response.json();
}

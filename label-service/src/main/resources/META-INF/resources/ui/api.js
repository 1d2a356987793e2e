// The four services' REST APIs, as the page uses them. Service URLs come from the label service's
// /api/ui-config (set for an ingress), else the page's own host with the default ports.
let config = null;

export async function loadConfig() {
  const fallback = port => `${location.protocol}//${location.hostname}:${port}`;
  let c = {};
  try {
    const r = await fetch('/api/ui-config');
    if (r.ok) c = await r.json();
  } catch (e) { /* defaults below */ }
  // a developer's override, e.g. services on other ports: localStorage 'loupe.services' = {"embedding": "http://..."}
  let local = {};
  try { local = JSON.parse(localStorage.getItem('loupe.services') || '{}'); } catch (e) { /* ignore */ }
  config = {
    label: '',
    embedding: local.embedding || c.embeddingUrl || fallback(8082),
    augment: local.augment || c.augmentUrl || fallback(8083),
    dataset: local.dataset || c.datasetUrl || fallback(8084),
  };
  return config;
}

export function url(service, path) {
  return config[service] + path;
}

// The signed-in user (GET /api/auth/me), set by loadMe().
let me = null;

export function user() {
  return me ? me.username : '';
}

export function currentUser() {
  return me;
}

/** Who is signed in; null (and the sign-in page) when nobody is. */
export async function loadMe() {
  const r = await fetch('/api/auth/me', { credentials: 'same-origin' });
  if (r.status === 401) {
    toSignIn();
    return null;
  }
  if (!r.ok) throw new ApiError(r.status, null);
  me = await r.json();
  return me;
}

export async function signOut() {
  try {
    await call('label', '/api/auth/session', { method: 'DELETE' });
  } finally {
    location.assign('signin.html');
  }
}

function toSignIn() {
  const next = location.pathname + location.search + location.hash;
  location.assign(`signin.html?next=${encodeURIComponent(next)}`);
}

/** The session's CSRF token: the readable cookie the sign-in set; repeated in X-Loupe-CSRF on every change. */
function csrf() {
  const c = document.cookie.split('; ').find(x => x.startsWith('loupe_csrf='));
  return c ? decodeURIComponent(c.substring('loupe_csrf='.length)) : '';
}

/** A failed request: HTTP status and the problem+json body (detail, errors[{field, message}]). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

export async function call(service, path, { method = 'GET', body, headers = {}, raw = false } = {}) {
  const h = { ...headers };
  if (!['GET', 'HEAD'].includes(method)) h['X-Loupe-CSRF'] = csrf();
  let payload = body;
  if (body !== undefined && !(body instanceof FormData) && !(body instanceof Blob)) {
    h['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  // the session cookie goes to the other services too (same site, other port: CORS with credentials)
  const response = await fetch(url(service, path), { method, headers: h, body: payload, credentials: 'include' });
  if (response.status === 401) {
    toSignIn();
  }
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch (e) { /* not JSON */ }
    throw new ApiError(response.status, problem);
  }
  if (raw) return response;
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') || '';
  return type.includes('json') ? response.json() : response.text();
}

export const label = (path, o) => call('label', path, o);
export const embedding = (path, o) => call('embedding', path, o);
export const augment = (path, o) => call('augment', path, o);
export const dataset = (path, o) => call('dataset', path, o);

// With a size, a PNG thumbnail the service makes. Without, the image itself, which may answer a redirect to a
// short-lived presigned URL of the object store (loupe.label.blobs.s3.presign): <img> elements follow it.
export function imageUrl(itemId, size) {
  return size ? `/api/items/${itemId}/image?size=${size}` : `/api/items/${itemId}/image?redirect=true`;
}

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

export function user() {
  return localStorage.getItem('loupe.user') || 'anonymous';
}

export function setUser(name) {
  localStorage.setItem('loupe.user', name);
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
  const h = { 'Loupe-User': user(), ...headers };
  let payload = body;
  if (body !== undefined && !(body instanceof FormData) && !(body instanceof Blob)) {
    h['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const response = await fetch(url(service, path), { method, headers: h, body: payload });
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

export function imageUrl(itemId) {
  return `/api/items/${itemId}/image`;
}

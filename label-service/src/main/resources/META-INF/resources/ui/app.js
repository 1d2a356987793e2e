// Loupe's page: a project picker, five views, a progress line for everything that takes time, and the live feed
// of the project's changes (server-sent events from the label service).
// The URL says where you are: #/<view>?project=<id>&item=<id> (view: grid, review, map, augment, dataset, scores, home),
// so a link opens that project, view and item for whoever has access, and a reload stays there; a view may keep more
// of its state there (scores: the versions compared). A link with ?project=<id> in
// the query string (the older form) is moved into the hash.
import * as api from './api.js';
import { gridView } from './grid.js';
import { mapView } from './map.js';
import { augmentView } from './augment.js';
import { datasetView } from './dataset.js';
import { homeView } from './home.js';
import { curationView } from './curation.js';
import { reviewView } from './review.js';
import { scoresView } from './plots.js';

const views = { grid: gridView, review: reviewView, map: mapView, augment: augmentView, dataset: datasetView, scores: scoresView, home: homeView };

views.curation = curationView; // #/curation?project=&plan=: curation plans and their measured effect

export const state = {
  projects: [],
  project: null,          // {id, name, classes}
  feed: null,             // EventSource of the project's changes
  listeners: new Set(),   // (event) => void, for the current view
  current: null,          // {unmount}
  route: null,            // {view, params: {project, item}} as the URL says
};

export function toast(message, kind = 'info') {
  const box = document.getElementById('toasts');
  const t = document.createElement('div');
  t.className = `toast ${kind}`;
  t.textContent = message;
  box.append(t);
  setTimeout(() => t.remove(), kind === 'error' ? 8000 : 4000);
}

/** A readable one-liner for a failed call: the problem's detail and its field. */
export function problemText(e) {
  if (e instanceof api.ApiError) {
    const field = e.problem.errors?.[0]?.field;
    return (field ? `${field}: ` : '') + (e.problem.errors?.[0]?.message || e.problem.detail || e.message);
  }
  return e.message || String(e);
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c);
  return node;
}

/** Subscribes the current view to the project's live changes; returns the unsubscribe function. */
export function onChange(listener) {
  state.listeners.add(listener);
  return () => state.listeners.delete(listener);
}

function connectFeed() {
  if (state.feed) state.feed.close();
  if (!state.project) return;
  const feed = new EventSource(`/api/projects/${state.project.id}/changes`);
  const dispatch = e => {
    const envelope = JSON.parse(e.data);
    for (const l of state.listeners) l(envelope);
  };
  for (const type of ['dev.loupe.item.added', 'dev.loupe.item.label-changed', 'dev.loupe.item.excluded', 'dev.loupe.item.restored']) {
    feed.addEventListener(type, dispatch);
  }
  feed.onopen = () => document.body.dataset.live = 'on';
  feed.onerror = () => document.body.dataset.live = 'reconnecting';
  state.feed = feed;
}

/** The view and its parameters from the URL: #/<view>?project=<id>&item=<id>&<the view's own>=... */
export function parseRoute(hash = location.hash) {
  const [path, query] = hash.replace(/^#\/?/, '').split('?');
  const q = new URLSearchParams(query || '');
  return { view: path || '', params: { ...Object.fromEntries(q), project: q.get('project') || null, item: q.get('item') || null } };
}

function routeHash(view, { project, item, ...own } = {}) {
  const q = new URLSearchParams();
  if (project) q.set('project', project);
  if (item) q.set('item', item);
  for (const [k, v] of Object.entries(own)) if (v !== null && v !== undefined && v !== '') q.set(k, v);
  const query = q.toString();
  return `#/${view}${query ? `?${query}` : ''}`;
}

/** Goes to a view (a new history entry): of the current project unless params name another; item optional. */
export function navigate(view, params = {}) {
  const hash = routeHash(view, { project: params.project ?? state.project?.id, item: params.item });
  if (location.hash === hash) route(); else location.hash = hash;
}

/** Records the selected item in the URL without a new history entry (arrow keys would fill the history). */
export function selectItem(itemId) {
  const r = parseRoute();
  if (r.params.item === (itemId || null)) return;
  history.replaceState(history.state, '', routeHash(r.view || currentView(), { project: state.project?.id, item: itemId }));
}

/** Records a view's own state (e.g. the versions it compares) in the URL, without a new history entry. */
export function setViewParams(own) {
  const r = parseRoute();
  history.replaceState(history.state, '', routeHash(r.view || currentView(), { ...own, project: state.project?.id, item: r.params.item }));
}

/** Opens an item in the eraser (augment view), from the grid or any other view (e.g. a review queue). */
export function openInEraser(itemId) {
  navigate('augment', { item: itemId });
}

function currentView() {
  return document.getElementById('main').dataset.view || 'grid';
}

async function loadProjects(selectId) {
  state.projects = await api.label('/api/projects');
  const select = document.getElementById('project');
  select.replaceChildren(...state.projects.map(p => el('option', { value: p.id, text: p.name })));
  const wanted = selectId || localStorage.getItem('loupe.project');
  setProject(state.projects.find(p => p.id === wanted) || state.projects[0] || null);
}

function setProject(project) {
  if (state.project?.id === project?.id && state.feed) return;
  state.project = project;
  if (project) {
    localStorage.setItem('loupe.project', project.id);
    document.getElementById('project').value = project.id;
  }
  for (const a of document.querySelectorAll('#nav a')) a.setAttribute('href', routeHash(a.dataset.view, { project: project?.id }));
  connectFeed();
}

export async function projectCreated(project) {
  await loadProjects(project.id);
  navigate('grid', { project: project.id });
}

function route() {
  const r = parseRoute();
  if (r.params.project && r.params.project !== state.project?.id) {
    const wanted = state.projects.find(p => p.id === r.params.project);
    if (wanted) setProject(wanted);
    else toast(`No project ${r.params.project} among yours: showing ${state.project?.name ?? 'none'}`, 'error');
  }
  const name = r.view || (state.project ? 'grid' : 'home');
  // the URL always names the project it shows (a nav link or an old bookmark may not)
  if (state.project && (r.params.project !== state.project.id || !r.view)) {
    history.replaceState(history.state, '', routeHash(name, { ...r.params, project: state.project.id }));
  }
  const view = views[name] || views.home;
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.dataset.view === name) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  if (state.current?.unmount) state.current.unmount();
  state.listeners.clear();
  state.route = { view: name, params: { ...r.params, project: state.project?.id ?? null } };
  const main = document.getElementById('main');
  main.replaceChildren();
  main.dataset.view = name;
  state.current = view(main, state, state.route.params) || null;
}

// --- progress: imports, embedding backlog, augmentation jobs (polled while something is running)
async function pollProgress() {
  const bar = document.getElementById('progress');
  const parts = [];
  if (state.project) {
    const id = state.project.id;
    try {
      const imports = await api.label(`/api/projects/${id}/imports`);
      for (const i of imports.filter(i => i.status === 'RUNNING' || i.status === 'QUEUED')) {
        parts.push({ text: `Import ${i.source}: ${i.done} of ${i.total}`, value: i.done, max: i.total });
      }
    } catch (e) { /* label service away: shown by the view's calls */ }
    try {
      const s = await api.embedding(`/api/projects/${id}/embeddings/status`);
      if (s.pending > 0) parts.push({ text: `Embedding: ${s.embedded} of ${s.items}`, value: s.embedded, max: s.items });
    } catch (e) { /* not embedded yet */ }
    try {
      const jobs = await api.augment(`/api/projects/${id}/augmentations`);
      for (const j of jobs.filter(j => j.status === 'QUEUED' || j.status === 'RUNNING')) {
        parts.push({ text: `${j.kind === 'recipe' ? 'Recipe' : 'Augmentation'}: ${j.done} of ${j.total}`, value: j.done, max: j.total });
      }
    } catch (e) { /* augment service away */ }
  }
  bar.replaceChildren(...parts.map(p => el('div', { class: 'task' },
    el('span', { text: p.text }), el('progress', { value: p.value, max: Math.max(1, p.max), 'aria-label': p.text }))));
  bar.hidden = parts.length === 0;
  setTimeout(pollProgress, parts.length ? 1000 : 3000);
}

async function start() {
  await api.loadConfig();
  const me = await api.loadMe();
  if (!me) return;
  const who = document.getElementById('user');
  who.textContent = me.displayName ? `${me.displayName} (${me.username})` : me.username;
  who.title = me.globalAdmin ? 'Loupe administrator' : '';
  document.getElementById('sign-out').addEventListener('click', () => api.signOut());
  // the older link form ?project=<id> becomes #/<view>?project=<id>
  const legacy = new URLSearchParams(location.search).get('project');
  if (legacy) {
    const r = parseRoute();
    history.replaceState(null, '', location.pathname + routeHash(r.view || 'grid', { project: r.params.project || legacy, item: r.params.item }));
  }
  // another project: the same view of it, as a new history entry (Back returns to the previous project)
  document.getElementById('project').addEventListener('change', e =>
    navigate(currentView() === 'home' ? 'grid' : currentView(), { project: e.target.value }));
  await loadProjects(parseRoute().params.project);
  window.addEventListener('hashchange', route);
  route();
  pollProgress();
}

start().catch(e => toast(`Loupe could not start: ${problemText(e)}`, 'error'));

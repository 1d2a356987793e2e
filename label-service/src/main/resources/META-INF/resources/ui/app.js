// Loupe's page: a project picker, four views, a progress line for everything that takes time, and the live feed
// of the project's changes (server-sent events from the label service).
import * as api from './api.js';
import { gridView } from './grid.js';
import { mapView } from './map.js';
import { augmentView } from './augment.js';
import { datasetView } from './dataset.js';
import { homeView } from './home.js';

const views = { grid: gridView, map: mapView, augment: augmentView, dataset: datasetView, home: homeView };

export const state = {
  projects: [],
  project: null,          // {id, name, classes}
  feed: null,             // EventSource of the project's changes
  listeners: new Set(),   // (event) => void, for the current view
  current: null,          // {unmount}
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

async function loadProjects(selectId) {
  state.projects = await api.label('/api/projects');
  const select = document.getElementById('project');
  select.replaceChildren(...state.projects.map(p => el('option', { value: p.id, text: p.name })));
  const wanted = selectId || localStorage.getItem('loupe.project');
  const chosen = state.projects.find(p => p.id === wanted) || state.projects[0] || null;
  if (chosen) select.value = chosen.id;
  await setProject(chosen);
}

async function setProject(project) {
  state.project = project;
  if (project) localStorage.setItem('loupe.project', project.id);
  connectFeed();
}

export async function projectCreated(project) {
  await loadProjects(project.id);
}

function route() {
  const name = (location.hash.replace(/^#\//, '').split('?')[0] || (state.project ? 'grid' : 'home'));
  const view = views[name] || views.home;
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.dataset.view === name) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  if (state.current?.unmount) state.current.unmount();
  state.listeners.clear();
  const main = document.getElementById('main');
  main.replaceChildren();
  main.dataset.view = name;
  state.current = view(main, state) || null;
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
  document.getElementById('project').addEventListener('change', async e => {
    await setProject(state.projects.find(p => p.id === e.target.value));
    route();
  });
  await loadProjects();
  window.addEventListener('hashchange', route);
  route();
  pollProgress();
}

start().catch(e => toast(`Loupe could not start: ${problemText(e)}`, 'error'));

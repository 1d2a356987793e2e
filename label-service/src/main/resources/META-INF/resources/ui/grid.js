// The review grid: thumbnails with label, split side, source and findings; keyboard first; live. The focused item is
// in the URL (item=<id>), so a reload or a shared link shows it again; e (or the panel's button) opens it in the eraser.
import * as api from './api.js';
import * as data from './data.js';
import { el, toast, problemText, onChange, selectItem, openInEraser } from './app.js';

const PAGE = 60;

export function gridView(main, state, params = {}) {
  if (!state.project) { location.hash = '#/home'; return; }
  let alive = true;  // false once another view replaced this one: late answers change nothing
  const project = state.project;
  const classes = project.classes;
  const keys = classKeys(classes);
  const g = {
    items: [], total: 0, page: 0, focus: 0, selected: new Set(),
    sides: new Map(), findings: new Map(), undo: [], known: false, embedded: 0, wanted: params.item || null,
  };

  // --- toolbar
  const fClass = el('select', { id: 'f-class', 'aria-label': 'Class' }, el('option', { value: '', text: 'all classes' }),
    classes.map(c => el('option', { value: c, text: c })));
  const fSide = el('select', { id: 'f-side', 'aria-label': 'Split side' }, ['', 'train', 'val', 'out'].map(s =>
    el('option', { value: s, text: s || 'any side' })));
  const fSource = el('select', { id: 'f-source', 'aria-label': 'Source' }, ['', 'original', 'augmented', 'synthetic'].map(s =>
    el('option', { value: s, text: s || 'any source' })));
  const fFinding = el('select', { id: 'f-finding', 'aria-label': 'Finding' }, ['', 'label-issue', 'outlier', 'duplicate'].map(s =>
    el('option', { value: s, text: s ? `${s}s` : 'any finding' })));
  const fSort = el('select', { id: 'f-sort', 'aria-label': 'Order' },
    el('option', { value: '', text: 'import order' }), el('option', { value: 'suspicion', text: 'most suspicious first' }));
  const excludedBox = el('input', { type: 'checkbox', id: 'f-excluded' });
  const fExcluded = el('label', {}, excludedBox, ' excluded only');
  for (const f of [fClass, fSide, fSource, fFinding, fSort, excludedBox]) f.addEventListener('change', () => { g.page = 0; load(); });
  const count = el('span', { class: 'count', role: 'status' });
  const prev = el('button', { text: '‹ Prev', onclick: () => { if (g.page > 0) { g.page--; load(); } } });
  const next = el('button', { text: 'Next ›', onclick: () => { if ((g.page + 1) * PAGE < g.total) { g.page++; load(); } } });
  const legend = el('p', { class: 'keys' }, 'Keys: arrows move, ',
    classes.map((c, i) => el('kbd', { title: `relabel as ${c}` }, `${keys[i]}=${c}`)), ' x exclude, u undo, space select, r restore, e eraser.');

  // --- bulk bar
  const bulkLabel = el('select', { id: 'bulk-label', 'aria-label': 'New label for the selection' }, classes.map(c => el('option', { value: c, text: c })));
  const bulkBar = el('div', { class: 'bulk', hidden: true },
    el('span', { id: 'bulk-count' }), ' ', bulkLabel,
    el('button', { id: 'bulk-relabel', text: 'Relabel selection', onclick: () => bulkRelabel(bulkLabel.value) }),
    el('button', { text: 'Clear', onclick: () => { g.selected.clear(); render(); } }));

  const grid = el('div', { class: 'grid', id: 'grid', role: 'grid', 'aria-label': 'Items', tabindex: 0 });
  const panel = el('aside', { class: 'panel', id: 'panel', 'aria-label': 'Item details' }, el('p', { text: 'Select an item.' }));
  main.append(el('div', { class: 'toolbar' }, fClass, fSide, fSource, fFinding, fSort, fExcluded, prev, next, count),
    legend, bulkBar, el('div', { class: 'grid-layout' }, grid, panel));

  // --- data
  async function loadSides() {
    g.known = await data.hasItems(project.id);
    g.sides = await data.loadSides(project.id, g.known);
  }

  async function loadFindings() {
    g.embedded = await data.embeddedCount(project.id);
    const f = await data.loadFindings(project.id, g.embedded);
    g.findings = f.byItem;
    g.suspicious = f.suspicious;
    // findings of an older state of the project came: the newer ones in a few seconds
    clearTimeout(g.findingsAgain);
    if (!f.current) g.findingsAgain = setTimeout(async () => { if (alive) { await loadFindings(); if (alive) await load(); } }, 3000);
  }

  /**
   * A page of items by id, in order, for the id-list modes (side, finding, suspicion): one request (ids=) with the class,
   * source and excluded filters applied by the label service to the page's ids.
   */
  async function byIds(ids, filters) {
    const slice = ids.slice(g.page * PAGE, (g.page + 1) * PAGE);
    const items = slice.length ? await data.itemsByIds(project.id, slice, filters) : [];
    return { items, total: ids.length };
  }

  async function load() {
    if (!alive) return;
    const id = project.id;
    const excludedOnly = excludedBox.checked;
    try {
      let result;
      if (fSort.value === 'suspicion' || fFinding.value || fSide.value) {
        let ids;
        if (fSort.value === 'suspicion' || fFinding.value === 'label-issue') ids = g.suspicious;
        else if (fFinding.value) ids = [...g.findings.entries()].filter(([, fs]) => fs.some(f => f.type === fFinding.value)).map(([k]) => k);
        else ids = [...g.sides.keys()];
        if (fSide.value) ids = ids.filter(i => (g.sides.get(i) || 'out') === fSide.value);
        const filters = { excluded: excludedOnly ? 'true' : 'any' };
        if (fClass.value) filters.label = fClass.value;
        if (fSource.value) filters.source = fSource.value;
        result = await byIds(ids, filters);
      } else {
        const q = new URLSearchParams({ page: g.page, size: PAGE, excluded: excludedOnly ? 'true' : 'false' });
        if (fClass.value) q.set('label', fClass.value);
        if (fSource.value) q.set('source', fSource.value);
        result = await api.label(`/api/projects/${id}/items?${q}`);
      }
      if (!alive) return;
      g.items = result.items;
      g.total = result.total;
      g.focus = Math.min(g.focus, Math.max(0, g.items.length - 1));
      render();
    } catch (e) { toast(problemText(e), 'error'); }
  }

  function render() {
    count.textContent = `${g.total} items, page ${g.page + 1} of ${Math.max(1, Math.ceil(g.total / PAGE))}`;
    grid.replaceChildren(...g.items.map((item, i) => card(item, i)));
    bulkBar.hidden = g.selected.size === 0;
    document.getElementById('bulk-count').textContent = `${g.selected.size} selected`;
    focusCard(false);
  }

  function card(item, i) {
    const side = g.sides.get(item.id) || 'out';
    const findings = g.findings.get(item.id) || [];
    const badges = badgesOf(findings);
    return el('div', {
      class: `card item${g.selected.has(item.id) ? ' selected' : ''}${item.excluded ? ' excluded' : ''}`,
      role: 'gridcell', tabindex: -1, 'data-id': item.id, 'data-index': i, 'aria-selected': g.selected.has(item.id) ? 'true' : 'false',
      'aria-label': `${item.label}, ${side}, ${item.source}${badges.length ? ', ' + badges.map(b => b.dataset.text).join(', ') : ''}`,
      onclick: e => { g.focus = i; if (e.shiftKey || e.ctrlKey || e.metaKey) toggle(item.id); focusCard(true); },
    },
      el('img', { src: api.imageUrl(item.id), alt: `item labelled ${item.label}`, loading: 'lazy', width: 96, height: 96 }),
      el('div', { class: 'chips' },
        el('span', { class: 'chip label', 'data-role': 'label', text: item.label }),
        el('span', { class: `chip side ${side}`, text: side }),
        item.source !== 'original' ? el('span', { class: `chip source ${item.source}`, text: item.source }) : null,
        item.excluded ? el('span', { class: 'chip excluded', text: 'excluded' }) : null),
      el('div', { class: 'badges' }, badges));
  }

  function focusCard(showPanel) {
    const cards = grid.querySelectorAll('.item');
    cards.forEach(c => c.classList.remove('focus'));
    const c = cards[g.focus];
    if (!c) return;
    c.classList.add('focus');
    if (showPanel) { c.focus(); details(g.items[g.focus]); selectItem(g.items[g.focus].id); }
  }

  function toggle(id) {
    if (g.selected.has(id)) g.selected.delete(id); else g.selected.add(id);
    render();
  }

  // --- editing
  async function relabel(item, label, { quiet = false } = {}) {
    if (item.label === label) return;
    try {
      const updated = await api.label(`/api/items/${item.id}/label`, { method: 'PUT', headers: { 'If-Match': `"${item.version}"` },
        body: { label, reason: 'review grid' } });
      g.undo.push({ id: item.id, from: item.label, version: updated.version });
      replace(updated);
      if (!quiet) toast(`${item.label} → ${label}`);
    } catch (e) {
      if (e.status === 412) conflict(item, label); else toast(problemText(e), 'error');
    }
  }

  /** Someone else changed the item first: say who and to what, and offer to apply this change on top. */
  async function conflict(item, label) {
    const fresh = await api.label(`/api/items/${item.id}`);
    const history = await api.label(`/api/items/${item.id}/history`);
    const last = history[history.length - 1];
    replace(fresh);
    const box = document.getElementById('toasts');
    const t = el('div', { class: 'toast error conflict', role: 'alertdialog', 'aria-label': 'Edit conflict' },
      `${last.by} changed it to ${fresh.label} first. `,
      el('button', { text: `Make it ${label}`, onclick: () => { t.remove(); relabel(fresh, label); } }),
      el('button', { text: `Keep ${fresh.label}`, onclick: () => t.remove() }));
    box.append(t);
  }

  async function exclude(item) {
    try {
      const updated = await api.label(`/api/items/${item.id}?reason=review`, { method: 'DELETE' });
      replace(updated);
      toast('excluded');
    } catch (e) { toast(problemText(e), 'error'); }
  }

  async function restore(item) {
    try {
      replace(await api.label(`/api/items/${item.id}/restore`, { method: 'POST', body: { reason: 'review' } }));
    } catch (e) { toast(problemText(e), 'error'); }
  }

  async function undo() {
    const last = g.undo.pop();
    if (!last) return toast('nothing to undo');
    try {
      const updated = await api.label(`/api/items/${last.id}/label`, { method: 'PUT', headers: { 'If-Match': `"${last.version}"` },
        body: { label: last.from, reason: 'undo' } });
      replace(updated);
      toast(`undone: back to ${last.from}`);
    } catch (e) { toast(problemText(e), 'error'); }
  }

  async function bulkRelabel(label) {
    const changes = g.items.filter(i => g.selected.has(i.id)).map(i => ({ itemId: i.id, version: i.version, label }));
    try {
      const result = await api.label(`/api/projects/${project.id}/relabels`, { method: 'POST', body: { changes, reason: 'review grid (bulk)' } });
      toast(`${changes.length} relabelled as ${label}`);
      g.selected.clear();
      for (const u of result.items || []) replace(u);
      render();
    } catch (e) { toast(problemText(e), 'error'); }
  }

  function replace(updated) {
    const i = g.items.findIndex(x => x.id === updated.id);
    if (i < 0) return;
    g.items[i] = updated;
    const old = grid.querySelector(`[data-id="${updated.id}"]`);
    if (old) {
      const fresh = card(updated, i);
      if (old.classList.contains('focus')) fresh.classList.add('focus');
      old.replaceWith(fresh);
    }
    if (g.focus === i) details(updated);
  }

  // --- side panel: details, history, same-style neighbours
  let panelFor = null;
  async function details(item) {
    if (!item || !alive) return;
    panelFor = item.id;
    panel.dataset.itemId = item.id;
    const history = el('ol', { class: 'history', id: 'history' });
    const neighbours = el('div', { class: 'neighbours', id: 'neighbours' });
    panel.replaceChildren(
      el('img', { src: api.imageUrl(item.id), alt: `item labelled ${item.label}`, class: 'big' }),
      el('h2', { text: item.label }),
      el('dl', {}, el('dt', { text: 'version' }), el('dd', { text: item.version }), el('dt', { text: 'source' }), el('dd', { text: item.source }),
        el('dt', { text: 'file' }), el('dd', { text: item.originalPath || '' }), el('dt', { text: 'side' }), el('dd', { text: g.sides.get(item.id) || 'out' })),
      el('button', { id: 'open-eraser', text: 'Open in eraser', title: 'e', onclick: () => openInEraser(item.id) }),
      el('h3', { text: 'History' }), history, el('h3', { text: 'Same style' }), neighbours);
    try {
      const h = await api.label(`/api/items/${item.id}/history`);
      if (panelFor !== item.id) return;
      history.replaceChildren(...h.map(e => el('li', { text: `v${e.version} ${e.action.toLowerCase()} ${e.from ? e.from + ' → ' : ''}${e.to || ''} by ${e.by}` })));
    } catch (e) { history.textContent = problemText(e); }
    // an item without a vector yet has no neighbours to ask for (the service would answer 409)
    if (g.embedded === 0 || item.excluded) { neighbours.textContent = item.excluded ? 'excluded' : 'not embedded yet'; return; }
    try {
      const n = await api.embedding(`/api/items/${item.id}/neighbors?k=8`);
      if (panelFor !== item.id) return;
      neighbours.replaceChildren(...n.map(x => el('figure', {}, el('img', { src: api.imageUrl(x.itemId), alt: x.label, width: 56, height: 56 }),
        el('figcaption', { text: `${x.label} ${x.distance.toFixed(3)}` }))));
    } catch (e) { neighbours.textContent = 'not embedded yet'; }
  }

  // --- keyboard
  function onKey(e) {
    if (e.target.closest('input, select, textarea, button')) return;
    const item = g.items[g.focus];
    const columns = Math.max(1, Math.round(grid.clientWidth / (grid.querySelector('.item')?.offsetWidth || 120)));
    const move = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns, ArrowUp: -columns }[e.key];
    if (move !== undefined) {
      e.preventDefault();
      g.focus = Math.max(0, Math.min(g.items.length - 1, g.focus + move));
      focusCard(true);
      return;
    }
    if (!item) return;
    const k = keys.indexOf(e.key);
    if (k >= 0) { e.preventDefault(); relabel(item, classes[k]); return; }
    if (e.key === 'x') { e.preventDefault(); exclude(item); }
    else if (e.key === 'r') { e.preventDefault(); restore(item); }
    else if (e.key === 'u') { e.preventDefault(); undo(); }
    else if (e.key === ' ') { e.preventDefault(); toggle(item.id); }
    else if (e.key === 'e') { e.preventDefault(); openInEraser(item.id); }
  }
  document.addEventListener('keydown', onKey);

  // --- live: a teammate's change shows within a second
  onChange(async envelope => {
    const itemId = envelope.data.itemId;
    const i = g.items.findIndex(x => x.id === itemId);
    if (i >= 0) {
      try {
        const fresh = await api.label(`/api/items/${itemId}`);
        replace(fresh);
        const c = grid.querySelector(`[data-id="${itemId}"]`);
        if (c && envelope.data.by !== api.user()) { c.classList.add('flash'); c.title = `changed by ${envelope.data.by}`; }
      } catch (e) { /* gone */ }
    } else if (envelope.type === 'dev.loupe.item.added' && g.page === 0 && !fSort.value && !fFinding.value && !fSide.value) {
      clearTimeout(g.reload);
      g.reload = setTimeout(load, 1000);
    }
  });

  // the item the URL names: focused when it is on the page, else shown in the panel alone
  async function showWanted() {
    const wanted = g.wanted;
    g.wanted = null;
    const i = wanted ? g.items.findIndex(x => x.id === wanted) : -1;
    if (i >= 0 || !wanted) {
      g.focus = Math.max(0, i);
      if (g.items.length) focusCard(true);
      else panel.replaceChildren(el('p', { id: 'empty', text: 'No items yet: import a zip on the home page.' }));
      return;
    }
    try {
      const item = await api.label(`/api/items/${wanted}`);
      if (item.projectId && item.projectId !== project.id) throw new Error(`item ${wanted} is not in ${project.name}`);
      details(item);
    } catch (e) { toast(problemText(e), 'error'); }
  }

  (async () => { await Promise.all([loadSides(), loadFindings()]); await load(); if (alive) await showWanted(); })();
  return { unmount: () => { alive = false; clearTimeout(g.reload); clearTimeout(g.findingsAgain); document.removeEventListener('keydown', onKey); } };
}

/**
 * One badge per kind of finding: an item in several duplicate pairs shows one "duplicate ×n" badge (its title lists
 * the other items), not one badge per pair.
 */
function badgesOf(findings) {
  const byType = new Map();
  for (const f of findings) {
    if (!byType.has(f.type)) byType.set(f.type, []);
    byType.get(f.type).push(f);
  }
  return [...byType].map(([type, list]) => {
    const text = type === 'label-issue' ? `looks like ${list[0].evidence.suggestedLabel}`
      : list.length > 1 ? `${type} ×${list.length}` : type;
    const title = type === 'duplicate'
      ? `${list.length} duplicate pair${list.length > 1 ? 's' : ''}: ${list.map(f => JSON.stringify(f.evidence)).join('; ')}`
      : list.map(f => JSON.stringify(f.evidence)).join('; ');
    const badge = el('span', { class: `badge ${type}`, title, 'data-count': list.length }, text);
    badge.dataset.text = text;
    return badge;
  });
}

/** 1-9 then 0 for the first ten classes; further classes have no key. */
function classKeys(classes) {
  return classes.map((c, i) => (i < 9 ? String(i + 1) : i === 9 ? '0' : ''));
}

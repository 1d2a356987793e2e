// The embedding map: every item as a point (canvas: pan with drag, zoom with the wheel), coloured by label, split
// side or finding; lasso (drag) or box (shift+drag) selection shows the images in a strip for bulk edits. A clicked
// point is the URL's item (item=<id>): a link or a reload selects it and its neighbours again.
import * as api from './api.js';
import * as data from './data.js';
import { el, toast, problemText, onChange, selectItem } from './app.js';

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf',
  '#393b79', '#637939', '#8c6d31', '#843c39', '#7b4173'];

export function mapView(main, state, params = {}) {
  if (!state.project) { location.hash = '#/home'; return; }
  const project = state.project;
  const m = { ids: [], x: [], y: [], labels: [], sides: new Map(), findings: new Map(), selected: [], view: null, colour: 'label', mode: 'lasso' };
  const canvas = el('canvas', { id: 'map-canvas', width: 900, height: 640, role: 'img', 'aria-label': 'Embedding map; drag to select, shift-drag for a box, right-drag or ctrl-drag to pan, wheel to zoom' });
  const colour = el('select', { id: 'map-colour', 'aria-label': 'Colour by' }, ['label', 'side', 'finding'].map(c => el('option', { value: c, text: `colour by ${c}` })));
  colour.addEventListener('change', () => { m.colour = colour.value; draw(); legend(); });
  const trainVal = el('button', { id: 'map-trainval', 'aria-pressed': 'false', text: 'Train vs val', onclick: () => {
    m.colour = m.colour === 'side' ? 'label' : 'side';
    colour.value = m.colour;
    trainVal.setAttribute('aria-pressed', String(m.colour === 'side'));
    draw(); legend();
  } });
  const info = el('span', { class: 'count', id: 'map-info', role: 'status' });
  const legendBox = el('div', { class: 'legend', id: 'map-legend' });
  const strip = el('div', { class: 'strip', id: 'selection', 'aria-label': 'Selected items' });
  const bulkLabel = el('select', { 'aria-label': 'New label for the selection', id: 'map-bulk-label' }, project.classes.map(c => el('option', { value: c, text: c })));
  const actions = el('div', { class: 'bulk', id: 'map-actions', hidden: true },
    el('span', { id: 'map-selected' }), ' ', bulkLabel,
    el('button', { text: 'Relabel selection', onclick: () => bulk('relabel') }),
    el('button', { text: 'Exclude selection', onclick: () => bulk('exclude') }),
    el('button', { text: 'Clear', onclick: () => { m.selected = []; showSelection(); draw(); } }));
  main.append(el('div', { class: 'toolbar' }, colour, trainVal, el('span', { text: 'Drag: lasso · shift-drag: box · ctrl/right-drag: pan · wheel: zoom · click: neighbours' }), info),
    el('div', { class: 'map-layout' }, canvas, legendBox), actions, strip);

  const ctx = canvas.getContext('2d');
  const labelIndex = new Map(project.classes.map((c, i) => [c, i]));

  function colourOf(i) {
    const id = m.ids[i];
    if (m.colour === 'side') return { train: '#3366cc', val: '#dc3912' }[m.sides.get(id)] || '#bbbbbb';
    if (m.colour === 'finding') {
      const f = m.findings.get(id);
      return !f ? '#dddddd' : f.includes('label-issue') ? '#d62728' : f.includes('outlier') ? '#ff7f0e' : '#9467bd';
    }
    return PALETTE[(labelIndex.get(m.labels[i]) ?? 0) % PALETTE.length];
  }

  function fit() {
    if (!m.ids.length) return;
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (let i = 0; i < m.ids.length; i++) { x0 = Math.min(x0, m.x[i]); x1 = Math.max(x1, m.x[i]); y0 = Math.min(y0, m.y[i]); y1 = Math.max(y1, m.y[i]); }
    const pad = 20;
    const scale = Math.min((canvas.width - 2 * pad) / ((x1 - x0) || 1), (canvas.height - 2 * pad) / ((y1 - y0) || 1));
    m.view = { scale, ox: pad - x0 * scale, oy: pad - y0 * scale };
  }

  const sx = i => m.x[i] * m.view.scale + m.view.ox;
  const sy = i => m.y[i] * m.view.scale + m.view.oy;

  function draw(path) {
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    if (!m.view) return;
    const selected = new Set(m.selected);
    const r = m.ids.length > 20000 ? 1.5 : 3;
    // one path per colour: fast enough for 100k points
    const byColour = new Map();
    for (let i = 0; i < m.ids.length; i++) {
      const c = colourOf(i);
      if (!byColour.has(c)) byColour.set(c, []);
      byColour.get(c).push(i);
    }
    for (const [c, list] of byColour) {
      ctx.fillStyle = c;
      ctx.beginPath();
      for (const i of list) { ctx.moveTo(sx(i) + r, sy(i)); ctx.arc(sx(i), sy(i), r, 0, 2 * Math.PI); }
      ctx.fill();
    }
    if (selected.size) {
      ctx.strokeStyle = '#000';
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      for (const i of m.selected) { ctx.moveTo(sx(i) + r + 2, sy(i)); ctx.arc(sx(i), sy(i), r + 2, 0, 2 * Math.PI); }
      ctx.stroke();
    }
    if (path && path.length > 1) {
      ctx.strokeStyle = '#333';
      ctx.setLineDash([4, 3]);
      ctx.beginPath();
      ctx.moveTo(path[0][0], path[0][1]);
      for (const p of path) ctx.lineTo(p[0], p[1]);
      if (path.box) ctx.closePath();
      ctx.stroke();
      ctx.setLineDash([]);
    }
  }

  // the colour through the CSSOM: the page's Content-Security-Policy refuses style attributes
  function swatch(colour) {
    const span = el('span', { class: 'swatch' });
    span.style.background = colour;
    return span;
  }

  function legend() {
    let entries;
    if (m.colour === 'side') entries = [['train', '#3366cc'], ['val', '#dc3912'], ['not in the split', '#bbbbbb']];
    else if (m.colour === 'finding') entries = [['suspected wrong label', '#d62728'], ['outlier', '#ff7f0e'], ['duplicate', '#9467bd'], ['none', '#dddddd']];
    else entries = project.classes.map((c, i) => [c, PALETTE[i % PALETTE.length]]);
    legendBox.replaceChildren(...entries.map(([t, c]) => el('div', {}, swatch(c), ` ${t}`)),
      m.shift != null ? el('p', { id: 'shift-score', text: `train-vs-val AUC ${m.shift.toFixed(3)} (0.5 = no shift)` }) : null);
  }

  // --- selection
  function inside(poly, x, y) {
    let c = false;
    for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
      const [xi, yi] = poly[i], [xj, yj] = poly[j];
      if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) c = !c;
    }
    return c;
  }

  function select(poly) {
    const chosen = [];
    for (let i = 0; i < m.ids.length; i++) if (inside(poly, sx(i), sy(i))) chosen.push(i);
    m.selected = chosen;
    showSelection();
    draw();
  }

  async function showSelection() {
    actions.hidden = m.selected.length === 0;
    document.getElementById('map-selected').textContent = `${m.selected.length} selected`;
    const shown = m.selected.slice(0, 200);
    strip.replaceChildren(...shown.map(i => el('figure', { 'data-id': m.ids[i] },
      el('img', { src: api.imageUrl(m.ids[i]), alt: m.labels[i], width: 64, height: 64, loading: 'lazy' }),
      el('figcaption', { text: m.labels[i] }))),
      m.selected.length > shown.length ? el('p', { text: `and ${m.selected.length - shown.length} more` }) : null);
  }

  async function bulk(action) {
    const ids = m.selected.map(i => m.ids[i]);
    try {
      if (action === 'relabel') {
        const items = await Promise.all(ids.map(id => api.label(`/api/items/${id}`)));
        const changes = items.filter(i => i.label !== bulkLabel.value).map(i => ({ itemId: i.id, version: i.version, label: bulkLabel.value }));
        if (changes.length) await api.label(`/api/projects/${project.id}/relabels`, { method: 'POST', body: { changes, reason: 'map selection' } });
        for (const i of m.selected) m.labels[i] = bulkLabel.value;
        toast(`${changes.length} relabelled as ${bulkLabel.value}`);
      } else {
        for (const id of ids) await api.label(`/api/items/${id}?reason=map+selection`, { method: 'DELETE' });
        toast(`${ids.length} excluded`);
      }
      showSelection(); draw();
    } catch (e) { toast(problemText(e), 'error'); }
  }

  async function neighbours(i) {
    try {
      const n = await api.embedding(`/api/items/${m.ids[i]}/neighbors?k=12`);
      const index = new Map(m.ids.map((id, k) => [id, k]));
      m.selected = [i, ...n.map(x => index.get(x.itemId)).filter(k => k !== undefined)];
      selectItem(m.ids[i]);
      showSelection(); draw();
    } catch (e) { toast(problemText(e), 'error'); }
  }

  // --- pointer: lasso (drag), box (shift-drag), pan (ctrl/right-drag), click (neighbours), wheel (zoom)
  let drag = null;
  const pos = e => { const r = canvas.getBoundingClientRect(); return [(e.clientX - r.left) * canvas.width / r.width, (e.clientY - r.top) * canvas.height / r.height]; };
  canvas.addEventListener('contextmenu', e => e.preventDefault());
  canvas.addEventListener('pointerdown', e => {
    canvas.setPointerCapture(e.pointerId);
    const p = pos(e);
    drag = { start: p, path: [p], pan: e.button === 2 || e.ctrlKey, box: e.shiftKey, view: { ...m.view } };
  });
  canvas.addEventListener('pointermove', e => {
    if (!drag) return;
    const p = pos(e);
    if (drag.pan) {
      m.view.ox = drag.view.ox + p[0] - drag.start[0];
      m.view.oy = drag.view.oy + p[1] - drag.start[1];
      draw();
    } else if (drag.box) {
      const [a, b] = drag.start;
      drag.path = [[a, b], [p[0], b], [p[0], p[1]], [a, p[1]]];
      drag.path.box = true;
      draw(drag.path);
    } else {
      drag.path.push(p);
      draw(drag.path);
    }
  });
  canvas.addEventListener('pointerup', e => {
    if (!drag) return;
    const p = pos(e);
    // how far the pointer travelled (a closed lasso ends where it started)
    const xs = drag.path.map(q => q[0]).concat(p[0]), ys = drag.path.map(q => q[1]).concat(p[1]);
    const moved = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys));
    if (!drag.pan && moved < 4) {
      let best = -1, bestD = 64;
      for (let i = 0; i < m.ids.length; i++) {
        const d = (sx(i) - p[0]) ** 2 + (sy(i) - p[1]) ** 2;
        if (d < bestD) { best = i; bestD = d; }
      }
      if (best >= 0) neighbours(best);
    } else if (!drag.pan && drag.path.length > 2) {
      select(drag.path);
    }
    drag = null;
    draw();
  });
  canvas.addEventListener('wheel', e => {
    e.preventDefault();
    const [px, py] = pos(e);
    const f = Math.exp(-e.deltaY * 0.0015);
    m.view.ox = px - (px - m.view.ox) * f;
    m.view.oy = py - (py - m.view.oy) * f;
    m.view.scale *= f;
    draw();
  }, { passive: false });

  async function load() {
    // nothing embedded yet (a new project): an empty map, not a failed request
    const embedded = await data.embeddedCount(project.id);
    if (embedded > 0) {
      try {
        const map = await api.embedding(`/api/projects/${project.id}/map`);
        m.ids = map.itemIds; m.x = map.x; m.y = map.y; m.labels = map.labels;
        info.textContent = `${m.ids.length} points (map version ${map.mapVersion})`;
      } catch (e) { info.textContent = `no map yet: ${problemText(e)}`; }
    } else {
      info.textContent = 'no map yet: nothing is embedded';
    }
    m.sides = await data.loadSides(project.id, embedded > 0 || await data.hasItems(project.id));
    const f = await data.loadFindings(project.id, embedded);
    m.findings = new Map([...f.byItem].map(([id, fs]) => [id, fs.map(x => x.type)]));
    m.shift = f.shift;
    if (!m.view) fit();
    draw(); legend();
    canvas.dataset.points = String(m.ids.length);
    const wanted = params.item ? m.ids.indexOf(params.item) : -1;
    if (wanted >= 0) await neighbours(wanted);
  }

  onChange(envelope => {
    const i = m.ids.indexOf(envelope.data.itemId);
    if (i >= 0 && envelope.data.label) { m.labels[i] = envelope.data.label; draw(); }
  });
  load();
}

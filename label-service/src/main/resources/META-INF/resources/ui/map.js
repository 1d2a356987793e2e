// The embedding map: every item as a point (canvas: pan with drag, zoom with the wheel), coloured by label, split
// side or finding; lasso (drag) or box (shift+drag) selection shows the images in a paged strip for bulk edits. A
// clicked point is the URL's item (item=<id>): a link or a reload selects it and its neighbours again.
// Built for 100,000 points: coordinates, colours and the selection live in typed arrays; the points are stamped into
// one reused ImageData (no path or arc per point) that is drawn again only when the view, colours or selection change
// (a lasso being dragged only redraws its line over it); a lasso tests the points in its bounding box only.
// For measurements the canvas carries data-draw-ms (the last full draw), data-draws, data-select-ms (the last lasso
// or box: hit test, strip and draw) and data-selected.
import * as api from './api.js';
import * as data from './data.js';
import { el, toast, problemText, onChange, selectItem } from './app.js';

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf',
  '#393b79', '#637939', '#8c6d31', '#843c39', '#7b4173'];
const SIDES = [['train', '#3366cc'], ['val', '#dc3912'], ['not in the split', '#bbbbbb']];
const FINDINGS = [['suspected wrong label', '#d62728'], ['outlier', '#ff7f0e'], ['duplicate', '#9467bd'], ['none', '#dddddd']];
/** Thumbnails per page of the selection strip. */
const STRIP_PAGE = 100;
/** Items per bulk relabel or exclude request: the label service's default loupe.label.max-bulk-changes. */
const BULK_REQUEST = 10000;
/** Selections up to this size get a ring around each point; larger ones would merge into one black blob. */
const RING_MAX = 2000;

export function mapView(main, state, params = {}) {
  if (!state.project) { location.hash = '#/home'; return; }
  const project = state.project;
  const m = {
    n: 0, ids: [], labels: [], index: new Map(), x: new Float32Array(0), y: new Float32Array(0),
    colours: new Uint8Array(0), selected: new Int32Array(0), selectedMask: new Uint8Array(0), stripPage: 0,
    sides: new Map(), findings: new Map(), view: null, colour: 'label',
  };
  const canvas = el('canvas', { id: 'map-canvas', width: 900, height: 640, role: 'img', 'aria-label': 'Embedding map; drag to select, shift-drag for a box, right-drag or ctrl-drag to pan, wheel to zoom' });
  const colour = el('select', { id: 'map-colour', 'aria-label': 'Colour by' }, ['label', 'side', 'finding'].map(c => el('option', { value: c, text: `colour by ${c}` })));
  colour.addEventListener('change', () => { m.colour = colour.value; recolour(); draw(); legend(); });
  const trainVal = el('button', { id: 'map-trainval', 'aria-pressed': 'false', text: 'Train vs val', onclick: () => {
    m.colour = m.colour === 'side' ? 'label' : 'side';
    colour.value = m.colour;
    trainVal.setAttribute('aria-pressed', String(m.colour === 'side'));
    recolour(); draw(); legend();
  } });
  const info = el('span', { class: 'count', id: 'map-info', role: 'status' });
  const legendBox = el('div', { class: 'legend', id: 'map-legend' });
  const strip = el('div', { class: 'strip', id: 'selection', 'aria-label': 'Selected items' });
  const stripInfo = el('span', { id: 'selection-page' });
  const stripPrev = el('button', { id: 'selection-prev', text: '‹ Prev', onclick: () => { m.stripPage--; showSelection(); } });
  const stripNext = el('button', { id: 'selection-next', text: 'Next ›', onclick: () => { m.stripPage++; showSelection(); } });
  const stripNav = el('div', { class: 'toolbar', id: 'selection-pages', hidden: true }, stripPrev, stripNext, stripInfo);
  const bulkLabel = el('select', { 'aria-label': 'New label for the selection', id: 'map-bulk-label' }, project.classes.map(c => el('option', { value: c, text: c })));
  const selectedCount = el('span', { id: 'map-selected' });
  const actions = el('div', { class: 'bulk', id: 'map-actions', hidden: true },
    selectedCount, ' ', bulkLabel,
    el('button', { text: 'Relabel selection', onclick: () => bulk('relabel') }),
    el('button', { text: 'Exclude selection', onclick: () => bulk('exclude') }),
    el('button', { text: 'Clear', onclick: () => setSelection(new Int32Array(0)) }));
  main.append(el('div', { class: 'toolbar' }, colour, trainVal, el('span', { text: 'Drag: lasso · shift-drag: box · ctrl/right-drag: pan · wheel: zoom · click: neighbours' }), info),
    el('div', { class: 'map-layout' }, canvas, legendBox), actions, stripNav, strip);

  const ctx = canvas.getContext('2d');
  const labelIndex = new Map(project.classes.map((c, i) => [c, i]));

  // --- colours: one small index per point into a table of packed RGBA pixels
  const packed = hex => ((255 << 24) | (parseInt(hex.slice(5, 7), 16) << 16) | (parseInt(hex.slice(3, 5), 16) << 8)
    | parseInt(hex.slice(1, 3), 16)) >>> 0;
  // the same colour mixed with three parts of white: the points outside a selection
  const faded = hex => packed('#' + [1, 3, 5].map(k => Math.round(255 - (255 - parseInt(hex.slice(k, k + 2), 16)) * 0.3)
    .toString(16).padStart(2, '0')).join(''));
  const table = (colours, background) => ({ pixels: Uint32Array.from(colours, packed), faded: Uint32Array.from(colours, faded), background });
  const TABLES = {
    label: table(PALETTE, -1),
    side: table(SIDES.map(([, c]) => c), 2),
    finding: table(FINDINGS.map(([, c]) => c), 3),
  };
  const RING = packed('#000000');

  function colourOf(i) {
    if (m.colour === 'side') {
      const side = m.sides.get(m.ids[i]);
      return side === 'train' ? 0 : side === 'val' ? 1 : 2;
    }
    if (m.colour === 'finding') {
      const f = m.findings.get(m.ids[i]);
      return !f ? 3 : f.includes('label-issue') ? 0 : f.includes('outlier') ? 1 : 2;
    }
    return (labelIndex.get(m.labels[i]) ?? 0) % PALETTE.length;
  }

  function recolour() {
    for (let i = 0; i < m.n; i++) m.colours[i] = colourOf(i);
    stale = true;
  }

  function fit() {
    if (!m.n) return;
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (let i = 0; i < m.n; i++) {
      const x = m.x[i], y = m.y[i];
      if (x < x0) x0 = x; if (x > x1) x1 = x; if (y < y0) y0 = y; if (y > y1) y1 = y;
    }
    const pad = 20;
    const scale = Math.min((canvas.width - 2 * pad) / ((x1 - x0) || 1), (canvas.height - 2 * pad) / ((y1 - y0) || 1));
    m.view = { scale, ox: pad - x0 * scale, oy: pad - y0 * scale };
    stale = true;
  }

  // --- drawing: the points layer (ImageData, reused) and the lasso's line over it
  let layer = null, pixels = null, stale = true, draws = 0, frame = 0;

  /** Pixel offsets (dy * width + dx) of a disc, or of a ring when inner > 0, and the disc's radius. */
  function stamp(width, outer, inner) {
    const offsets = [], dx = [], dy = [];
    const o = Math.ceil(outer);
    for (let y = -o; y <= o; y++) {
      for (let x = -o; x <= o; x++) {
        const d = x * x + y * y;
        if (d <= outer * outer + outer && d > inner * inner + inner) { offsets.push(y * width + x); dx.push(x); dy.push(y); }
      }
    }
    return { offsets: Int32Array.from(offsets), dx: Int32Array.from(dx), dy: Int32Array.from(dy), reach: o };
  }

  function put(shape, px, py, colour, w, h) {
    const { offsets, dx, dy, reach } = shape;
    if (px >= reach && py >= reach && px < w - reach && py < h - reach) {
      const base = py * w + px;
      for (let k = 0; k < offsets.length; k++) pixels[base + offsets[k]] = colour;
    } else {
      for (let k = 0; k < offsets.length; k++) {
        const x = px + dx[k], y = py + dy[k];
        if (x >= 0 && y >= 0 && x < w && y < h) pixels[y * w + x] = colour;
      }
    }
  }

  function render() {
    const w = canvas.width, h = canvas.height;
    if (!layer || layer.width !== w || layer.height !== h) {
      layer = ctx.createImageData(w, h);
      pixels = new Uint32Array(layer.data.buffer);
    }
    pixels.fill(0);
    if (m.view && m.n) {
      const { scale, ox, oy } = m.view;
      const r = m.n > 20000 ? 1 : 2.5;
      const dot = stamp(w, r, -1), ring = stamp(w, r + 2, r + 1);
      const { pixels: full, faded: pale, background } = TABLES[m.colour];
      const selecting = m.selected.length > 0;
      // the uncoloured points (not in the split, no finding) first, so the coloured ones stay visible over them; with
      // a selection the others pale, the selected ones over them in full colour
      for (let pass = background < 0 ? 1 : 0; pass < 2; pass++) {
        for (let i = 0; i < m.n; i++) {
          const c = m.colours[i];
          if ((c === background) !== (pass === 0) || m.selectedMask[i]) continue;
          const px = Math.round(m.x[i] * scale + ox), py = Math.round(m.y[i] * scale + oy);
          if (px < -ring.reach || py < -ring.reach || px >= w + ring.reach || py >= h + ring.reach) continue;
          put(dot, px, py, selecting ? pale[c] : full[c], w, h);
        }
      }
      for (let k = 0; k < m.selected.length; k++) {
        const i = m.selected[k];
        put(dot, Math.round(m.x[i] * scale + ox), Math.round(m.y[i] * scale + oy), full[m.colours[i]], w, h);
      }
      for (let k = 0; k < m.selected.length && m.selected.length <= RING_MAX; k++) {
        const i = m.selected[k];
        put(ring, Math.round(m.x[i] * scale + ox), Math.round(m.y[i] * scale + oy), RING, w, h);
      }
    }
    stale = false;
  }

  function draw(path) {
    const t0 = performance.now();
    const full = stale || !layer;
    if (full) render();
    ctx.putImageData(layer, 0, 0);
    if (full) {
      canvas.dataset.drawMs = (performance.now() - t0).toFixed(1);
      canvas.dataset.draws = String(++draws);
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

  /** Many small changes (a teammate's bulk relabel arriving as events) make one draw per frame. */
  function drawSoon() {
    if (!frame) frame = requestAnimationFrame(() => { frame = 0; draw(drag && !drag.pan ? drag.path : undefined); });
  }

  function moveView(view) {
    m.view = view;
    stale = true;
    draw();
  }

  // the colour through the CSSOM: the page's Content-Security-Policy refuses style attributes
  function swatch(colour) {
    const span = el('span', { class: 'swatch' });
    span.style.background = colour;
    return span;
  }

  function legend() {
    const entries = m.colour === 'side' ? SIDES : m.colour === 'finding' ? FINDINGS
      : project.classes.map((c, i) => [c, PALETTE[i % PALETTE.length]]);
    legendBox.replaceChildren(...entries.map(([t, c]) => el('div', {}, swatch(c), ` ${t}`)));
    if (m.shift != null) legendBox.append(el('p', { id: 'shift-score', text: `train-vs-val AUC ${m.shift.toFixed(3)} (0.5 = no shift)` }));
  }

  // --- selection
  /** The points inside the polygon (canvas pixels): tested in data coordinates, in the polygon's bounding box only. */
  function pointsInside(poly) {
    const { scale, ox, oy } = m.view;
    const k = poly.length;
    const px = new Float64Array(k), py = new Float64Array(k);
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (let j = 0; j < k; j++) {
      px[j] = (poly[j][0] - ox) / scale; py[j] = (poly[j][1] - oy) / scale;
      if (px[j] < x0) x0 = px[j]; if (px[j] > x1) x1 = px[j]; if (py[j] < y0) y0 = py[j]; if (py[j] > y1) y1 = py[j];
    }
    const hits = new Int32Array(m.n);
    let count = 0;
    for (let i = 0; i < m.n; i++) {
      const x = m.x[i], y = m.y[i];
      if (x < x0 || x > x1 || y < y0 || y > y1) continue;
      let inside = false;
      for (let a = 0, b = k - 1; a < k; b = a++) {
        if ((py[a] > y) !== (py[b] > y) && x < ((px[b] - px[a]) * (y - py[a])) / (py[b] - py[a]) + px[a]) inside = !inside;
      }
      if (inside) hits[count++] = i;
    }
    return hits.slice(0, count);
  }

  function select(poly) {
    const t0 = performance.now();
    setSelection(pointsInside(poly));
    canvas.dataset.selectMs = (performance.now() - t0).toFixed(1);
    canvas.dataset.selected = String(m.selected.length);
  }

  /** The selection (point indices, first shown first): the rings on the map and the strip's first page. */
  function setSelection(indices) {
    for (let k = 0; k < m.selected.length; k++) m.selectedMask[m.selected[k]] = 0;
    m.selected = indices;
    for (let k = 0; k < indices.length; k++) m.selectedMask[indices[k]] = 1;
    m.stripPage = 0;
    stale = true;
    showSelection();
    draw();
  }

  function showSelection() {
    const total = m.selected.length;
    actions.hidden = total === 0;
    selectedCount.textContent = `${total} selected`;
    const pages = Math.max(1, Math.ceil(total / STRIP_PAGE));
    m.stripPage = Math.max(0, Math.min(m.stripPage, pages - 1));
    const from = m.stripPage * STRIP_PAGE, to = Math.min(total, from + STRIP_PAGE);
    const figures = [];
    for (let k = from; k < to; k++) {
      const i = m.selected[k];
      figures.push(el('figure', { 'data-id': m.ids[i] },
        el('img', { src: api.imageUrl(m.ids[i]), alt: m.labels[i], width: 64, height: 64, loading: 'lazy' }),
        el('figcaption', { text: m.labels[i] })));
    }
    strip.replaceChildren(...figures);
    stripNav.hidden = pages < 2;
    stripPrev.disabled = m.stripPage === 0;
    stripNext.disabled = m.stripPage >= pages - 1;
    stripInfo.textContent = total ? `${from + 1}–${to} of ${total}` : '';
  }

  // a selection larger than one bulk request goes in several, each atomic
  async function inChunks(list, send) {
    for (let i = 0; i < list.length; i += BULK_REQUEST) await send(list.slice(i, i + BULK_REQUEST));
  }

  async function bulk(action) {
    const chosen = Array.from(m.selected);
    const ids = chosen.map(i => m.ids[i]);
    try {
      if (action === 'relabel') {
        // the items' versions: one list request per IDS_PER_REQUEST ids, then one atomic bulk relabel
        const items = await data.itemsByIds(project.id, ids);
        const changes = items.filter(i => i.label !== bulkLabel.value).map(i => ({ itemId: i.id, version: i.version, label: bulkLabel.value }));
        await inChunks(changes, part => api.label(`/api/projects/${project.id}/relabels`,
          { method: 'POST', body: { changes: part, reason: 'map selection' } }));
        for (const i of chosen) m.labels[i] = bulkLabel.value;
        toast(`${changes.length} relabelled as ${bulkLabel.value}`);
      } else {
        // the items' versions, then one atomic bulk exclude (items excluded already stay as they are)
        const items = await data.itemsByIds(project.id, ids);
        await inChunks(items.map(i => ({ itemId: i.id, version: i.version })), part =>
          api.label(`/api/projects/${project.id}/exclusions`, { method: 'POST', body: { reason: 'map selection', items: part } }));
        toast(`${items.length} excluded`);
      }
      recolour(); showSelection(); draw();
    } catch (e) { toast(problemText(e), 'error'); }
  }

  async function neighbours(i) {
    try {
      const n = await api.embedding(`/api/items/${m.ids[i]}/neighbors?k=12`);
      const chosen = [i, ...n.map(x => m.index.get(x.itemId)).filter(k => k !== undefined && k !== i)];
      selectItem(m.ids[i]);
      setSelection(Int32Array.from(new Set(chosen)));
    } catch (e) { toast(problemText(e), 'error'); }
  }

  function nearest(p, within) {
    const { scale, ox, oy } = m.view;
    let best = -1, bestD = within * within;
    for (let i = 0; i < m.n; i++) {
      const dx = m.x[i] * scale + ox - p[0], dy = m.y[i] * scale + oy - p[1];
      const d = dx * dx + dy * dy;
      if (d < bestD) { best = i; bestD = d; }
    }
    return best;
  }

  // --- pointer: lasso (drag), box (shift-drag), pan (ctrl/right-drag), click (neighbours), wheel (zoom)
  let drag = null;
  const pos = e => { const r = canvas.getBoundingClientRect(); return [(e.clientX - r.left) * canvas.width / r.width, (e.clientY - r.top) * canvas.height / r.height]; };
  canvas.addEventListener('contextmenu', e => e.preventDefault());
  canvas.addEventListener('pointerdown', e => {
    if (!m.view) return;
    canvas.setPointerCapture(e.pointerId);
    const p = pos(e);
    drag = { start: p, path: [p], pan: e.button === 2 || e.ctrlKey, box: e.shiftKey, view: { ...m.view } };
  });
  canvas.addEventListener('pointermove', e => {
    if (!drag) return;
    const p = pos(e);
    if (drag.pan) {
      moveView({ ...drag.view, ox: drag.view.ox + p[0] - drag.start[0], oy: drag.view.oy + p[1] - drag.start[1] });
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
    const ended = drag;
    drag = null;
    // how far the pointer travelled (a closed lasso ends where it started)
    let x0 = p[0], x1 = p[0], y0 = p[1], y1 = p[1];
    for (const [x, y] of ended.path) { x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); }
    const moved = Math.max(x1 - x0, y1 - y0);
    if (!ended.pan && moved < 4) {
      const best = nearest(p, 8);
      if (best >= 0) neighbours(best);
      draw();
    } else if (!ended.pan && ended.path.length > 2) {
      select(ended.path);
    } else {
      draw();
    }
  });
  canvas.addEventListener('wheel', e => {
    e.preventDefault();
    if (!m.view) return;
    const [px, py] = pos(e);
    const f = Math.exp(-e.deltaY * 0.0015);
    moveView({ scale: m.view.scale * f, ox: px - (px - m.view.ox) * f, oy: py - (py - m.view.oy) * f });
  }, { passive: false });

  /** The findings' colours; findings of an older state of the project are replaced by the newer ones a moment later. */
  async function loadFindings(embedded) {
    const f = await data.loadFindings(project.id, embedded);
    if (!canvas.isConnected) return; // another view replaced the map
    m.findings = new Map([...f.byItem].map(([id, fs]) => [id, fs.map(x => x.type)]));
    m.shift = f.shift;
    clearTimeout(m.findingsAgain);
    if (!f.current) {
      m.findingsAgain = setTimeout(async () => {
        if (!canvas.isConnected) return;
        await loadFindings(embedded);
        if (canvas.isConnected) { recolour(); draw(); legend(); }
      }, 3000);
    }
  }

  async function load() {
    // nothing embedded yet (a new project): an empty map, not a failed request
    const embedded = await data.embeddedCount(project.id);
    if (embedded > 0) {
      try {
        const map = await api.embedding(`/api/projects/${project.id}/map`);
        m.n = map.itemIds.length;
        m.ids = map.itemIds; m.labels = map.labels;
        m.x = Float32Array.from(map.x); m.y = Float32Array.from(map.y);
        m.index = new Map(m.ids.map((id, k) => [id, k]));
        m.colours = new Uint8Array(m.n); m.selected = new Int32Array(0); m.selectedMask = new Uint8Array(m.n);
        info.textContent = `${m.n} points (map version ${map.mapVersion})`;
      } catch (e) { info.textContent = `no map yet: ${problemText(e)}`; }
    } else {
      info.textContent = 'no map yet: nothing is embedded';
    }
    m.sides = await data.loadSides(project.id, embedded > 0 || await data.hasItems(project.id));
    await loadFindings(embedded);
    recolour();
    if (!m.view) fit();
    draw(); legend();
    canvas.dataset.points = String(m.n);
    const wanted = params.item ? m.index.get(params.item) ?? -1 : -1;
    if (wanted >= 0) await neighbours(wanted);
  }

  onChange(envelope => {
    const i = m.index.get(envelope.data.itemId);
    if (i !== undefined && envelope.data.label) {
      m.labels[i] = envelope.data.label;
      m.colours[i] = colourOf(i);
      stale = true;
      drawSoon();
    }
  });
  load();
}

// Augment: the project's policy, augmentation jobs with progress, an eraser canvas that saves a glyph or a new item,
// and composition of glyphs with a live preview. The eraser opens the item the URL names (#/augment?item=<id>):
// openInEraser(itemId) goes there from any view; the class and number picker is a shortcut to an original.
import * as api from './api.js';
import { el, toast, problemText, selectItem } from './app.js';

export { openInEraser } from './app.js';

export function augmentView(main, state, params = {}) {
  if (!state.project) { location.hash = '#/home'; return; }
  const project = state.project;
  const timers = [];

  // --- policy
  const policyBox = el('section', { class: 'card', id: 'policy', 'aria-labelledby': 'policy-h' }, el('h2', { id: 'policy-h', text: 'Label policy' }));
  api.augment(`/api/projects/${project.id}/augment-policy`).then(p => {
    const ops = Object.keys(p.defaults || {});
    const rule = (cls, op) => (p.classes?.[cls]?.[op]) || p.defaults?.[op] || 'forbidden';
    const short = r => r.startsWith('map-to') ? '→ ' + r.split(':')[1].trim() : r.startsWith('keep') ? 'keep' : 'no';
    policyBox.append(el('table', { class: 'policy' },
      el('thead', {}, el('tr', {}, el('th', { text: 'class' }), ops.map(o => el('th', { text: o })))),
      el('tbody', {}, project.classes.map(c => el('tr', {}, el('th', { text: c }),
        ops.map(o => el('td', { class: short(rule(c, o)) === 'no' ? 'no' : '', title: rule(c, o), text: short(rule(c, o)) })))))));
  }).catch(e => policyBox.append(el('p', { text: problemText(e) })));

  // --- jobs
  const jClass = el('select', { id: 'job-class', 'aria-label': 'Items of class' }, project.classes.map(c => el('option', { value: c, text: c })));
  const jCopies = el('input', { id: 'job-copies', type: 'number', min: 1, max: 100, value: 2, 'aria-label': 'Copies per item' });
  const jRotate = el('input', { id: 'job-rotate', type: 'number', min: 0, max: 45, value: 8, 'aria-label': 'Rotate up to (degrees)' });
  const jZoom = el('input', { id: 'job-zoom', type: 'number', min: 0, max: 0.5, step: 0.05, value: 0.1, 'aria-label': 'Zoom range' });
  const jMirror = el('input', { id: 'job-mirror', type: 'checkbox', 'aria-label': 'Mirror left-right' });
  const jobs = el('ul', { class: 'jobs', id: 'jobs' });
  const jobForm = el('form', { class: 'card', 'aria-labelledby': 'jobs-h', onsubmit: async e => {
    e.preventDefault();
    const ops = [];
    if (jMirror.checked) ops.push({ op: 'mirror-lr' });
    if (+jRotate.value > 0) ops.push({ op: 'rotate', params: { degrees: [-jRotate.value, +jRotate.value] } });
    if (+jZoom.value > 0) ops.push({ op: 'zoom', params: { factor: [1 - jZoom.value, 1 + +jZoom.value] } });
    if (!ops.length) return toast('choose at least one operation', 'error');
    try {
      await api.augment(`/api/projects/${project.id}/augmentations`, { method: 'POST',
        body: { filter: { label: jClass.value }, ops, copiesPerItem: +jCopies.value } });
      listJobs();
    } catch (err) { toast(problemText(err), 'error'); }
  } },
    el('h2', { id: 'jobs-h', text: 'Augmentation jobs' }),
    el('label', {}, 'Originals of class ', jClass), el('label', {}, 'copies each ', jCopies),
    el('label', {}, jMirror, ' mirror'), el('label', {}, 'rotate ± ', jRotate, '°'), el('label', {}, 'zoom ± ', jZoom),
    el('button', { type: 'submit', text: 'Run' }), jobs);

  async function listJobs() {
    try {
      const list = await api.augment(`/api/projects/${project.id}/augmentations`);
      jobs.replaceChildren(...list.slice(0, 10).map(j => el('li', {},
        `${j.kind} ${j.jobId.slice(0, 8)}: ${j.status} `,
        el('progress', { max: Math.max(1, j.total), value: j.done + j.failed, 'aria-label': `job ${j.jobId.slice(0, 8)} progress` }),
        ` ${j.done}/${j.total}${j.failed ? `, ${j.failed} failed` : ''} `,
        j.done > 0 ? el('a', { href: api.url('augment', `/api/augmentations/${j.jobId}/contact-sheet`), target: '_blank', text: 'contact sheet' }) : null)));
      if (list.some(j => j.status === 'QUEUED' || j.status === 'RUNNING')) timers.push(setTimeout(listJobs, 1000));
    } catch (e) { jobs.replaceChildren(el('li', { text: problemText(e) })); }
  }

  // --- eraser canvas
  const itemClass = el('select', { id: 'erase-class', 'aria-label': 'Pick an item of class' }, project.classes.map(c => el('option', { value: c, text: c })));
  const itemIndex = el('input', { id: 'erase-index', type: 'number', min: 0, value: 0, 'aria-label': 'Item number within the class' });
  const brush = el('input', { id: 'erase-brush', type: 'range', min: 2, max: 40, value: 12, 'aria-label': 'Brush size' });
  const canvas = el('canvas', { id: 'erase-canvas', width: 320, height: 320, role: 'img', 'aria-label': 'Drag to erase' });
  const symbol = el('input', { id: 'glyph-symbol', size: 4, value: 'v', 'aria-label': 'Symbol the glyph shows' });
  const newLabel = el('select', { id: 'erase-label', 'aria-label': 'Label of the new item' }, project.classes.map(c => el('option', { value: c, text: c })));
  const opened = el('p', { id: 'erase-item', class: 'count', role: 'status', text: 'No item open: pick one here, or open one from the grid (e).' });
  const ctx = canvas.getContext('2d');
  const mask = document.createElement('canvas');
  const mctx = mask.getContext('2d');
  const e$ = { item: null, image: null, scale: 1, drawing: false };

  async function pick() {
    try {
      const page = await api.label(`/api/projects/${project.id}/items?label=${encodeURIComponent(itemClass.value)}&source=original&size=1&page=${+itemIndex.value || 0}`);
      const item = page.items[0];
      if (!item) return toast('no such item', 'error');
      await open(item);
      selectItem(item.id);
    } catch (e) { toast(problemText(e), 'error'); }
  }

  /** Any item by its id (from the URL: the grid, a shared link, a review queue). */
  async function openById(itemId) {
    try {
      const item = await api.label(`/api/items/${itemId}`);
      if (item.projectId !== project.id) return toast(`item ${itemId} is not in ${project.name}`, 'error');
      await open(item);
    } catch (e) { toast(problemText(e), 'error'); }
  }

  async function open(item) {
    const image = new Image();
    image.src = api.imageUrl(item.id);
    await image.decode();
    e$.item = item; e$.image = image;
    e$.scale = Math.min(canvas.width / image.naturalWidth, canvas.height / image.naturalHeight);
    mask.width = image.naturalWidth; mask.height = image.naturalHeight;
    mctx.clearRect(0, 0, mask.width, mask.height);
    canvas.dataset.itemId = item.id;
    // where the image lies on the canvas (it keeps its aspect ratio, top-left): strokes outside it erase nothing
    canvas.dataset.imageWidth = String(Math.round(image.naturalWidth * e$.scale));
    canvas.dataset.imageHeight = String(Math.round(image.naturalHeight * e$.scale));
    opened.textContent = `${item.label} · ${item.originalPath || item.id.slice(0, 8)} · ${item.source}`;
    paint();
  }

  function paint() {
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    if (!e$.image) return;
    const w = e$.image.naturalWidth * e$.scale, h = e$.image.naturalHeight * e$.scale;
    ctx.drawImage(e$.image, 0, 0, w, h);
    // erased parts shown as pink so the user sees what goes
    ctx.globalAlpha = 0.55;
    ctx.drawImage(tinted(), 0, 0, w, h);
    ctx.globalAlpha = 1;
  }

  function tinted() {
    const t = document.createElement('canvas');
    t.width = mask.width; t.height = mask.height;
    const c = t.getContext('2d');
    c.drawImage(mask, 0, 0);
    c.globalCompositeOperation = 'source-in';
    c.fillStyle = '#ff4f9a';
    c.fillRect(0, 0, t.width, t.height);
    return t;
  }

  function stroke(e) {
    const r = canvas.getBoundingClientRect();
    const x = (e.clientX - r.left) * canvas.width / r.width / e$.scale;
    const y = (e.clientY - r.top) * canvas.height / r.height / e$.scale;
    mctx.fillStyle = '#fff';
    mctx.beginPath();
    mctx.arc(x, y, +brush.value / e$.scale / 2, 0, 2 * Math.PI);
    mctx.fill();
    paint();
  }
  canvas.addEventListener('pointerdown', e => { if (!e$.item) return; e$.drawing = true; canvas.setPointerCapture(e.pointerId); stroke(e); });
  canvas.addEventListener('pointermove', e => { if (e$.drawing) stroke(e); });
  canvas.addEventListener('pointerup', () => { e$.drawing = false; });

  const maskBase64 = () => mask.toDataURL('image/png').split(',')[1];

  async function saveGlyph() {
    if (!e$.item) return toast('pick an item first', 'error');
    try {
      const g = await api.augment('/api/glyphs', { method: 'POST', body: { itemId: e$.item.id, symbol: symbol.value.trim(), mask: maskBase64() } });
      toast(`glyph "${g.symbol}" saved (${g.width}x${g.height})`);
      listGlyphs();
    } catch (err) { toast(problemText(err), 'error'); }
  }

  async function saveItem() {
    if (!e$.item) return toast('pick an item first', 'error');
    try {
      const job = await api.augment(`/api/projects/${project.id}/augmentations`, { method: 'POST',
        body: { itemIds: [e$.item.id], ops: [{ op: 'erase', params: { mask: maskBase64() } }], resultLabel: newLabel.value } });
      toast(`new ${newLabel.value} item on its way (job ${job.jobId.slice(0, 8)})`);
      listJobs();
    } catch (err) { toast(problemText(err), 'error'); }
  }

  const eraser = el('section', { class: 'card', 'aria-labelledby': 'erase-h' },
    el('h2', { id: 'erase-h', text: 'Erase' }),
    el('div', {}, el('label', {}, 'Item of class ', itemClass), el('label', {}, ' number ', itemIndex),
      el('button', { id: 'erase-pick', text: 'Open', onclick: pick }),
      el('button', { text: 'Reset', onclick: () => { mctx.clearRect(0, 0, mask.width, mask.height); paint(); } })),
    opened, el('label', {}, 'Brush ', brush), canvas,
    el('div', {}, el('label', {}, 'Save what is left as glyph ', symbol), el('button', { id: 'save-glyph', text: 'Save glyph', onclick: saveGlyph })),
    el('div', {}, el('label', {}, 'or as a new item labelled ', newLabel), el('button', { id: 'save-item', text: 'Save item', onclick: saveItem })));

  // --- compose
  const library = el('div', { class: 'library', id: 'library', 'aria-label': 'Glyph library' });
  const sequence = [];
  const preview = el('canvas', { id: 'compose-preview', width: 360, height: 120, role: 'img', 'aria-label': 'Composition preview' });
  const spacing = el('input', { id: 'compose-spacing', type: 'range', min: -0.2, max: 0.8, step: 0.05, value: 0.2, 'aria-label': 'Spacing' });
  const composeLabel = el('select', { id: 'compose-label', 'aria-label': 'Label of the composite' }, project.classes.map(c => el('option', { value: c, text: c })));
  const seqText = el('span', { id: 'compose-sequence' });
  spacing.addEventListener('input', drawPreview);

  async function listGlyphs() {
    try {
      const glyphs = await api.augment(`/api/projects/${project.id}/glyphs`);
      library.replaceChildren(...glyphs.map(g => el('button', { class: 'glyph', title: `${g.symbol} from ${g.itemId.slice(0, 8)}`,
        onclick: async () => { const img = new Image(); img.src = api.url('augment', g.imageUrl); await img.decode(); sequence.push({ g, img }); drawPreview(); } },
        el('img', { src: api.url('augment', g.imageUrl), alt: `glyph ${g.symbol}`, height: 40 }), el('span', { text: g.symbol }))));
    } catch (e) { library.textContent = problemText(e); }
  }

  // the preview only draws the glyphs (never reads the canvas back), so their images need no CORS
  function drawPreview() {
    const c = preview.getContext('2d');
    c.fillStyle = '#fff';
    c.fillRect(0, 0, preview.width, preview.height);
    seqText.textContent = sequence.map(s => s.g.symbol).join(' + ') || '(click glyphs to add)';
    if (!sequence.length) return;
    const h = 80, gap = +spacing.value * h;
    const widths = sequence.map(s => s.img.naturalWidth * h / s.img.naturalHeight);
    const total = widths.reduce((a, b) => a + b, 0) + gap * (sequence.length - 1);
    const k = Math.min(1, (preview.width - 20) / total);
    let x = (preview.width - total * k) / 2;
    sequence.forEach((s, i) => { c.drawImage(s.img, x, (preview.height - h * k) / 2, widths[i] * k, h * k); x += (widths[i] + gap) * k; });
  }

  async function compose() {
    if (!sequence.length) return toast('add glyphs first', 'error');
    try {
      const r = await api.augment(`/api/projects/${project.id}/compositions`, { method: 'POST',
        body: { glyphIds: sequence.map(s => s.g.glyphId), label: composeLabel.value, layout: { spacing: +spacing.value } } });
      toast(`new ${r.label} item ${r.itemId.slice(0, 8)} composed`);
    } catch (err) { toast(problemText(err), 'error'); }
  }

  const composer = el('section', { class: 'card', 'aria-labelledby': 'compose-h' },
    el('h2', { id: 'compose-h', text: 'Compose' }), library, seqText, preview,
    el('label', {}, 'Spacing ', spacing), el('label', {}, ' label ', composeLabel),
    el('button', { id: 'compose', text: 'Create item', onclick: compose }),
    el('button', { text: 'Clear', onclick: () => { sequence.length = 0; drawPreview(); } }));

  main.append(el('div', { class: 'augment-layout' }, eraser, composer, jobForm, policyBox));
  paint(); drawPreview(); listJobs(); listGlyphs();
  if (params.item) openById(params.item);
  return { unmount: () => timers.forEach(clearTimeout) };
}

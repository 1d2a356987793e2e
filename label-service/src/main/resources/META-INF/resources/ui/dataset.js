// Dataset: split counts per class and side, the split settings, versions (diff, export) and webhooks with their
// delivery log.
import * as api from './api.js';
import * as data from './data.js';
import { el, toast, problemText, onChange } from './app.js';

export function datasetView(main, state) {
  if (!state.project) { location.hash = '#/home'; return; }
  const project = state.project;

  // --- the split as a bar chart
  const chart = el('div', { id: 'split-chart', class: 'chart' });
  const splitInfo = el('p', { id: 'split-info', role: 'status' });
  // before the project's first item the dataset service has not heard of it: an empty state, nothing to ask
  let known = false;
  const isKnown = async () => (known = known || await data.hasItems(project.id));
  async function loadSplit() {
    if (!await isKnown()) { splitInfo.textContent = 'no split yet: the project has no items'; return; }
    try {
      const s = await api.dataset(`/api/projects/${project.id}/split`);
      splitInfo.textContent = `${s.strategy}, val ${s.valFraction}, seed ${s.seed}${s.maxItems ? `, at most ${s.maxItems}` : ''}: `
        + `split version ${s.splitVersion}, ${s.leftOut} left out, label events up to ${s.labelsSeen}`
        + (s.frozenValVersion ? `; validation side frozen at ${s.frozenValVersionName ?? s.frozenValVersion} (${s.frozenValItems} items)` : '');
      chart.replaceChildren(bars(project.classes, s.counts));
    } catch (e) { splitInfo.textContent = `no split yet: ${problemText(e)}`; }
  }

  function bars(classes, counts) {
    const max = Math.max(1, ...classes.map(c => (counts.train?.[c] || 0) + (counts.val?.[c] || 0)));
    const W = 640, rowH = 22, labelW = 60, H = classes.length * rowH + 24;
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', 'Items per class: train and val');
    const add = (tag, attrs, text) => {
      const n = document.createElementNS('http://www.w3.org/2000/svg', tag);
      for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
      if (text !== undefined) n.textContent = text;
      svg.append(n);
      return n;
    };
    classes.forEach((c, i) => {
      const t = counts.train?.[c] || 0, v = counts.val?.[c] || 0, y = i * rowH;
      const wt = (W - labelW - 80) * t / max, wv = (W - labelW - 80) * v / max;
      add('text', { x: 0, y: y + 15, class: 'axis' }, c);
      add('rect', { x: labelW, y: y + 3, width: wt, height: rowH - 6, class: 'train' }).append(title(`${c}: ${t} train`));
      add('rect', { x: labelW + wt, y: y + 3, width: wv, height: rowH - 6, class: 'val' }).append(title(`${c}: ${v} val`));
      add('text', { x: labelW + wt + wv + 6, y: y + 15, class: 'axis' }, `${t} / ${v}`);
    });
    add('text', { x: labelW, y: H - 4, class: 'axis' }, 'train (blue) / val (red)');
    return svg;
  }
  const title = t => { const n = document.createElementNS('http://www.w3.org/2000/svg', 'title'); n.textContent = t; return n; };

  // --- split settings (If-Match on the configuration's version)
  const strategy = el('select', { id: 'split-strategy', 'aria-label': 'Strategy' }, ['stratified', 'style-balanced', 'keep-original'].map(s => el('option', { value: s, text: s })));
  const valFraction = el('input', { id: 'split-val', type: 'number', min: 0.01, max: 0.99, step: 0.01, 'aria-label': 'Validation fraction' });
  const seed = el('input', { id: 'split-seed', type: 'number', 'aria-label': 'Seed' });
  const maxItems = el('input', { id: 'split-max', type: 'number', min: 1, placeholder: 'no cap', 'aria-label': 'At most this many items' });
  // freezing val at a version's val items keeps the evaluation set put while the data changes
  const frozenVal = el('select', { id: 'split-frozen', 'aria-label': 'Freeze the validation side at' }, el('option', { value: '', text: 'not frozen' }));
  let frozenWanted = '';
  const showFrozen = () => { frozenVal.value = frozenWanted; };
  let etag = null;
  async function loadConfig() {
    if (!await isKnown()) return;
    try {
      const r = await api.dataset(`/api/projects/${project.id}/split/config`, { raw: true });
      etag = r.headers.get('ETag');
      const c = await r.json();
      strategy.value = c.strategy; valFraction.value = c.valFraction; seed.value = c.seed; maxItems.value = c.maxItems ?? '';
      frozenWanted = c.frozenValVersion ?? ''; showFrozen();
    } catch (e) { /* shown by the split */ }
  }
  const settings = el('form', { class: 'card', 'aria-labelledby': 'settings-h', onsubmit: async e => {
    e.preventDefault();
    try {
      await api.dataset(`/api/projects/${project.id}/split/config`, { method: 'PUT', headers: { 'If-Match': etag || '*' },
        body: { strategy: strategy.value, valFraction: +valFraction.value, seed: +seed.value, maxItems: maxItems.value ? +maxItems.value : null,
          frozenValVersion: frozenVal.value || null } });
      toast('split settings saved');
      await loadConfig(); await loadSplit();
    } catch (err) { toast(problemText(err), 'error'); await loadConfig(); }
  } },
    el('h2', { id: 'settings-h', text: 'Split' }), chart, splitInfo,
    el('label', {}, 'Strategy ', strategy), el('label', {}, ' val fraction ', valFraction), el('label', {}, ' seed ', seed),
    el('label', {}, ' at most ', maxItems), el('label', {}, ' validation side frozen at ', frozenVal),
    el('button', { type: 'submit', text: 'Save' }));

  // --- versions
  const vName = el('input', { id: 'version-name', required: true, placeholder: 'round-1', 'aria-label': 'Version name' });
  const vNote = el('input', { id: 'version-note', placeholder: 'what changed', 'aria-label': 'Note' });
  const versionList = el('ul', { id: 'versions', class: 'versions' });
  const diffBox = el('div', { id: 'diff', role: 'status' });
  async function loadVersions() {
    if (!await isKnown()) { versionList.replaceChildren(el('li', { text: 'no versions yet' })); return; }
    try {
      const list = await api.dataset(`/api/projects/${project.id}/versions`);
      frozenVal.replaceChildren(el('option', { value: '', text: 'not frozen' }),
        ...list.map(v => el('option', { value: v.versionId, text: v.name })));
      showFrozen();
      versionList.replaceChildren(...list.map((v, i) => el('li', { 'data-version': v.versionId },
        el('strong', { text: v.name }), ` ${v.items} items, ${new Date(v.createdAt).toLocaleString()} by ${v.createdBy} `,
        el('code', { title: 'content hash', text: v.contentHash.slice(0, 12) }), ' ',
        el('a', { class: 'export', href: api.url('dataset', `/api/versions/${v.versionId}/export?format=imagefolder`), download: `loupe-${v.name}.zip`, text: 'export zip' }), ' ',
        el('a', { href: api.url('dataset', `/api/versions/${v.versionId}/export?format=csv`), download: `loupe-${v.name}.csv`, text: 'manifest' }), ' ',
        list[i + 1] ? el('button', { text: `diff vs ${list[i + 1].name}`, onclick: () => diff(v, list[i + 1]) }) : null,
        evaluations(v))));
    } catch (e) { versionList.replaceChildren(el('li', { text: problemText(e) })); }
  }

  /** The reference model's score on a version (the trainer service), and a button to evaluate it again. */
  function evaluations(v) {
    const span = el('span', { class: 'evaluations' });
    const show = () => api.dataset(`/api/versions/${v.versionId}/evaluations`).then(list => {
      const latest = list[0];
      const done = list.find(x => x.status === 'COMPLETED');
      const parts = [];
      if (done) parts.push(`val accuracy ${(done.metrics.valAccuracy * 100).toFixed(1)}%`
        + (done.metrics.testAccuracy != null ? `, test ${(done.metrics.testAccuracy * 100).toFixed(1)}%` : '')
        + ` (${done.epochs} epochs)`);
      if (latest && latest.status === 'RUNNING') parts.push(`training: epoch ${latest.epoch} of ${latest.epochs}`);
      if (latest && latest.status === 'QUEUED') parts.push('evaluation queued');
      if (latest && latest.status === 'FAILED') parts.push(`evaluation failed: ${latest.error}`);
      if (latest && latest.status === 'CANCELLED') parts.push(`evaluation cancelled (${latest.error})`);
      span.replaceChildren(` ${parts.join('; ')} `, el('button', { class: 'evaluate', text: 'Evaluate', onclick: async () => {
        try { await api.dataset(`/api/versions/${v.versionId}/evaluations`, { method: 'POST', body: {} }); show(); }
        catch (err) { toast(problemText(err), 'error'); }
      } }));
      // a running evaluation is followed; a version just frozen gets its automatic run in a moment
      const fresh = Date.now() - new Date(v.createdAt).getTime() < 120000;
      if ((latest && (latest.status === 'RUNNING' || latest.status === 'QUEUED')) || (!latest && fresh)) {
        setTimeout(() => { if (span.isConnected) show(); }, 3000);
      }
    }).catch(() => { /* no evaluations */ });
    show();
    return span;
  }

  async function diff(v, against) {
    try {
      const d = await api.dataset(`/api/versions/${v.versionId}/diff?against=${against.versionId}`);
      diffBox.replaceChildren(el('h3', { text: `${against.name} → ${v.name}` }),
        el('p', { text: `${d.added.length} added, ${d.removed.length} removed, ${d.relabelled.length} relabelled, ${d.moved.length} moved between train and val` }),
        el('ul', {}, d.relabelled.slice(0, 50).map(c => el('li', {}, el('img', { src: api.imageUrl(c.itemId), alt: '', width: 32, height: 32 }), ` ${c.from} → ${c.to}`))));
    } catch (e) { toast(problemText(e), 'error'); }
  }

  const versions = el('form', { class: 'card', 'aria-labelledby': 'versions-h', onsubmit: async e => {
    e.preventDefault();
    try {
      const v = await api.dataset(`/api/projects/${project.id}/versions`, { method: 'POST', body: { name: vName.value.trim(), note: vNote.value } });
      toast(`version ${v.name} frozen: ${v.items} items`);
      vName.value = '';
      loadVersions();
    } catch (err) { toast(problemText(err), 'error'); }
  } },
    el('h2', { id: 'versions-h', text: 'Versions' }),
    el('label', {}, 'Name ', vName), el('label', {}, ' note ', vNote), el('button', { type: 'submit', text: 'Freeze version' }),
    versionList, diffBox);

  // --- webhooks
  const hUrl = el('input', { id: 'hook-url', type: 'url', required: true, placeholder: 'https://ci.example.com/hooks/loupe', size: 36, 'aria-label': 'Webhook URL' });
  const hSecret = el('input', { id: 'hook-secret', type: 'password', required: true, minlength: 16, 'aria-label': 'Signing secret' });
  const hookList = el('ul', { id: 'hooks' });
  async function loadHooks() {
    try {
      const hooks = (await api.dataset('/api/webhooks')).filter(h => !h.projectId || h.projectId === project.id);
      hookList.replaceChildren(...hooks.map(h => {
        const log = el('ol', { class: 'deliveries' });
        api.dataset(`/api/webhooks/${h.id}/deliveries?limit=10`).then(ds => log.replaceChildren(...ds.map(d =>
          el('li', { class: d.status.toLowerCase(), text: `${d.eventType} ${d.status} after ${d.attempts} attempt(s)${d.lastStatusCode ? `, HTTP ${d.lastStatusCode}` : ''}${d.lastError ? `: ${d.lastError}` : ''}` }))));
        return el('li', {}, `${h.url} (${h.events.join(', ')}) `,
          el('button', { text: 'Remove', onclick: async () => { await api.dataset(`/api/webhooks/${h.id}`, { method: 'DELETE' }); loadHooks(); } }), log);
      }));
    } catch (e) { hookList.replaceChildren(el('li', { text: problemText(e) })); }
  }
  const hooks = el('form', { class: 'card', 'aria-labelledby': 'hooks-h', onsubmit: async e => {
    e.preventDefault();
    try {
      await api.dataset('/api/webhooks', { method: 'POST', body: { url: hUrl.value, secret: hSecret.value, projectId: project.id,
        events: ['dev.loupe.dataset.version-published'] } });
      hUrl.value = ''; hSecret.value = '';
      loadHooks();
    } catch (err) { toast(problemText(err), 'error'); }
  } },
    el('h2', { id: 'hooks-h', text: 'Webhooks' }), el('label', {}, 'URL ', hUrl), el('label', {}, ' secret ', hSecret),
    el('button', { type: 'submit', text: 'Add' }), hookList);

  main.append(el('div', { class: 'dataset-layout' }, settings, versions, hooks));
  let refresh = null;
  onChange(() => { clearTimeout(refresh); refresh = setTimeout(() => { if (!etag) loadConfig(); loadSplit(); }, 800); });
  loadConfig(); loadSplit(); loadVersions(); loadHooks();
}
